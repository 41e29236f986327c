/**
 * The isolation contract kit: Tenantry's isolation guarantees as abstract JUnit Jupiter suites that
 * any stack runs with a short subclass.
 *
 * <ul>
 *   <li>{@link io.tenantry.tck.IsolationContract}: over a {@link io.tenantry.tck.TenantScopedStore}
 *       adapted from the stack under test, random interleavings of several tenants' operations are
 *       compared, step by step, with a per-tenant model; operations without a tenant must fail
 *       closed; concurrent tenants must stay apart.
 *   <li>{@link io.tenantry.tck.NamingContract}: a {@link io.tenantry.PhysicalNaming} never gives two
 *       tenants, or two resources, one physical name, and its names fit the store's limits.
 *   <li>{@link io.tenantry.tck.ContextContract}: the tenant binding travels with work handed to an
 *       executor, and never stays behind on a pooled thread.
 *   <li>{@link io.tenantry.tck.AuditLogContract}: a store-backed {@link io.tenantry.spi.AuditLog} keeps
 *       every event and answers queries by tenant, kind and time, newest first; a purge removes only
 *       older events.
 *   <li>{@link io.tenantry.tck.UsageHistoryContract}: a {@link io.tenantry.spi.UsageHistory} keeps every
 *       measurement and answers by tenant and time window, oldest first, the latest within the limit; a
 *       purge removes only older measurements.
 * </ul>
 *
 * <p>Each property runs a number of tries over generated inputs. A failure reports the seed that
 * reproduces it ({@code -Dtenantry.tck.seed=...}) and, for operation sequences, the shortest failing
 * sequence found by removing steps. {@code -Dtenantry.tck.tries=N} changes the default number of
 * tries; a subclass may override {@code tries()} instead.
 *
 * <p>The properties run on {@link io.tenantry.tck.Trials}, a small seeded, shrinking property runner
 * that adapters and users may use for their own properties.
 */
@NullMarked
package io.tenantry.tck;

import org.jspecify.annotations.NullMarked;
