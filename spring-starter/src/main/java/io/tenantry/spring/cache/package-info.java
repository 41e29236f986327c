/**
 * Spring's cache abstraction confined to the bound tenant: every {@code @Cacheable},
 * {@code @CachePut} and {@code @CacheEvict} entry is keyed by tenant as well as by its own key.
 */
@NullMarked
package io.tenantry.spring.cache;

import org.jspecify.annotations.NullMarked;
