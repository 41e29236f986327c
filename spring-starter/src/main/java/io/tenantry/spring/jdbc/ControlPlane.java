package io.tenantry.spring.jdbc;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The control-plane database: where the tenant catalogue, Boot's Flyway history and the application's
 * own administration tables live. It belongs to no tenant, so it is reached through a plain pool, never
 * through the routing {@code DataSource}. Its URL and credentials, when known, also give the default
 * store ("main": the same server, the same login role).
 *
 * @param dataSource a plain data source on the control-plane database
 * @param beanName the bean it is
 * @param url its JDBC URL, when known
 * @param username its login role, when known
 * @param password its password, when known
 */
record ControlPlane(DataSource dataSource, String beanName, @Nullable String url, @Nullable String username,
        @Nullable String password) {

    private static final Pattern POSTGRES_URL =
            Pattern.compile("(jdbc:postgresql://[^/?]+)(?:/([^?]*))?(\\?.*)?");

    /** Returns the URL of the control plane's server without the database, or null if it is not PostgreSQL's. */
    @Nullable String serverUrl() {
        Matcher m = url == null ? null : POSTGRES_URL.matcher(url);
        if (m == null || !m.matches()) {
            return null;
        }
        return m.group(1) + "/" + (m.group(3) == null ? "" : m.group(3));
    }

    /** Returns the control plane's database, or null if the URL does not say. */
    @Nullable String database() {
        Matcher m = url == null ? null : POSTGRES_URL.matcher(url);
        if (m == null || !m.matches() || m.group(2) == null || m.group(2).isEmpty()) {
            return null;
        }
        return m.group(2);
    }
}
