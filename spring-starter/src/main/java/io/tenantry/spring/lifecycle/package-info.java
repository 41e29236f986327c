/**
 * The tenant lifecycle in a Spring Boot application: core's {@code TenantLifecycle} over the adapters' data
 * stores and the journal kept beside the catalogue, recovery of interrupted operations at start-up.
 */
@NullMarked
package io.tenantry.spring.lifecycle;

import org.jspecify.annotations.NullMarked;
