/**
 * Background work: tenant propagation to task executors and per-tenant jobs.
 */
@NullMarked
package io.tenantry.spring.task;

import org.jspecify.annotations.NullMarked;
