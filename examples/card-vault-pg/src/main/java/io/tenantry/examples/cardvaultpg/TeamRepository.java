package io.tenantry.examples.cardvaultpg;

import java.util.UUID;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.ListPagingAndSortingRepository;

interface TeamRepository extends ListCrudRepository<Team, UUID>, ListPagingAndSortingRepository<Team, UUID> {
}
