package io.tenantry.jdbc;

import io.tenantry.IsolationModel;
import io.tenantry.TenantLifecycleException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One tenant's tables at one placement, as {@link JdbcTenantDataStore} reads and writes them, outside any
 * tenant scope, on new connections of the store's login role (never the routing pools):
 *
 * <ul>
 *   <li>FIELD: the tenant tables of the shared schema (those with the tenant column, or those declared),
 *       restricted to the tenant's rows by a condition on the tenant column, with the tenant setting set
 *       as well, so that row-level security holds the same line (it applies to the tables' owner too,
 *       being forced);
 *   <li>schema: every table of the tenant's schema, as the tenant's role, which owns them;
 *   <li>database: every table of schema {@code public} of the tenant's database (where the migrations
 *       put them), as the login role, which owns them.
 * </ul>
 *
 * Tables are named as the tenant names them (without schema), and their columns are those the tenant
 * sees (the tenant column left out), sorted by name: the same logical table has the same form on every
 * model. Sessions are pinned to settings that make every value's text form canonical ({@link #SESSION}),
 * so that text read on one server is read back the same on another. Immutable.
 */
final class PlacedTables {

    /**
     * The settings of every lifecycle session: the text form of {@code timestamptz}, {@code interval},
     * floating-point numbers, {@code bytea} and {@code money} depends on them, and both sides of a copy,
     * and both digests of a move, must read and write the same text. PostgreSQL 12+ prints floats at the
     * shortest precision that reads back exactly when {@code extra_float_digits} is positive.
     */
    static final String SESSION = "SET TimeZone TO 'UTC'; SET IntervalStyle TO 'postgres'; SET extra_float_digits TO 1;"
            + " SET bytea_output TO 'hex'; SET standard_conforming_strings TO on; SET lc_monetary TO 'C'";

    /**
     * A column as the tenant sees it.
     *
     * @param name its name, as PostgreSQL stores it
     * @param type its type, as {@code format_type} names it ({@code numeric(12,2)})
     * @param generated whether it is a generated column (computed, never written)
     * @param sequence the sequence it draws from (serial or identity), as {@code pg_get_serial_sequence}
     *     names it, or null
     */
    record Column(String name, String type, boolean generated, @Nullable String sequence) {
    }

    /**
     * A table as the tenant sees it.
     *
     * @param name its name, without schema
     * @param partitioned whether it is a partitioned table (read and written through its partitions)
     * @param tenantType on the FIELD model, the SQL type of its tenant column; null on the others
     * @param columns its columns, the tenant column left out, sorted by name
     */
    record Table(String name, boolean partitioned, @Nullable String tenantType, List<Column> columns) {

        Table {
            columns = List.copyOf(columns);
        }

        /** Returns the columns a copy writes: all but the generated ones. */
        List<Column> written() {
            return columns.stream().filter(c -> !c.generated()).toList();
        }

        /** Returns the column names, sorted. */
        List<String> names() {
            return columns.stream().map(Column::name).toList();
        }
    }

    final JdbcTarget target;
    final JdbcStore store;
    private final FieldModel field;
    /** The schema that holds the tables: the shared one, the tenant's, or {@code public}. */
    final String schema;

    PlacedTables(JdbcTarget target, JdbcStore store, FieldModel field) {
        this.target = target;
        this.store = store;
        this.field = field;
        this.schema = target.schema() != null ? target.schema() : "public";
    }

    IsolationModel model() {
        return target.placement().model();
    }

    /**
     * Opens a session on the placement, switched as its model needs ({@link PlacedTables}) and with the
     * canonical settings, auto-commit on.
     *
     * @return the connection, or null if the placement does not exist (no database, no tenant schema): then
     *     the tenant has nothing there
     */
    @Nullable Connection open() throws SQLException {
        Connection c = connectIfExists(store, target.database());
        if (c == null) {
            return null;
        }
        try (Statement s = c.createStatement()) {
            if (model() == IsolationModel.COLLECTION) {
                if (!JdbcProvisioning.exists(c, "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?", schema)) {
                    c.close();
                    return null;
                }
                s.execute(SESSION + "; " + target.switchSql());
            } else if (model() == IsolationModel.FIELD) {
                s.execute(SESSION + "; " + target.tenantSql());
            } else {
                s.execute(SESSION);
            }
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Begins a read-only transaction that sees every table as of one moment. */
    static void snapshot(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }
    }

    /**
     * Returns the tenant's tables at this placement, by name.
     *
     * @throws TenantLifecycleException on the database model, if a table lies outside schema {@code public}
     *     (the lifecycle would not see it, and would lose it)
     */
    Map<String, Table> tables(Connection c) throws SQLException {
        Map<String, List<String[]>> found = new HashMap<>();
        Set<String> partitioned = new java.util.HashSet<>();
        try (PreparedStatement p = c.prepareStatement("SELECT c.relname, c.relkind = 'p', a.attname,"
                + " format_type(a.atttypid, a.atttypmod), a.attgenerated <> '',"
                + " pg_catalog.pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname)"
                + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition")) {
            p.setString(1, schema);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    found.computeIfAbsent(r.getString(1), t -> new ArrayList<>()).add(new String[] {r.getString(3),
                            r.getString(4), Boolean.toString(r.getBoolean(5)), r.getString(6)});
                    if (r.getBoolean(2)) {
                        partitioned.add(r.getString(1));
                    }
                }
            }
        }
        if (model() == IsolationModel.DATABASE) {
            refuseOtherSchemas(c);
        }
        Map<String, Table> tables = new TreeMap<>();
        found.forEach((name, columns) -> {
            Table table = table(name, partitioned.contains(name), columns);
            if (table != null) {
                tables.put(name, table);
            }
        });
        return tables;
    }

