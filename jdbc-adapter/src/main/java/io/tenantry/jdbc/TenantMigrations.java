package io.tenantry.jdbc;

import io.tenantry.TenantLifecycleException;
import java.sql.SQLException;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the configured migrations with Flyway for one tenant at a time, for {@link JdbcProvisioning},
 * which calls it while it holds the tenant's advisory lock. Thread-safe: it holds only the locations.
 */
final class TenantMigrations {

    /** The category {@link JdbcProvisioning} has always logged under, which users may have configured. */
    private static final Logger LOG = LoggerFactory.getLogger(JdbcProvisioning.class);

    private final List<String> locations;

    TenantMigrations(List<String> locations) {
        this.locations = locations;
    }

    /**
     * Runs the configured migrations for one tenant, in its schema as its role, or in its database.
     *
     * <p>Flyway gets a new, unpooled connection per run rather than one of a pool shared by the tenants
     * of a database: a migration may leave session state behind (a {@code SET} of a setting, the role,
     * temporary tables, server-side prepared statements on dropped tables, an advisory lock after a
     * failure) that would carry into the next tenant's run on a pooled connection, Flyway holds two
     * connections per run on PostgreSQL (so a pool of {@code parallelism} connections could starve), and on
     * the database model each tenant database would get a pool used once. A new connection costs about
     * 10 ms, a run of Flyway 80 ms when there is nothing to apply and more when there is.
     *
     * @param alone whether the tenant is provisioned on its own rather than by {@code ensureAll}, which
     *     logs its own progress: only then is an applied migration worth an INFO line
     * @throws TenantLifecycleException if a migration fails, naming the tenant, the migration and the error
     */
    void migrate(JdbcTarget target, JdbcStore store, boolean alone) {
        if (locations.isEmpty()) {
            return;
        }
        String role = target.role();
        String schema = target.schema() != null ? target.schema() : "public";
        MigrationInProgress inProgress = new MigrationInProgress();
        String url = store.url(target.database());
        // Not a PGSimpleDataSource: its connections report a URL with every driver property (1.5 kB), which
        // Flyway's URL redaction takes some 50 ms to scan, several times per run.
        FluentConfiguration flyway = Flyway.configure()
                .dataSource(url + (url.indexOf('?') < 0 ? '?' : '&') + "ApplicationName=tenantry-migrations",
                        store.user(), store.password())
                .locations(locations.toArray(new String[0]))
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(false)
                .callbacks(inProgress);
        if (role != null) {
            // Flyway runs initSql on every connection it opens, before it reads current_user.
            flyway.initSql("SET ROLE " + JdbcNames.quote(role));
        }
        MigrateResult result;
        try {
            result = flyway.load().migrate();
        } catch (FlywayException e) {
            throw new TenantLifecycleException(inProgress.failure(target, schema, e), e);
        }
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        if (result.migrationsExecuted > 0 && alone) {
            LOG.info("Tenant \"{}\": applied {} migration(s), now at version {}", target.tenant(),
                    result.migrationsExecuted, version);
        } else {
            LOG.debug("Tenant \"{}\": applied {} migration(s), at version {}", target.tenant(),
                    result.migrationsExecuted, version);
        }
    }

    /** Remembers the migration Flyway is applying, so that a failure can name it. Used by one run only. */
    private static final class MigrationInProgress implements Callback {
        private volatile @Nullable MigrationInfo current;

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.BEFORE_EACH_MIGRATE || event == Event.AFTER_EACH_MIGRATE;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            current = event == Event.BEFORE_EACH_MIGRATE ? context.getMigrationInfo() : null;
        }

        @Override
        public String getCallbackName() {
            return "tenantry-migration-in-progress";
        }

        String failure(JdbcTarget target, String schema, FlywayException error) {
            MigrationInfo migration = current;
            String where = migration == null ? "outside any migration script"
                    : migration.getVersion() == null ? "in repeatable migration " + migration.getScript()
                    : "at version " + migration.getVersion() + " (" + migration.getScript() + ")";
            String cause = error.getMessage();
            for (Throwable t = error; t != null; t = t.getCause()) {
                if (t instanceof SQLException) {
                    cause = t.getMessage();
                }
            }
            return "Migrating tenant \"" + target.tenant() + "\" in schema \"" + schema + "\" of database \""
                    + target.database() + "\" failed " + where + ": " + cause + " Fix the migration or the tenant's"
                    + " data, then call ensure again: the versions already applied are kept and skipped.";
        }
    }
}
