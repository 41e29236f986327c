package io.tenantry.jdbc;

import io.tenantry.TenantLifecycleException;
import io.tenantry.jdbc.FieldCatalogue.TenantTable;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Makes the keys of one tenant table tenant-scoped, for {@link FieldProvisioning}: a primary key or
 * unique constraint on {@code (sku)} becomes one on {@code (tenant_id, sku)} under the same name, a
 * unique index likewise, and a foreign key between tenant tables on {@code (team_id) REFERENCES
 * teams (id)} becomes {@code (tenant_id, team_id) REFERENCES teams (tenant_id, id)}, its actions kept
 * ({@code SET NULL} and {@code SET DEFAULT} limited to the key's own columns, so the tenant column is
 * never cleared). Where no index leads with the tenant column, one is created. Stateless.
 */
final class FieldKeys {

    private FieldKeys() {
    }

    private record ForeignKey(String name, String table, List<String> columns, String referenced,
            List<String> referencedColumns, String actions) {
    }

    static void scope(Connection c, Statement s, FieldModel model, FieldCatalogue catalogue, TenantTable table)
            throws SQLException {
        String qualified = JdbcNames.quote(model.schema) + "." + JdbcNames.quote(table.name());
        String column = model.tenantColumn;
        for (String[] key : keys(c, qualified)) {
            String name = key[0];
            List<String> columns = List.of(key[2].split(","));
            if (columns.get(0).equals(column)) {
                continue;
            }
            List<ForeignKey> referencing = referencing(c, qualified, name);
            for (ForeignKey foreign : referencing) {
                if (catalogue.tenantTable(foreign.table()) == null) {
                    throw new TenantLifecycleException("Shared table \"" + foreign.table() + "\" references tenant"
                            + " table \"" + table.name() + "\" (foreign key " + foreign.name() + "), which would tie"
                            + " shared rows to one tenant's rows. Give \"" + foreign.table() + "\" the tenant column too,"
                            + " or drop the foreign key.");
                }
                s.execute("ALTER TABLE " + JdbcNames.quote(model.schema) + "." + JdbcNames.quote(foreign.table())
                        + " DROP CONSTRAINT " + JdbcNames.quote(foreign.name()));
            }
            String kind = key[1].equals("p") ? "PRIMARY KEY" : "UNIQUE";
            s.execute("ALTER TABLE " + qualified + " DROP CONSTRAINT " + JdbcNames.quote(name) + ", ADD CONSTRAINT "
                    + JdbcNames.quote(name) + " " + kind + " (" + JdbcNames.quote(column) + ", " + quoted(columns) + ")");
            for (ForeignKey foreign : referencing) {
                if (foreign.columns().contains(column)) {
                    continue;
                }
                s.execute("ALTER TABLE " + JdbcNames.quote(model.schema) + "." + JdbcNames.quote(foreign.table())
                        + " ADD CONSTRAINT " + JdbcNames.quote(foreign.name()) + " FOREIGN KEY ("
                        + JdbcNames.quote(column) + ", " + quoted(foreign.columns()) + ") REFERENCES " + qualified + " ("
                        + JdbcNames.quote(column) + ", " + quoted(foreign.referencedColumns()) + ")" + foreign.actions());
            }
        }
        scopeUniqueIndexes(c, s, qualified, column);
        if (!leadingIndex(c, qualified, column)) {
            s.execute("CREATE INDEX ON " + qualified + " (" + JdbcNames.quote(column) + ")");
        }
    }

