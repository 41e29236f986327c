/** JMH benchmarks of Tenantry's per-request cost. Run them from {@code benchmarks/target/benchmarks.jar}. */
@NullMarked
package io.tenantry.benchmarks;

import org.jspecify.annotations.NullMarked;
