package io.tenantry.spring.data.jdbc;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.CrudRepository;

/** An ordinary Spring Data JDBC repository, written with no thought of tenants. */
public interface CardRepository extends CrudRepository<Card, UUID> {

    List<Card> findByNameOrderByValue(String name);

    @Query("SELECT * FROM cards WHERE value >= :min ORDER BY name")
    List<Card> findWorthAtLeast(int min);

    @Modifying
    @Query("UPDATE cards SET value = :value WHERE id = :id")
    int revalue(UUID id, int value);
}
