/**
 * Extension points that adapters and integrations implement: {@link io.tenantry.spi.IsolationStrategy}
 * (one per store and isolation model) and {@link io.tenantry.spi.AuditSink} (where audit events go).
 */
@NullMarked
package io.tenantry.spi;

import org.jspecify.annotations.NullMarked;
