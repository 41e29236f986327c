package io.tenantry.examples.cardvaultpg;

import java.util.UUID;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.ListPagingAndSortingRepository;

interface ManufacturerRepository
        extends ListCrudRepository<Manufacturer, UUID>, ListPagingAndSortingRepository<Manufacturer, UUID> {
}
