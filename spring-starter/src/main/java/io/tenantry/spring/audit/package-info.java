/**
 * Audit: where {@link io.tenantry.AuditEvent}s go (the log, or a store-backed
 * {@link io.tenantry.spi.AuditLog} in the control plane), and the retention of a stored trail.
 */
@NullMarked
package io.tenantry.spring.audit;

import org.jspecify.annotations.NullMarked;
