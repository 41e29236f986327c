package io.tenantry.jdbc;

import io.tenantry.Placement;
import io.tenantry.TenantArchive;
import io.tenantry.TenantDigest;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycleException;
import io.tenantry.TenantQuotas;
import io.tenantry.TenantStatus;
import io.tenantry.TenantUsage;
import io.tenantry.spi.UsageMeter;
import java.time.Instant;
import java.util.TreeMap;
import io.tenantry.jdbc.PlacedTables.Table;
import io.tenantry.spi.TenantDataStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The JDBC adapter's {@link TenantDataStore}: provisions, copies, measures and erases one tenant's data
 * at any placement on the configured stores, whichever placement the router gives the tenant now. It
 * works on new connections of each store's login role, never on the routing pools, and reads and writes
 * each placement as {@link PlacedTables} describes. Thread-safe and stateless; every method is idempotent.
 *
 * <p>Archives ({@value #ARCHIVE_FORMAT}, described by {@link TenantArchive}): one resource per table, its
 * written columns (not generated ones) as the manifest's fields with their types, each row a JSON array of
 * the values' text forms under {@link PlacedTables#SESSION}'s settings, the same text a copy carries. An
 * export reads one snapshot, so the tenant stays writable; an import writes in one transaction.
 *
 * <p>Metering ({@link UsageMeter}): per table, {@code count(*)} of the tenant's rows (on the shared
 * tables through the index that leads with the tenant column), and as bytes on the shared model the sum
 * of {@code pg_column_size} of its rows, on the others {@code pg_total_relation_size} of its own tables
 * (their partitions, indexes and TOAST included). All in one snapshot.
 */
final class JdbcTenantDataStore implements TenantDataStore, UsageMeter {

    /** Row hashes per fetch of a digest's cursor: 32 bytes each. */
    private static final int DIGEST_FETCH = 2000;

    /** The data format of this adapter's archives. */
    static final String ARCHIVE_FORMAT = "postgresql-text-rows/1";

    private final JdbcRouting routing;
    private final JdbcProvisioning provisioning;
    private final TenantPools pools;
    private final int batchRows;
    private final @Nullable TenantQuotas quotas;

    JdbcTenantDataStore(JdbcRouting routing, JdbcProvisioning provisioning, TenantPools pools, int batchRows,
            @Nullable TenantQuotas quotas) {
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be at least 1, was " + batchRows);
        }
        this.quotas = quotas;
        this.routing = routing;
        this.provisioning = provisioning;
        this.pools = pools;
        this.batchRows = batchRows;
    }

    @Override
    public boolean serves(Placement placement) {
        return routing.stores.containsKey(placement.store());
    }

    @Override
    public void provision(TenantId tenant, Placement placement) {
        provisioning.ensure(Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(placement, "placement"));
    }

    /**
     * {@inheritDoc} Provisions {@code to} first, unless {@link #provision} has just done so in this process
     * and nothing erased it since, as the lifecycle does right before a copy (a copy into a placement without
     * its tables would fail half-way instead of at once). Reads {@code from} in one snapshot and writes
     * {@code to} in one transaction, parents before children, with deferrable constraints deferred to the
     * commit, so that a copy that fails leaves nothing of itself. Tables of the schema and database models are
     * written with {@code COPY FROM STDIN}, the FIELD model's shared tables with batched {@code INSERT}s.
     *
     * @throws TenantLifecycleException if a table of the tenant at {@code from} is missing at {@code to} or
     *     has other columns there (the tenant migrations and the shared migrations must define the same
     *     tables, the shared ones with the tenant column), or the server refuses a row
     */
    @Override
    public void copy(TenantId tenant, Placement from, Placement to, CopyProgress progress) {
        Objects.requireNonNull(progress, "progress");
        provisionUnlessJustDone(tenant, to);
        PlacedTables source = placed(tenant, from);
        PlacedTables target = placed(tenant, to);
        try (Connection in = source.open(); Connection out = target.open()) {
            if (in == null) {
                return; // nothing of the tenant at the source
            }
            if (out == null) {
                throw new TenantLifecycleException("Tenant \"" + tenant + "\"'s placement " + to + " is missing right"
                        + " after provisioning it; is another process erasing it?");
            }
            PlacedTables.snapshot(in);
            Map<String, Table> sourceTables = source.tables(in);
            Map<String, Table> targetTables = target.tables(out);
            check(tenant, from, to, sourceTables, targetTables);
            out.setAutoCommit(false);
            try (Statement s = out.createStatement()) {
                s.execute("SET CONSTRAINTS ALL DEFERRED");
            }
            for (Table table : target.parentsFirst(out, targetTables)) {
                Table read = sourceTables.get(table.name());
                if (read != null) {
                    TableCopy.copy(source, in, read, target, out, table, batchRows, progress);
                }
            }
            out.commit();
            in.commit();
        } catch (SQLException e) {
            throw new TenantLifecycleException("Copying tenant \"" + tenant + "\" from " + from + " to " + to
                    + " failed: " + e.getMessage() + hint(e), e);
        }
    }

    /**
     * Provisions the placement unless {@link #provision} did so last in this process, with no erasure since.
     * Safe after a crash: a new process remembers nothing, and provisions. If another process erased the
     * placement meanwhile, the copy or import finds it missing and fails at once, leaving nothing.
     */
    private void provisionUnlessJustDone(TenantId tenant, Placement placement) {
        if (!provisioning.takeEnsured(Objects.requireNonNull(tenant, "tenant"),
                Objects.requireNonNull(placement, "placement"))) {
            provision(tenant, placement);
        }
    }

    /** Refuses a copy that would lose a table or a column: the target's tables must be the source's. */
    private static void check(TenantId tenant, Placement from, Placement to, Map<String, Table> sourceTables,
            Map<String, Table> targetTables) {
        List<String> problems = new ArrayList<>();
        sourceTables.forEach((name, table) -> {
            Table there = targetTables.get(name);
            if (there == null) {
                problems.add("table \"" + name + "\" is missing there");
            } else if (!there.names().equals(table.names())) {
                problems.add("table \"" + name + "\" has columns " + table.names() + " here and " + there.names()
                        + " there");
            }
        });
        if (!problems.isEmpty()) {
            throw new TenantLifecycleException("Cannot copy tenant \"" + tenant + "\" from " + from + " to " + to + ": "
                    + String.join("; ", problems) + ". The tenant migrations and the shared tables' migrations must"
                    + " define the same tables and columns (the shared ones with the tenant column as well).");
        }
    }

    /**
     * {@inheritDoc} Per table as the tenant sees it (the tenant column left out), each row's canonical
     * bytes are the SHA-256, computed by PostgreSQL, of the text of the array {@code [name1, value1,
     * name2, value2, ...]}, columns in code-point order of their names, each value in its type's text form
     * under {@link PlacedTables#SESSION}'s settings (NULL as SQL NULL). So equal rows give equal bytes on
     * every model and server, and only 32 bytes per row cross the network. A placement that does not exist
     * gives an empty digest.
     */
    @Override
    public TenantDigest digest(TenantId tenant, Placement placement) {
        PlacedTables side = placed(tenant, placement);
        TenantDigest.Builder digest = TenantDigest.builder();
        try (Connection c = side.open()) {
            if (c == null) {
                return digest.build();
            }
            PlacedTables.snapshot(c);
            for (Table table : side.tables(c).values()) {
                hashRows(side, c, table, digest);
            }
            c.commit();
        } catch (SQLException e) {
            throw new TenantLifecycleException("Measuring tenant \"" + tenant + "\" at " + placement + " failed: "
                    + e.getMessage() + hint(e), e);
        }
        return digest.build();
    }

    /** The SQL of a row's canonical bytes, which {@link #digest} hashes: see there. */
    private static String rowHash(Table table) {
        String row = table.columns().stream()
                .map(column -> "'" + column.name().replace("'", "''") + "', " + JdbcNames.quote(column.name())
                        + "::text")
                .collect(Collectors.joining(", "));
        return "pg_catalog.sha256(convert_to(CAST(ARRAY[" + row + "]::text[] AS text), 'UTF8'))";
    }

    private static void hashRows(PlacedTables side, Connection c, Table table, TenantDigest.Builder digest)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + rowHash(table) + " FROM " + side.rowsOf(table))) {
            p.setFetchSize(DIGEST_FETCH); // pgjdbc's cursor, in the snapshot transaction
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    digest.add(table.name(), r.getBytes(1));
                }
            }
        }
    }

    /** {@inheritDoc} See the class description for what is counted on each model. */
    @Override
    public TenantUsage measure(TenantId tenant, Placement placement) {
        PlacedTables side = placed(tenant, placement);
        Map<String, TenantUsage.Resource> resources = new TreeMap<>();
        try (Connection c = side.open()) {
            if (c != null) {
                PlacedTables.snapshot(c);
                for (Table table : side.tables(c).values()) {
                    resources.put(table.name(), measure(side, c, table));
                }
                c.commit();
            }
        } catch (SQLException e) {
            throw new TenantLifecycleException("Measuring tenant \"" + tenant + "\" at " + placement + " failed: "
                    + e.getMessage() + hint(e), e);
        }
        return new TenantUsage(tenant, placement, resources, Instant.now());
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static TenantUsage.Resource measure(PlacedTables side, Connection c, Table table) throws SQLException {
        boolean shared = table.tenantType() != null;
        String sql = shared
                ? "SELECT count(*), coalesce(sum(pg_catalog.pg_column_size(tenantry_row.*)), 0) FROM "
                        + (table.partitioned() ? "" : "ONLY ") + side.qualified(table) + " AS tenantry_row"
                        + side.tenantCondition(table)
                : "SELECT (SELECT count(*) FROM " + side.rowsOf(table) + "), " + (table.partitioned()
                        ? "(SELECT coalesce(sum(pg_catalog.pg_total_relation_size(t.relid)), 0) FROM"
                                + " pg_catalog.pg_partition_tree(CAST(" + literal(side.qualified(table))
                                + " AS regclass)) t)"
                        : "pg_catalog.pg_total_relation_size(CAST(" + literal(side.qualified(table)) + " AS regclass))");
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return new TenantUsage.Resource(r.getLong(1), r.getLong(2));
        }
    }

    @Override
    public String archiveFormat() {
        return ARCHIVE_FORMAT;
    }

    /** {@inheritDoc} True: an export reads one snapshot (a repeatable-read transaction). */
    @Override
    public boolean readsSnapshot() {
        return true;
    }

    /**
     * {@inheritDoc} Parents first, each table's written columns in code-point order of their names, through
     * pgjdbc's cursor (a fetch size) in the placement's snapshot; each row's canonical bytes computed by PostgreSQL as
     * {@link #digest} computes them. A placement that does not exist exports nothing.
     */
    @Override
    public void export(TenantId tenant, Placement placement, ArchiveWriter archive) {
        Objects.requireNonNull(archive, "archive");
        PlacedTables side = placed(tenant, placement);
        try (Connection c = side.open()) {
            if (c == null) {
                return;
            }
            PlacedTables.snapshot(c);
            Map<String, Table> tables = side.tables(c);
            for (Table table : side.parentsFirst(c, tables)) {
                List<PlacedTables.Column> columns = table.written();
                ResourceWriter out = archive.resource(table.name(), columns.stream()
                        .map(column -> new TenantArchive.Field(column.name(), column.type())).toList(), List.of());
                exportRows(side, c, table, columns, out);
            }
            c.commit();
        } catch (SQLException e) {
            throw new TenantLifecycleException("Exporting tenant \"" + tenant + "\" at " + placement + " failed: "
                    + e.getMessage() + hint(e), e);
        }
    }

    private static void exportRows(PlacedTables side, Connection c, Table table, List<PlacedTables.Column> columns,
            ResourceWriter out) throws SQLException {
        String values = columns.stream().map(column -> JdbcNames.quote(column.name()) + "::text, ")
                .collect(Collectors.joining());
        try (PreparedStatement p = c.prepareStatement("SELECT " + values + rowHash(table) + " FROM "
                + side.rowsOf(table))) {
            p.setFetchSize(DIGEST_FETCH / 4); // pgjdbc's cursor, in the snapshot transaction
            try (ResultSet r = p.executeQuery()) {
                List<String> row = new ArrayList<>(Collections.nCopies(columns.size(), null));
                while (r.next()) {
                    for (int i = 0; i < columns.size(); i++) {
                        row.set(i, r.getString(i + 1));
                    }
                    out.item(TenantArchive.encodeRow(row), r.getBytes(columns.size() + 1));
                }
            }
        }
    }

    /**
     * {@inheritDoc} In one transaction, parents first, deferrable constraints deferred to the commit, so a
     * failure leaves nothing of the import; then each table's sequences are moved past the largest value
     * written. Rows are written as a {@link #copy} writes them ({@code COPY FROM STDIN} on the schema and
     * database models, batched {@code INSERT}s on the FIELD model). Each value is read by its column's input
     * function, so a column's type at the placement need only read the text the archive holds.
     *
     * @throws TenantLifecycleException if a table of the archive is missing at the placement or has other
     *     written columns there, a line is not a row of its fields, or the server refuses a value
     */
    @Override
    public void importArchive(TenantId tenant, Placement placement, ArchiveReader archive, CopyProgress progress) {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(progress, "progress");
        provisionUnlessJustDone(tenant, placement);
        PlacedTables target = placed(tenant, placement);
        try (Connection out = target.open()) {
            if (out == null) {
                throw new TenantLifecycleException("Tenant \"" + tenant + "\"'s placement " + placement + " is missing"
                        + " right after provisioning it; is another process erasing it?");
            }
            Map<String, Table> tables = target.tables(out);
            Map<String, TenantArchive.Resource> resources = new HashMap<>();
            List<String> problems = new ArrayList<>();
            for (TenantArchive.Resource resource : archive.resources()) {
                resources.put(resource.name(), resource);
                Table table = tables.get(resource.name());
                List<String> fields = resource.fields().stream().map(TenantArchive.Field::name).sorted().toList();
                List<String> written = table == null ? List.of()
                        : table.written().stream().map(PlacedTables.Column::name).toList();
                if (table == null) {
                    problems.add("table \"" + resource.name() + "\" is missing there");
                } else if (!fields.equals(written)) {
                    problems.add("table \"" + resource.name() + "\" has columns " + fields + " in the archive and "
                            + written + " there");
                }
            }
            if (!problems.isEmpty()) {
                throw new TenantLifecycleException("Cannot import an archive into tenant \"" + tenant + "\"'s placement "
                        + placement + ": " + String.join("; ", problems) + ". Migrate the placement to the archive's"
                        + " tables first (the tenant migrations and the shared tables' migrations must define them).");
            }
            out.setAutoCommit(false);
            try (Statement s = out.createStatement()) {
                s.execute("SET CONSTRAINTS ALL DEFERRED");
            }
            for (Table table : target.parentsFirst(out, tables)) {
                TenantArchive.Resource resource = resources.get(table.name());
                if (resource != null) {
                    try (ResourceReader in = archive.open(resource)) {
                        TableCopy.load(target, out, table,
                                resource.fields().stream().map(TenantArchive.Field::name).toList(), in, resource.file(),
                                batchRows, progress);
                    }
                }
            }
            out.commit();
        } catch (SQLException e) {
            throw new TenantLifecycleException("Importing tenant \"" + tenant + "\" into " + placement + " failed: "
                    + e.getMessage() + hint(e), e);
        }
    }

    /**
     * {@inheritDoc} FIELD: deletes the tenant's rows from every tenant table, children first, in one
     * transaction. Schema: drops the tenant's schema with everything in it, and its role (after dropping
     * what the role still owns or was granted in the shared database). Database: closes Tenantry's pool of
     * the tenant's database and drops the database, ending the sessions still on it (PostgreSQL 13+). Each
     * holds the advisory lock that provisioning takes for the same schema or database.
     */
    @Override
    public void erase(TenantId tenant, Placement placement) {
        PlacedTables side = placed(tenant, placement);
        provisioning.forget(tenant, placement);
        try {
            switch (placement.model()) {
                case FIELD -> deleteRows(side);
                case COLLECTION -> dropSchema(side);
                default -> dropDatabase(side);
            }
            forgetIfDeleted(tenant);
        } catch (SQLException e) {
            throw new TenantLifecycleException("Erasing tenant \"" + tenant + "\" at " + placement + " failed: "
                    + e.getMessage() + hint(e), e);
        }
    }

    /**
     * Forgets the quota counts of a tenant erased because it was deleted (it is gone from the directory, or
     * marked deleted); a move erases the source too, and the counts stay, since the copy holds the same rows.
     */
    private void forgetIfDeleted(TenantId tenant) {
        if (quotas != null && routing.directory.find(tenant).map(t -> t.status() == TenantStatus.DELETED)
                .orElse(true)) {
            quotas.forget(tenant);
        }
    }

    private static void deleteRows(PlacedTables side) throws SQLException {
        try (Connection c = side.open()) {
            if (c == null) {
                return;
            }
            Map<String, Table> tables = side.tables(c);
            List<Table> childrenFirst = side.parentsFirst(c, tables);
            Collections.reverse(childrenFirst);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET CONSTRAINTS ALL DEFERRED");
                for (Table table : childrenFirst) {
                    s.executeUpdate("DELETE FROM " + side.rowsOf(table));
                }
            }
            c.commit();
        }
    }

    private void dropSchema(PlacedTables side) throws SQLException {
        JdbcTarget target = side.target;
        String schema = Objects.requireNonNull(target.schema(), "schema");
        String role = Objects.requireNonNull(target.role(), "role");
        try (Connection c = PlacedTables.connectIfExists(side.store, target.database())) {
            if (c == null) {
                return;
            }
            JdbcProvisioning.lock(c, schema);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // the login role owns the schema, so it may drop it with the tenant role's tables in it
                s.execute("DROP SCHEMA IF EXISTS " + JdbcNames.quote(schema) + " CASCADE");
                if (JdbcProvisioning.exists(c, "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ?", role)) {
                    if (!JdbcProvisioning.superuser(c)) {
                        // DROP OWNED needs the role's privileges, which provisioning's grant (INHERIT FALSE) withholds
                        s.execute("GRANT " + JdbcNames.quote(role) + " TO CURRENT_USER WITH INHERIT TRUE");
                    }
                    s.execute("DROP OWNED BY " + JdbcNames.quote(role));
                    s.execute("DROP ROLE " + JdbcNames.quote(role));
                }
            }
            c.commit();
        }
        if (!pools.resetOnReturn) {
            // idle sessions of the shared database may still point at the dropped role
            pools.retireConnections(target.store(), target.database());
        }
    }

    private void dropDatabase(PlacedTables side) throws SQLException {
        JdbcTarget target = side.target;
        pools.evict(target.store(), target.database());
        try (Connection c = PlacedTables.connect(side.store, side.store.maintenanceDatabase());
                Statement s = c.createStatement()) {
            JdbcProvisioning.lock(c, target.database());
            String drop = "DROP DATABASE IF EXISTS " + JdbcNames.quote(target.database());
            if (c.getMetaData().getDatabaseMajorVersion() < 13) {
                s.execute(drop);
            } else {
                try {
                    s.execute(drop + " WITH (FORCE)");
                } catch (SQLException e) {
                    if (!"42501".equals(e.getSQLState())) {
                        throw e;
                    }
                    // PostgreSQL 16+ lets only superusers terminate processes without a role, such as an
                    // autovacuum worker busy in the database; a plain DROP DATABASE stops those itself
                    dropWithoutForce(c, s, target.database(), drop);
                }
            }
        }
        pools.evict(target.store(), target.database()); // in case a request opened it again meanwhile
    }

    /**
     * Ends the sessions on {@code database} that the login role may end, then drops it without
     * {@code FORCE}, which stops autovacuum workers by itself; retries for a few seconds while a session
     * still holds the database ({@code 55006}).
     */
    private static void dropWithoutForce(Connection c, Statement s, String database, String drop) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (PreparedStatement p = c.prepareStatement("SELECT pg_catalog.pg_terminate_backend(pid) FROM"
                    + " pg_catalog.pg_stat_activity WHERE datname = ? AND pid <> pg_catalog.pg_backend_pid()"
                    + " AND usesysid IS NOT NULL AND pg_catalog.pg_has_role(usesysid, 'MEMBER')")) {
                p.setString(1, database);
                p.executeQuery().close();
            }
            try {
                s.execute(drop);
                return;
            } catch (SQLException e) {
                if (!"55006".equals(e.getSQLState()) || attempt >= 20) {
                    throw e;
                }
            }
            try {
                Thread.sleep(250); // the terminated sessions and stopped workers leave within moments
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new SQLException("Interrupted while dropping database " + database, "57014", interrupted);
            }
        }
    }

    private PlacedTables placed(TenantId tenant, Placement placement) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(placement, "placement");
        JdbcTarget target = routing.target(tenant, placement, false);
        return new PlacedTables(target, routing.store(placement.store()), routing.field);
    }

    private static String hint(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.equals("23503")) {
            return " A foreign key between tenant tables that forms a cycle (or references its own table) must be"
                    + " DEFERRABLE for a copy to insert the rows.";
        }
        if (state.equals("42501")) {
            return " The store's login role needs CREATEROLE and CREATEDB and must own the shared databases and"
                    + " tables.";
        }
        return "";
    }

    @Override
    public String toString() {
        return "JdbcTenantDataStore(stores " + routing.stores.keySet() + ", " + batchRows + " rows per batch)";
    }
}
