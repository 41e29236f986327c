package io.tenantry.jdbc;

import io.tenantry.TenantLifecycleException;
import io.tenantry.jdbc.FieldCatalogue.TenantTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares the shared tables of one database for the FIELD model, idempotently, in one transaction:
 * after the shared migrations have run, it
 *
 * <ul>
 *   <li>refuses tenant tables whose columns draw from a sequence ({@code serial}, identity): the gaps
 *       in the numbers would tell each tenant how much the others insert;
 *   <li>makes the tenant column {@code NOT NULL} with the bound tenant as its default;
 *   <li>makes every primary key, unique constraint and unique index of a tenant table lead with the
 *       tenant column, and the foreign keys between tenant tables carry it, so that no tenant's insert
 *       fails, or succeeds, because of another tenant's values (no existence oracle), and no row can
 *       point at another tenant's row;
 *   <li>indexes the tenant column where no index leads with it;
 *   <li>with row-level security on, enables and forces it on every tenant table with one policy,
 *       {@code tenantry_tenant}, whose {@code USING} and {@code WITH CHECK} compare the tenant column
 *       with the bound tenant; with it off, removes them;
 *   <li>creates the role that tenant sessions act as ({@link FieldModel#role}): it owns nothing, has no
 *       {@code BYPASSRLS}, may read and write the tenant tables and only read the shared ones.
 * </ul>
 *
 * Called by {@link JdbcProvisioning} with the database's advisory lock held. Stateless.
 */
final class FieldProvisioning {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcProvisioning.class);

    static final String POLICY = "tenantry_tenant";

    private FieldProvisioning() {
    }

    /** Prepares the shared tables over {@code c}, the store's login role on the shared database. */
    static FieldCatalogue prepare(FieldModel model, String database, Connection c, boolean superuser)
            throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            FieldCatalogue catalogue = FieldCatalogue.read(c, model.schema, model.tenantColumn, model.declaredTables);
            String schema = JdbcNames.quote(model.schema);
            String role = JdbcNames.quote(model.role(database));
            if (!JdbcProvisioning.exists(c, "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ?", model.role(database))) {
                s.execute("CREATE ROLE " + role + " NOLOGIN NOBYPASSRLS");
            }
            if (!superuser) {
                s.execute("GRANT " + role + " TO CURRENT_USER WITH INHERIT FALSE, SET TRUE");
            }
            s.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role);
            for (TenantTable table : catalogue.tenantTables().values()) {
                String name = schema + "." + JdbcNames.quote(table.name());
                if (!table.table()) {
                    s.execute("GRANT SELECT ON " + name + " TO " + role);
                    continue;
                }
                refuseSequences(c, model, table);
                String column = JdbcNames.quote(model.tenantColumn);
                s.execute("ALTER TABLE " + name + " ALTER COLUMN " + column + " SET NOT NULL, ALTER COLUMN " + column
                        + " SET DEFAULT " + FieldCatalogue.tenantValue(table.tenantType()));
                FieldKeys.scope(c, s, model, catalogue, table);
                s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON " + name + " TO " + role);
                if (model.rowLevelSecurity) {
                    String value = column + " = " + FieldCatalogue.tenantValue(table.tenantType());
                    s.execute("DROP POLICY IF EXISTS " + POLICY + " ON " + name);
                    s.execute("CREATE POLICY " + POLICY + " ON " + name + " USING (" + value + ") WITH CHECK (" + value
                            + ")");
                    s.execute("ALTER TABLE " + name + " ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY");
                } else {
                    s.execute("DROP POLICY IF EXISTS " + POLICY + " ON " + name);
                    s.execute("ALTER TABLE " + name + " NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY");
                }
            }
            for (String table : catalogue.sharedTables()) {
                s.execute("GRANT SELECT ON " + schema + "." + JdbcNames.quote(table) + " TO " + role);
            }
            c.commit();
            LOG.debug("Prepared {} tenant tables and {} shared tables in schema {} of database {}",
                    catalogue.tenantTables().size(), catalogue.sharedTables().size(), model.schema, database);
            // keys, defaults and policies leave the columns as they were: the catalogue read above still holds
            return catalogue;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static void refuseSequences(Connection c, FieldModel model, TenantTable table) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT a.attname FROM pg_catalog.pg_attribute a"
                + " LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                + " WHERE a.attrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass AND a.attnum > 0"
                + " AND NOT a.attisdropped AND (a.attidentity <> '' OR pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%')")) {
            p.setString(1, model.schema);
            p.setString(2, table.name());
            try (ResultSet r = p.executeQuery()) {
                List<String> columns = new ArrayList<>();
                while (r.next()) {
                    columns.add(r.getString(1));
                }
                if (!columns.isEmpty()) {
                    throw new TenantLifecycleException("Tenant table \"" + table.name() + "\" takes column(s) "
                            + columns + " from a sequence (serial or identity) that every tenant shares: the gaps"
                            + " between a tenant's numbers would tell it how much the others insert. Make such keys"
                            + " uuid DEFAULT gen_random_uuid() in the shared migrations.");
                }
            }
        }
    }
}
