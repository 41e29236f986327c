package io.tenantry.jdbc;

import io.tenantry.Placement;
import io.tenantry.TenantLifecycleException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The FIELD model's settings and, per shared database, its statements. Thread-safe.
 *
 * @see TenantJdbc.Builder#tenantColumn(String)
 */
final class FieldModel {

    final String schema;
    final String tenantColumn;
    final Set<String> declaredTables;
    final boolean rowLevelSecurity;
    final boolean rewriting;
    final List<String> sharedMigrations;
    private final String rolePrefix;
    private final ConcurrentMap<Placement, FieldStatements> statements = new ConcurrentHashMap<>();

    FieldModel(String schema, String tenantColumn, Set<String> declaredTables, boolean rowLevelSecurity,
            boolean rewriting, List<String> sharedMigrations, String rolePrefix) {
        this.schema = schema;
        this.tenantColumn = tenantColumn;
        this.declaredTables = Set.copyOf(declaredTables);
        this.rowLevelSecurity = rowLevelSecurity;
        this.rewriting = rewriting;
        this.sharedMigrations = List.copyOf(sharedMigrations);
        this.rolePrefix = rolePrefix;
    }

    /**
     * The role tenant sessions on the shared tables of {@code database} act as: it owns nothing, may read
     * and write the tenant tables and read the shared ones, and is subject to row-level security. A
     * {@code ~} starts its name's middle part, which no tenant id can, so it is never a tenant's role.
     */
    String role(String database) {
        String name = rolePrefix + "~field~" + database;
        if (name.getBytes(StandardCharsets.UTF_8).length <= 63) {
            return name;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            String suffix = "~" + HexFormat.of().formatHex(hash, 0, 10);
            String head = name;
            while (head.getBytes(StandardCharsets.UTF_8).length > 63 - suffix.length()) {
                head = head.substring(0, head.length() - 1);
            }
            return head + suffix;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * The statements of {@code target}'s shared database, its catalogue read over {@code c} the first
     * time.
     *
     * @throws TenantLifecycleException if the shared tables are not there
     */
    FieldStatements statements(JdbcTarget target, Connection c) throws SQLException {
        FieldStatements known = statements.get(key(target));
        if (known != null) {
            return known;
        }
        FieldCatalogue catalogue = FieldCatalogue.read(c, schema, tenantColumn, declaredTables);
        return statements.computeIfAbsent(key(target), k -> new FieldStatements(catalogue, rewriting));
    }

    /** Replaces what is known of {@code target}'s shared database by {@code catalogue}, read after provisioning. */
    void catalogueChanged(JdbcTarget target, FieldCatalogue catalogue) {
        statements.put(key(target), new FieldStatements(catalogue, rewriting));
    }

    /** The shared tables of a FIELD placement are those of its store and database: the placement is the key. */
    private static Placement key(JdbcTarget target) {
        return target.placement();
    }
}
