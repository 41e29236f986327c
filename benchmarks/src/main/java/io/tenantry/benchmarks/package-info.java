/**
 * JMH benchmarks of Tenantry's per-request cost, and whole-workload comparisons against the raw
 * MongoDB driver and raw JDBC. Run them from {@code benchmarks/target/benchmarks.jar}.
 */
@NullMarked
package io.tenantry.benchmarks;

import org.jspecify.annotations.NullMarked;
