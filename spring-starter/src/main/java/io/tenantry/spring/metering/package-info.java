/**
 * Metering in a Spring Boot application: core's {@code TenantMetering} over each wired adapter's meter,
 * measuring every tenant on a schedule; the latest usage per tenant in memory ({@link
 * io.tenantry.spring.metering.MeteringSnapshot}), each measurement kept in the control plane's usage history,
 * and Micrometer gauges with a bounded number of tenant tags.
 */
@NullMarked
package io.tenantry.spring.metering;

import org.jspecify.annotations.NullMarked;
