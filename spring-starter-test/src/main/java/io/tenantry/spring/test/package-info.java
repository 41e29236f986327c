/**
 * Test support for applications built on Tenantry's Spring Boot starter:
 * {@link io.tenantry.spring.test.EmbeddedTenantryMongo} puts an in-process MongoDB server in place of
 * every MongoDB cluster the application is configured with, for the life of a test application context.
 */
@NullMarked
package io.tenantry.spring.test;

import org.jspecify.annotations.NullMarked;