    /** Primary keys and unique constraints: name, type and columns (comma-joined, in key order). */
    private static List<String[]> keys(Connection c, String qualified) throws SQLException {
        List<String[]> keys = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT con.conname, con.contype,"
                + " string_agg(a.attname, ',' ORDER BY k.ord) FROM pg_catalog.pg_constraint con"
                + " CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY k(attnum, ord)"
                + " JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum"
                + " WHERE con.conrelid = ?::regclass AND con.contype IN ('p', 'u')"
                + " GROUP BY con.conname, con.contype ORDER BY con.contype")) {
            p.setString(1, qualified);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    keys.add(new String[] {r.getString(1), r.getString(2), r.getString(3)});
                }
            }
        }
        return keys;
    }

    /** The foreign keys that rest on key {@code key} of {@code qualified}. */
    private static List<ForeignKey> referencing(Connection c, String qualified, String key) throws SQLException {
        List<ForeignKey> found = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT f.conname, t.relname,"
                + " (SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(f.conkey) WITH ORDINALITY k(n, ord)"
                + "  JOIN pg_catalog.pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.n),"
                + " (SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(f.confkey) WITH ORDINALITY k(n, ord)"
                + "  JOIN pg_catalog.pg_attribute a ON a.attrelid = f.confrelid AND a.attnum = k.n),"
                + " f.confupdtype, f.confdeltype, f.condeferrable, f.condeferred"
                + " FROM pg_catalog.pg_constraint f JOIN pg_catalog.pg_class t ON t.oid = f.conrelid"
                + " JOIN pg_catalog.pg_constraint k ON k.conrelid = f.confrelid AND k.conindid = f.conindid"
                + " WHERE f.contype = 'f' AND f.confrelid = ?::regclass AND k.conname = ?")) {
            p.setString(1, qualified);
            p.setString(2, key);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    List<String> columns = strings(r.getArray(3));
                    String onDelete = action(r.getString(6));
                    if (onDelete.startsWith("SET")) {
                        // PostgreSQL 15+: clear the key's own columns only, never the tenant column
                        onDelete += " (" + quoted(columns) + ")";
                    }
                    String actions = " ON UPDATE " + action(r.getString(5)) + " ON DELETE " + onDelete
                            + (r.getBoolean(7) ? " DEFERRABLE" : "") + (r.getBoolean(8) ? " INITIALLY DEFERRED" : "");
                    found.add(new ForeignKey(r.getString(1), r.getString(2), columns, qualified,
                            strings(r.getArray(4)), actions));
                }
            }
        }
        return found;
    }

    private static List<String> strings(Array array) throws SQLException {
        return List.of((String[]) array.getArray());
    }

    private static String action(String code) {
        return switch (code) {
            case "r" -> "RESTRICT";
            case "c" -> "CASCADE";
            case "n" -> "SET NULL";
            case "d" -> "SET DEFAULT";
            default -> "NO ACTION";
        };
    }

    /** Unique indexes that back no constraint and do not lead with the tenant column: recreated with it first. */
    private static void scopeUniqueIndexes(Connection c, Statement s, String qualified, String column)
            throws SQLException {
        List<String[]> indexes = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT i.indexrelid::regclass::text,"
                + " pg_catalog.pg_get_indexdef(i.indexrelid), a.attname FROM pg_catalog.pg_index i"
                + " LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
                + " WHERE i.indrelid = ?::regclass AND i.indisunique"
                + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid)")) {
            p.setString(1, qualified);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    if (!column.equals(r.getString(3))) {
                        indexes.add(new String[] {r.getString(1), r.getString(2)});
                    }
                }
            }
        }
        for (String[] index : indexes) {
            String definition = index[1];
            int using = definition.indexOf(" USING ");
            int open = definition.indexOf('(', using);
            s.execute("DROP INDEX " + index[0]);
            s.execute(definition.substring(0, open + 1) + JdbcNames.quote(column) + ", " + definition.substring(open + 1));
        }
    }

    private static boolean leadingIndex(Connection c, String qualified, String column) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_index i"
                + " JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
                + " WHERE i.indrelid = ?::regclass AND a.attname = ?")) {
            p.setString(1, qualified);
            p.setString(2, column);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    private static String quoted(List<String> columns) {
        return columns.stream().map(JdbcNames::quote).collect(Collectors.joining(", "));
    }
}
