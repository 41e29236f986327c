package io.tenantry.spring;

/**
 * For the MongoDB test applications of this module: its tests also exercise the JDBC wiring, so Spring
 * Boot's JDBC, JPA and Flyway auto-configurations are on the test class path, and Boot's own
 * {@code DataSource} auto-configuration would fail for want of a URL. An application without a SQL
 * database excludes it, as a real MongoDB application with those jars would.
 */
public final class NoSqlDatabase {

    /** Spring Boot's {@code DataSource} auto-configuration. */
    public static final String DATA_SOURCE = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";

    private NoSqlDatabase() {
    }
}
