/**
 * PostgreSQL wiring: Tenantry's routing {@code DataSource} as the application's primary one, the
 * control plane on {@code spring.datasource.*}, the JDBC tenant catalogue, per-tenant migrations at
 * start-up, and the settings that Spring Data JDBC, Hibernate and Spring's transactions need on a
 * routing {@code DataSource}.
 */
@NullMarked
package io.tenantry.spring.jdbc;

import org.jspecify.annotations.NullMarked;
