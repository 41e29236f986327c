package io.tenantry.examples.cardvaultpg;

import java.util.UUID;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.ListPagingAndSortingRepository;

interface PlayerRepository extends ListCrudRepository<Player, UUID>, ListPagingAndSortingRepository<Player, UUID> {
}
