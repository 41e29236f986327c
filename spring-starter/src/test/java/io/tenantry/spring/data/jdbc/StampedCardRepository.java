package io.tenantry.spring.data.jdbc;

import java.util.UUID;
import org.springframework.data.repository.CrudRepository;

/** Writes {@link StampedCard}s. */
public interface StampedCardRepository extends CrudRepository<StampedCard, UUID> {
}
