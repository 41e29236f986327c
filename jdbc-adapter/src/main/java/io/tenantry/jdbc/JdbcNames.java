package io.tenantry.jdbc;

import io.tenantry.NameLimits;
import io.tenantry.PhysicalNaming;
import io.tenantry.TenantId;

/**
 * The physical names of a tenant's schema, role and database, all from {@link PhysicalNaming}, so
 * two tenants never share one within PostgreSQL's 63-byte identifiers. Tenantry always quotes them.
 */
final class JdbcNames {

    /** The schema a connection points at while no tenant holds it; it exists empty, and no tenant role may use it. */
    static final String EMPTY_SCHEMA = "tenantry_empty";

    private static final PhysicalNaming IDENTIFIERS = PhysicalNaming.of(NameLimits.POSTGRESQL_IDENTIFIER);

    /** Role names carry the database they serve, whose name is case-sensitive once quoted. */
    private static final PhysicalNaming ROLES = PhysicalNaming.of(
            new NameLimits("PostgreSQL role name", 63, "\u0000\"", false, '~'));

    private JdbcNames() {
    }

    /** Returns the schema of {@code tenant}: {@code schemaPrefix + tenant}. */
    static String schema(String schemaPrefix, TenantId tenant) {
        return IDENTIFIERS.name(schemaPrefix, tenant);
    }

    /**
     * Returns the role of {@code tenant} in the shared {@code database}: {@code rolePrefix + tenant + "~" +
     * database}. Roles are server-wide, so the database is part of the name: the same tenant in two
     * shared databases has two roles, each with rights on one schema only.
     */
    static String role(String rolePrefix, TenantId tenant, String database) {
        return ROLES.name(rolePrefix, tenant, database);
    }

    /** Returns the database of {@code tenant} on the DATABASE model: {@code databasePrefix + tenant}. */
    static String database(String databasePrefix, TenantId tenant) {
        return IDENTIFIERS.name(databasePrefix, tenant);
    }

    /** The naming of schemas and databases. */
    static PhysicalNaming identifiers() {
        return IDENTIFIERS;
    }

    /** The naming of roles, whose logical part is the shared database. */
    static PhysicalNaming roles() {
        return ROLES;
    }

    /** Returns {@code name} as a quoted SQL identifier. */
    static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

}
