/**
 * Quotas: {@code tenantry.quotas.*} wires core's {@link io.tenantry.TenantQuotas} (tier quotas, a ledger of
 * running counts) into the adapters, which check every write against it, and answers a refused write with a
 * problem detail.
 */
@NullMarked
package io.tenantry.spring.quota;

import org.jspecify.annotations.NullMarked;