    private @Nullable Table table(String name, boolean partitioned, List<String[]> rows) {
        if (FieldCatalogue.BOOKKEEPING.contains(name)) {
            return null;
        }
        String tenantType = null;
        List<Column> columns = new ArrayList<>();
        for (String[] row : rows) {
            if (model() == IsolationModel.FIELD && row[0].equals(field.tenantColumn)) {
                tenantType = row[1];
            } else {
                columns.add(new Column(row[0], row[1], Boolean.parseBoolean(row[2]), row[3]));
            }
        }
        if (model() == IsolationModel.FIELD
                && (tenantType == null || !field.declaredTables.isEmpty() && !field.declaredTables.contains(name))) {
            return null; // shared reference data, not the tenant's
        }
        // by code point, not by any server's collation: the order must be the same on every server
        columns.sort(Comparator.comparing(Column::name));
        return new Table(name, partitioned, tenantType, columns);
    }

    private void refuseOtherSchemas(Connection c) throws SQLException {
        List<String> outside = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT n.nspname || '.' || c.relname"
                + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind IN ('r', 'p') AND n.nspname <> 'public' AND n.nspname <> 'information_schema'"
                + " AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1 LIMIT 10")) {
            while (r.next()) {
                outside.add(r.getString(1));
            }
        }
        if (!outside.isEmpty()) {
            throw new TenantLifecycleException("Tenant \"" + target.tenant() + "\"'s database \"" + target.database()
                    + "\" has tables outside schema public " + outside + ", which the tenant lifecycle does not move"
                    + " or measure. Keep the tenant migrations' tables in schema public.");
        }
    }

    /**
     * Returns {@code tables} parents first: a table comes after every table it references by a foreign
     * key, so that rows can be inserted in that order and deleted in the reverse one. Tables in a cycle
     * (or referencing themselves) come in name order, after the others: their keys must be
     * {@code DEFERRABLE} for a copy to insert them.
     */
    List<Table> parentsFirst(Connection c, Map<String, Table> tables) throws SQLException {
        Map<String, Set<String>> parents = new TreeMap<>();
        tables.keySet().forEach(name -> parents.put(name, new TreeSet<>()));
        try (PreparedStatement p = c.prepareStatement("SELECT t.relname, r.relname FROM pg_catalog.pg_constraint f"
                + " JOIN pg_catalog.pg_class t ON t.oid = f.conrelid JOIN pg_catalog.pg_class r ON r.oid = f.confrelid"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace"
                + " JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace"
                + " WHERE f.contype = 'f' AND n.nspname = ? AND rn.nspname = ?")) {
            p.setString(1, schema);
            p.setString(2, schema);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String child = r.getString(1);
                    String parent = r.getString(2);
                    if (parents.containsKey(child) && tables.containsKey(parent) && !child.equals(parent)) {
                        parents.get(child).add(parent);
                    }
                }
            }
        }
        List<Table> ordered = new ArrayList<>();
        Set<String> placed = new java.util.HashSet<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Map.Entry<String, Set<String>> entry : parents.entrySet()) {
                if (!placed.contains(entry.getKey()) && placed.containsAll(entry.getValue())) {
                    placed.add(entry.getKey());
                    ordered.add(tables.get(entry.getKey()));
                    progress = true;
                }
            }
        }
        parents.keySet().stream().filter(name -> !placed.contains(name)).forEach(name -> ordered.add(tables.get(name)));
        return ordered;
    }

    /** Returns the table's schema-qualified, quoted name. */
    String qualified(Table table) {
        return JdbcNames.quote(schema) + "." + JdbcNames.quote(table.name());
    }

    /**
     * Returns what a statement reads from: the table itself, not the tables that inherit from it (a
     * partitioned table is read through its partitions), restricted to the tenant's rows on the FIELD model.
     */
    String rowsOf(Table table) {
        return (table.partitioned() ? "" : "ONLY ") + qualified(table) + tenantCondition(table);
    }

    /** Returns {@code WHERE tenant_column = <tenant>} on the FIELD model, else nothing. */
    String tenantCondition(Table table) {
        return table.tenantType() == null ? ""
                : " WHERE " + JdbcNames.quote(field.tenantColumn) + " = " + tenantValue(table);
    }

    /** Returns the tenant column's name on the FIELD model. */
    String tenantColumn() {
        return field.tenantColumn;
    }

    /** The tenant as a value of the table's tenant column; tenant ids are of {@code [a-z0-9_-]}, safe in a literal. */
    String tenantValue(Table table) {
        return "CAST('" + target.tenant().value() + "' AS " + table.tenantType() + ")";
    }

    /** Returns a new connection of the store's login role to {@code database}, or null if there is no such database. */
    static @Nullable Connection connectIfExists(JdbcStore store, String database) throws SQLException {
        try {
            return connect(store, database);
        } catch (SQLException e) {
            if ("3D000".equals(e.getSQLState())) {
                return null;
            }
            throw e;
        }
    }

    /** Returns a new, unpooled connection of the store's login role to {@code database}. */
    static Connection connect(JdbcStore store, String database) throws SQLException {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(store.url(database));
        ds.setUser(store.user());
        ds.setPassword(store.password());
        ds.setApplicationName("tenantry-lifecycle");
        // a failed batch would otherwise print the tenant's values (a whole bytea, say) in the exception
        ds.setLogServerErrorDetail(false);
        int seconds = (int) Math.max(1, store.connectionTimeout().toSeconds());
        ds.setConnectTimeout(seconds);
        ds.setLoginTimeout(seconds);
        return ds.getConnection();
    }
}
