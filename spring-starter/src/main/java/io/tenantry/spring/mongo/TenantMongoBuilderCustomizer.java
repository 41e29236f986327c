package io.tenantry.spring.mongo;

import io.tenantry.mongo.TenantMongo;

/**
 * Adjusts the {@link TenantMongo.Builder} before the auto-configured {@link TenantMongo} is built:
 * declare collections and their indexes, tune cache sizes. Beans of this type are applied in
 * {@link org.springframework.core.Ordered} order. With Spring Data MongoDB, the indexes declared on
 * mapped entities are declared by such a customizer already.
 */
@FunctionalInterface
public interface TenantMongoBuilderCustomizer {

    /** Customizes {@code builder}. */
    void customize(TenantMongo.Builder builder);
}
