package io.tenantry.spring;

import io.tenantry.TenantDirectory;

/**
 * Contributes a store-backed tenant catalogue for one value of {@code tenantry.directory.source}: the
 * MongoDB adapter's auto-configuration provides {@code mongodb}, the JDBC adapter's will provide
 * {@code jdbc}. The core auto-configuration picks the provider the property names and wraps its
 * directory in the cache configured under {@code tenantry.directory.cache}. Implementations must be
 * thread-safe.
 */
public interface TenantDirectoryProvider {

    /** Returns the {@code tenantry.directory.source} this provider serves. */
    TenantryProperties.DirectorySource source();

    /**
     * Opens the catalogue (uncached).
     *
     * @throws InvalidTenantryConfigurationException if its settings cannot work
     */
    TenantDirectory directory();
}
