package io.tenantry.spring.data.jpa;

import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

/** Writes {@link StampedCard}s. */
public interface StampedCardRepository extends JpaRepository<StampedCard, UUID> {
}
