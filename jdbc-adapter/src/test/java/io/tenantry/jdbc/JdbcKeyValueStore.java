package io.tenantry.jdbc;

import io.tenantry.tck.TenantScopedStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The isolation contract's store over Tenantry's routing {@link DataSource}, written the way an
 * application would write it: plain JDBC on a table {@code items(k, v)}, no tenant anywhere in the SQL.
 */
final class JdbcKeyValueStore implements TenantScopedStore {

    private final DataSource dataSource;
    private final String conflictTarget;

    JdbcKeyValueStore(DataSource dataSource) {
        this(dataSource, "(k)");
    }

    /**
     * @param conflictTarget what the upsert names: {@code (k)}, or {@code ON CONSTRAINT items_pkey} where
     *     nothing rewrites the SQL and the key is {@code (tenant_id, k)} (row-level security alone)
     */
    JdbcKeyValueStore(DataSource dataSource, String conflictTarget) {
        this.dataSource = dataSource;
        this.conflictTarget = conflictTarget;
    }

    @Override
    public void write(String key, String value) {
        update("INSERT INTO items (k, v) VALUES (?, ?) ON CONFLICT " + conflictTarget + " DO UPDATE SET v = excluded.v",
                key, value);
    }

    @Override
    public Optional<String> read(String key) {
        List<String> values = strings("SELECT v FROM items WHERE k = ?", key);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public List<String> query(String valuePrefix) {
        return strings("SELECT v FROM items WHERE starts_with(v, ?) ORDER BY v COLLATE \"C\"", valuePrefix);
    }

    @Override
    public long count() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM items")) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean delete(String key) {
        return update("DELETE FROM items WHERE k = ?", key) == 1;
    }

    @Override
    public void clear() {
        update("DELETE FROM items");
    }

    private int update(String sql, String... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                p.setString(i + 1, parameters[i]);
            }
            return p.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> strings(String sql, String parameter) {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, parameter);
            try (ResultSet r = p.executeQuery()) {
                List<String> values = new ArrayList<>();
                while (r.next()) {
                    values.add(r.getString(1));
                }
                return values;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
