package io.tenantry.jdbc;

import io.tenantry.TenantLifecycleException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the FIELD model knows about one shared schema: which tables carry the tenant column (tenant
 * tables), their columns, and which tables are shared by every tenant (reference data). Immutable and
 * thread-safe; {@link FieldProvisioning} reads it from PostgreSQL's catalogue.
 *
 * @param schema the shared schema, as PostgreSQL stores its name
 * @param tenantColumn the tenant column, as PostgreSQL stores its name
 * @param tenantTables the tenant tables by name
 * @param sharedTables the other tables and views of the schema, which tenants may read but not write
 */
record FieldCatalogue(String schema, String tenantColumn, Map<String, TenantTable> tenantTables,
        Set<String> sharedTables) {

    /** The setting that holds the bound tenant during a checkout; tenant SQL can neither set nor reset it. */
    static final String SETTING = "tenantry.tenant";

    /**
     * One tenant table.
     *
     * @param name its name
     * @param columns its columns in table order, the tenant column left out: what {@code *} means to a tenant
     * @param tenantType the SQL type of its tenant column ({@code text}, {@code uuid}, ...)
     * @param table whether it is a table (keys, policies and writes apply) rather than a view
     */
    record TenantTable(String name, List<String> columns, String tenantType, boolean table) {

        TenantTable {
            columns = List.copyOf(columns);
        }

        /** A tenant table proper. */
        TenantTable(String name, List<String> columns, String tenantType) {
            this(name, columns, tenantType, true);
        }
    }

    FieldCatalogue {
        tenantTables = Map.copyOf(tenantTables);
        sharedTables = Set.copyOf(sharedTables);
    }

    /** Tables of the shared schema that are Tenantry's or Flyway's, never the application's data. */
    static final Set<String> BOOKKEEPING = Set.of("flyway_schema_history");

    /**
     * Reads the catalogue of {@code schema}: its tables, views and their columns. With {@code declared}
     * empty, the tenant tables are those with the tenant column; otherwise exactly the declared ones.
     *
     * @throws TenantLifecycleException if a declared table does not exist or lacks the tenant column, or
     *     no table has the tenant column (the shared tables were not created)
     */
    static FieldCatalogue read(Connection c, String schema, String tenantColumn, Set<String> declared)
            throws SQLException {
        Map<String, List<String[]>> columns = new LinkedHashMap<>();
        Set<String> tables = new HashSet<>();
        try (PreparedStatement p = c.prepareStatement("SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod),"
                + " c.relkind IN ('r', 'p')"
                + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY c.relname, a.attnum")) {
            p.setString(1, schema);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    columns.computeIfAbsent(r.getString(1), t -> new ArrayList<>())
                            .add(new String[] {r.getString(2), r.getString(3)});
                    if (r.getBoolean(4)) {
                        tables.add(r.getString(1));
                    }
                }
            }
        }
        Map<String, TenantTable> tenantTables = new LinkedHashMap<>();
        Set<String> shared = new HashSet<>();
        for (Map.Entry<String, List<String[]>> table : columns.entrySet()) {
            String name = table.getKey();
            List<String> visible = new ArrayList<>();
            String type = null;
            for (String[] column : table.getValue()) {
                if (column[0].equals(tenantColumn)) {
                    type = column[1];
                } else {
                    visible.add(column[0]);
                }
            }
            boolean tenant = declared.isEmpty() ? type != null : declared.contains(name);
            if (tenant && type == null) {
                throw new TenantLifecycleException("Table \"" + name + "\" of schema \"" + schema + "\" is declared a"
                        + " tenant table but has no column \"" + tenantColumn + "\". Add the column in a migration, or"
                        + " configure the tenant column's name with TenantJdbc.Builder.tenantColumn(...).");
            }
            if (tenant) {
                tenantTables.put(name, new TenantTable(name, visible, type, tables.contains(name)));
            } else if (!BOOKKEEPING.contains(name)) {
                shared.add(name);
            }
        }
        for (String name : declared) {
            if (!columns.containsKey(name)) {
                throw new TenantLifecycleException("Tenant table \"" + name + "\" does not exist in schema \"" + schema
                        + "\". Create it in the shared migrations, or remove it from TenantJdbc.Builder.tenantTables(...).");
            }
        }
        if (tenantTables.isEmpty()) {
            throw new TenantLifecycleException("Schema \"" + schema + "\" has no table with the tenant column \""
                    + tenantColumn + "\", so the FIELD model has nothing to confine. Create the shared tables (with"
                    + " TenantJdbc.Builder.sharedMigrations(...)) and provision a tenant before its first request.");
        }
        return new FieldCatalogue(schema, tenantColumn, tenantTables, shared);
    }

    @Nullable TenantTable tenantTable(String name) {
        return tenantTables.get(name);
    }

    /**
     * The bound tenant as a value of the tenant column's type: the same text for every tenant, so that
     * the driver's server-side prepared statements are shared by all of them. Null (matching no row) when
     * no tenant is set; {@code current_setting} is {@code STABLE}, so PostgreSQL evaluates it once per
     * statement and can search an index on the tenant column with it.
     */
    static String tenantValue(String type) {
        return "CAST(NULLIF(current_setting('" + SETTING + "', true), '') AS " + type + ")";
    }
}
