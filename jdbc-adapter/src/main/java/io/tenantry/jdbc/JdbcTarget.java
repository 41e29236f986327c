package io.tenantry.jdbc;

import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.TenantId;
import org.jspecify.annotations.Nullable;

/**
 * Where one tenant's connections go: the store, the physical database and, on the schema model, the
 * tenant's schema and role. Immutable.
 *
 * @param tenant the tenant
 * @param placement its placement
 * @param database the physical database: the shared one, or the tenant's own
 * @param schema the tenant's schema on the schema model, the shared schema on the FIELD model, null on
 *     the database model
 * @param role the tenant's role on the schema model, the shared tables' role on the FIELD model, null
 *     on the database model
 * @param readOnly whether the tenant may only read (its status is read-only)
 * @param switchSql on the schema and FIELD models, what switches a session to the tenant's role,
 *     schema and (FIELD) tenant setting; it also names what a session points at
 * @param tenantSql on the FIELD model, the end of {@code switchSql} that sets the tenant: all a session
 *     already on the shared tables' role and schema, which every tenant of the database shares, needs
 */
record JdbcTarget(TenantId tenant, Placement placement, String database, @Nullable String schema,
        @Nullable String role, boolean readOnly, @Nullable String switchSql, @Nullable String tenantSql) {

    /** A schema-model target, its switch statement composed once. */
    static JdbcTarget schema(TenantId tenant, Placement placement, String schema, String role, boolean readOnly) {
        return new JdbcTarget(tenant, placement, placement.namespace(), schema, role, readOnly,
                "SET ROLE " + JdbcNames.quote(role) + "; SET search_path TO " + JdbcNames.quote(schema), null);
    }

    /**
     * A FIELD-model target: the shared tables' role and schema, and the tenant in the setting that the
     * rewritten SQL and the row-level security policies read.
     */
    static JdbcTarget field(TenantId tenant, Placement placement, String schema, String role, boolean readOnly) {
        return new JdbcTarget(tenant, placement, placement.namespace(), schema, role, readOnly,
                "SET ROLE " + JdbcNames.quote(role) + "; SET search_path TO " + JdbcNames.quote(schema) + "; "
                        + tenantSql(tenant), tenantSql(tenant));
    }

    private static String tenantSql(TenantId tenant) {
        return "SET " + FieldCatalogue.SETTING + " TO '" + tenant.value() + "'";
    }

    /** A database-model target. */
    static JdbcTarget database(TenantId tenant, Placement placement, String database, boolean readOnly) {
        return new JdbcTarget(tenant, placement, database, null, null, readOnly, null, null);
    }

    String store() {
        return placement.store();
    }

    boolean schemaModel() {
        return placement.model() == IsolationModel.COLLECTION;
    }

    boolean fieldModel() {
        return placement.model() == IsolationModel.FIELD;
    }

    /**
     * Whether {@code key}, what a session points at, is another tenant's switch on the same shared
     * tables (FIELD model): then setting the tenant is all the session needs. Compares without copying.
     */
    boolean sameSharedTables(String key) {
        if (switchSql == null || tenantSql == null) {
            return false;
        }
        int shared = switchSql.length() - tenantSql.length();
        return key.length() > shared && key.regionMatches(0, switchSql, 0, shared);
    }

    /** Whether a session is switched to this target on checkout (schema and FIELD models). */
    boolean switches() {
        return switchSql != null;
    }
}
