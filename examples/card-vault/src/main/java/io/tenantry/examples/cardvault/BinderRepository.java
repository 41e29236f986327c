package io.tenantry.examples.cardvault;

import org.springframework.data.mongodb.repository.MongoRepository;

/** The binders of the current tenant's vault. */
public interface BinderRepository extends MongoRepository<Binder, String> {
}
