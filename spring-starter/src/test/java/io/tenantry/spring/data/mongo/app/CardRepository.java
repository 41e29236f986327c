package io.tenantry.spring.data.mongo.app;

import java.util.List;
import org.springframework.data.mongodb.repository.MongoRepository;

/** An ordinary Spring Data repository, written with no thought of tenants. */
public interface CardRepository extends MongoRepository<Card, String> {

    List<Card> findByOwner(String owner);
}
