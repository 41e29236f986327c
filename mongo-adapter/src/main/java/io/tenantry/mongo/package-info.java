/**
 * MongoDB adapter: ordinary driver handles ({@code MongoCollection}, {@code MongoDatabase}) that an
 * application keeps as singletons, each call confined to the tenant bound at that moment, on the
 * {@code FIELD}, {@code COLLECTION} or {@code DATABASE} model and on any configured cluster.
 * Start with {@link io.tenantry.mongo.TenantMongo#builder()}.
 */
@NullMarked
package io.tenantry.mongo;

import org.jspecify.annotations.NullMarked;
