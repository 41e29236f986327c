package io.tenantry.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Metadata that shows a tenant only what it owns. On the schema model, every method that takes a
 * schema or schema pattern is answered for the tenant's own schema when the argument is null or
 * matches it, and for the empty schema otherwise (an empty result with the right columns), and
 * {@code getSchemas} lists the tenant's schema alone. On both models {@code getCatalogs} lists the
 * connection's own database only: the driver's lists every database of the server, tenants' included.
 */
final class ScopedMetaData {

    /** The index of each schema argument; positive for exact names, negative (-index - 1) for patterns. */
    private static final Map<String, int[]> SCHEMA_ARGUMENTS = Map.ofEntries(
            Map.entry("getProcedures", pattern(1)),
            Map.entry("getProcedureColumns", pattern(1)),
            Map.entry("getTables", pattern(1)),
            Map.entry("getColumns", pattern(1)),
            Map.entry("getColumnPrivileges", new int[] {1}),
            Map.entry("getTablePrivileges", pattern(1)),
            Map.entry("getBestRowIdentifier", new int[] {1}),
            Map.entry("getVersionColumns", new int[] {1}),
            Map.entry("getPrimaryKeys", new int[] {1}),
            Map.entry("getImportedKeys", new int[] {1}),
            Map.entry("getExportedKeys", new int[] {1}),
            Map.entry("getCrossReference", new int[] {1, 4}),
            Map.entry("getIndexInfo", new int[] {1}),
            Map.entry("getUDTs", pattern(1)),
            Map.entry("getSuperTypes", pattern(1)),
            Map.entry("getSuperTables", pattern(1)),
            Map.entry("getAttributes", pattern(1)),
            Map.entry("getFunctions", pattern(1)),
            Map.entry("getFunctionColumns", pattern(1)),
            Map.entry("getPseudoColumns", pattern(1)),
            Map.entry("getSchemas", pattern(1)));

    private ScopedMetaData() {
    }

    private static int[] pattern(int index) {
        return new int[] {-index - 1};
    }

    /** Answers {@code method} of {@code meta} for the tenant of {@code checkout}. */
    static @Nullable Object answer(Checkout checkout, DatabaseMetaData meta, Method method, Object @Nullable [] args)
            throws Throwable {
        String name = method.getName();
        if (name.equals("getCatalogs")) {
            return catalogs(meta);
        }
        String own = checkout.target.schema();
        if (own == null) {
            return invoke(meta, method, args);
        }
        if (name.equals("getSchemas") && (args == null || args.length == 0)) {
            return meta.getSchemas(null, escape(own));
        }
        int[] positions = SCHEMA_ARGUMENTS.get(name);
        if (positions == null || args == null) {
            throw new IllegalStateException("No schema scoping is known for DatabaseMetaData." + name);
        }
        Object[] scoped = args.clone();
        for (int position : positions) {
            boolean isPattern = position < 0;
            int index = isPattern ? -position - 1 : position;
            String given = (String) scoped[index];
            boolean mine = given == null || (isPattern ? like(given, own) : given.equals(own));
            String schema = mine ? own : JdbcNames.EMPTY_SCHEMA;
            scoped[index] = isPattern ? escape(schema) : schema;
        }
        return invoke(meta, method, scoped);
    }

    private static ResultSet catalogs(DatabaseMetaData meta) throws SQLException {
        java.sql.Statement statement = meta.getConnection().createStatement();
        statement.closeOnCompletion();
        return statement.executeQuery("SELECT current_database() AS \"TABLE_CAT\"");
    }

    private static @Nullable Object invoke(DatabaseMetaData meta, Method method, Object @Nullable [] args)
            throws Throwable {
        try {
            return method.invoke(meta, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Escapes a name for a metadata pattern (the driver's escape is a backslash). */
    static String escape(String name) {
        return name.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%");
    }

    /** Returns whether {@code name} matches the JDBC (LIKE) {@code pattern}: {@code %}, {@code _}, {@code \} escapes. */
    static boolean like(String pattern, String name) {
        return like(pattern, 0, name, 0);
    }

    private static boolean like(String pattern, int p, String name, int n) {
        while (p < pattern.length()) {
            char c = pattern.charAt(p);
            if (c == '%') {
                for (int rest = n; rest <= name.length(); rest++) {
                    if (like(pattern, p + 1, name, rest)) {
                        return true;
                    }
                }
                return false;
            }
            if (n >= name.length()) {
                return false;
            }
            if (c == '\\' && p + 1 < pattern.length()) {
                c = pattern.charAt(++p);
                if (name.charAt(n) != c) {
                    return false;
                }
            } else if (c != '_' && name.charAt(n) != c) {
                return false;
            }
            p++;
            n++;
        }
        return n == name.length();
    }
}
