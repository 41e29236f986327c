package io.tenantry.spring.test.app;

import org.springframework.data.mongodb.repository.MongoRepository;

/** A plain Spring Data repository. */
public interface NoteRepository extends MongoRepository<Note, String> {
}
