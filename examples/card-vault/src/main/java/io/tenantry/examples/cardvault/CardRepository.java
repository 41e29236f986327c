package io.tenantry.examples.cardvault;

import java.util.List;
import org.springframework.data.mongodb.repository.MongoRepository;

/** An ordinary Spring Data repository: no tenant in sight, and yet it only ever sees one vault. */
public interface CardRepository extends MongoRepository<Card, String> {

    List<Card> findByRarityOrderByName(String rarity);
}
