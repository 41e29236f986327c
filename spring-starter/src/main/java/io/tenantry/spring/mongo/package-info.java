/**
 * MongoDB adapter wiring: clusters, the {@link io.tenantry.mongo.TenantMongo} bean and start-up provisioning.
 */
@NullMarked
package io.tenantry.spring.mongo;

import org.jspecify.annotations.NullMarked;
