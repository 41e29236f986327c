package io.tenantry.examples.cardvaultpg;

import java.util.List;
import java.util.UUID;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.ListPagingAndSortingRepository;

/** A plain Spring Data JDBC repository: its SQL goes through Tenantry's routing DataSource. */
interface CardRepository extends ListCrudRepository<Card, UUID>, ListPagingAndSortingRepository<Card, UUID> {

    List<Card> findByYearOrderByTitle(int year);
}
