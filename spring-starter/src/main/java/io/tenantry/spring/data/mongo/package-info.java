/**
 * Spring Data MongoDB wiring: the tenant-routing {@link io.tenantry.spring.data.mongo.TenantMongoDatabaseFactory}
 * under {@code MongoTemplate} and repositories, and per-tenant creation of the indexes declared on entities.
 */
@NullMarked
package io.tenantry.spring.data.mongo;

import org.jspecify.annotations.NullMarked;
