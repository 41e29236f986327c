/**
 * Tenantry on PostgreSQL over plain JDBC: {@link io.tenantry.jdbc.TenantJdbc} hands out one routing
 * {@link javax.sql.DataSource} that an application keeps as a singleton and gives to
 * {@code JdbcTemplate}, jOOQ, MyBatis or Hibernate unchanged; every connection it hands out is
 * confined to the tenant bound when it was obtained, on a schema per tenant
 * ({@link io.tenantry.Placement#schema}) or a database per tenant ({@link io.tenantry.Placement#database}).
 * {@link io.tenantry.jdbc.JdbcTenantDirectory} keeps the catalogue of tenants in a table, and
 * {@link io.tenantry.jdbc.JdbcProvisioning} creates tenants' schemas, roles and databases and runs
 * their migrations.
 */
@NullMarked
package io.tenantry.jdbc;

import org.jspecify.annotations.NullMarked;
