/**
 * Operations: the {@code tenants} actuator endpoint, cluster health and per-tenant metrics.
 */
@NullMarked
package io.tenantry.spring.actuate;

import org.jspecify.annotations.NullMarked;
