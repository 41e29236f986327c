package io.tenantry.spring.data.jpa;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.NativeQuery;
import org.springframework.transaction.annotation.Transactional;

/** An ordinary Spring Data JPA repository, written with no thought of tenants. */
public interface CardRepository extends JpaRepository<Card, UUID> {

    List<Card> findByNameOrderByValue(String name);

    @NativeQuery("SELECT * FROM cards WHERE value >= :min ORDER BY name")
    List<Card> findWorthAtLeast(int min);

    @Transactional
    @Modifying
    @NativeQuery("UPDATE cards SET value = :value WHERE id = :id")
    int revalue(UUID id, int value);
}
