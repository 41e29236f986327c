package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tenantry.CachingTenantDirectory;
import io.tenantry.Placement;
import io.tenantry.StoreUnavailableException;
import io.tenantry.Tenant;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycleException;
import io.tenantry.TenantStatus;
import io.tenantry.UnknownTenantException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The tenant catalogue in a control-plane table, on a real PostgreSQL, used by a login without superuser rights. */
class JdbcTenantDirectoryTest {

    private static final Map<String, String> ODD_ATTRIBUTES = oddAttributes();

    private static final Tenant ACME = Tenant.builder("acme").name("Acme Cards \u2014 l'\u00e9dition")
            .tier("enterprise").status(TenantStatus.READ_ONLY).placement(Placement.database("dedicated", "cv_"))
            .region("eu").attributes(ODD_ATTRIBUTES).build();
    private static final Tenant BRAVO = Tenant.builder("bravo").tier("premium").build();

    private static PostgresServer server;
    private static String database;
    private static DataSource controlPlane;

    private JdbcTenantDirectory directory;

    @BeforeAll
    static void controlPlaneDatabase() {
        server = PostgresServer.get();
        database = server.freshDatabase("directory");
        controlPlane = login(database);
    }

    @BeforeEach
    void emptyDirectory() {
        directory = JdbcTenantDirectory.of(controlPlane);
        directory.createTableIfMissing();
        run(controlPlane, "TRUNCATE tenants");
    }

    @Test
    void removes_one_tenant_and_nothing_else_idempotently() {
        directory.register(ACME);
        directory.register(BRAVO);
        directory.remove(ACME.id());
        directory.remove(ACME.id());
        assertThat(directory.find(ACME.id())).isEmpty();
        assertThat(directory.list()).extracting(Tenant::id).containsExactly(BRAVO.id());
        assertThat(directory.register(ACME).version()).as("the id may be registered again").isEqualTo(1);
    }

    @Test
    void registers_and_reads_back_every_field() {
        Instant before = Instant.now().minusMillis(1);
        Tenant registered = directory.register(ACME);
        Instant after = Instant.now().plusMillis(1);
        assertThat(registered.version()).isEqualTo(1);
        assertThat(registered.createdAt()).isBetween(before, after).isEqualTo(registered.updatedAt());
        assertThat(registered.createdAt().getNano() % 1_000).as("timestamptz holds microseconds").isZero();

        Tenant found = directory.find(ACME.id()).orElseThrow();
        assertThat(found).isEqualTo(registered);
        assertThat(found.name()).isEqualTo("Acme Cards \u2014 l'\u00e9dition");
        assertThat(found.status()).isEqualTo(TenantStatus.READ_ONLY);
        assertThat(found.tier()).isEqualTo("enterprise");
        assertThat(found.placement()).contains(Placement.database("dedicated", "cv_"));
        assertThat(found.region()).contains("eu");
        assertThat(found.attributes()).isEqualTo(ODD_ATTRIBUTES);
        assertThat(found.createdAt()).isEqualTo(registered.createdAt());
        assertThat(found.updatedAt()).isEqualTo(registered.updatedAt());
        assertThat(directory.find(TenantId.of("nobody"))).isEmpty();
        assertThatThrownBy(() -> directory.require(TenantId.of("nobody"))).isInstanceOf(UnknownTenantException.class);

        assertThat(query(controlPlane, "SELECT placement_model || ' ' || placement_store || ' ' || placement_namespace"
                + " || ' ' || version || ' ' || (attributes ->> 'quote') FROM tenants"))
                .containsExactly("DATABASE dedicated cv_ 1 " + ODD_ATTRIBUTES.get("quote"));
    }

    @Test
    void stores_a_pinned_placement_of_every_model_and_none() {
        Map<String, Placement> pinned = new LinkedHashMap<>();
        pinned.put("field-tenant", Placement.field("main", "cardvault"));
        pinned.put("schema-tenant", Placement.schema("main", "cardvault"));
        pinned.put("database-tenant", Placement.database("dedicated", "cv_"));
        pinned.forEach((id, placement) -> directory.register(Tenant.builder(id).placement(placement).build()));
        directory.register(Tenant.builder("unpinned").build());

        pinned.forEach((id, placement) ->
                assertThat(directory.require(TenantId.of(id)).placement()).contains(placement));
        Tenant unpinned = directory.require(TenantId.of("unpinned"));
        assertThat(unpinned.placement()).isEmpty();
        assertThat(unpinned.region()).isEmpty();
        assertThat(unpinned.attributes()).isEmpty();
        assertThat(unpinned.name()).isEqualTo("unpinned");
        assertThat(unpinned.tier()).isEqualTo(Tenant.DEFAULT_TIER);
    }

    @Test
    void ids_are_unique() {
        directory.register(BRAVO);
        assertThatThrownBy(() -> directory.register(BRAVO.toBuilder().tier("free").build()))
                .isInstanceOf(TenantLifecycleException.class).hasMessageContaining("already registered")
                .hasMessageContaining("update(");
        assertThat(directory.require(BRAVO.id()).tier()).isEqualTo("premium");
        assertThat(query(controlPlane, "SELECT count(*) FROM tenants")).containsExactly("1");
    }

    @Test
    void lists_every_tenant_in_the_order_of_tenant_ids() {
        assertThat(directory.list()).isEmpty();
        List<String> ids = List.of("bravo", "ab", "a_b", "acme", "a-b", "a0");
        ids.forEach(id -> directory.register(Tenant.builder(id).build()));
        Tenant deleted = directory.register(Tenant.builder("carol").build());
        directory.update(deleted.toBuilder().status(TenantStatus.DELETED).build());

        List<Tenant> all = directory.list();
        assertThat(all).extracting(Tenant::id).isSorted();
        assertThat(all).extracting(t -> t.id().value())
                .containsExactly("a-b", "a0", "a_b", "ab", "acme", "bravo", "carol");
        assertThat(all.get(6).status()).isEqualTo(TenantStatus.DELETED);
    }

    @Test
    void lists_in_tenant_id_order_also_where_the_id_column_sorts_by_language() {
        assumeTrue(!query(controlPlane, "SELECT 1 FROM pg_collation WHERE collname = 'en-US-x-icu'").isEmpty(),
                "this PostgreSQL has no ICU collations");
        run(controlPlane, "DROP TABLE IF EXISTS linguistic_tenants");
        JdbcTenantDirectory linguistic = JdbcTenantDirectory.of(controlPlane, "linguistic_tenants");
        linguistic.createTableIfMissing();
        run(controlPlane, "ALTER TABLE linguistic_tenants ALTER COLUMN id TYPE text COLLATE \"en-US-x-icu\"");
        List.of("ab", "a_b", "a0", "a-b").forEach(id -> linguistic.register(Tenant.builder(id).build()));

        assertThat(query(controlPlane, "SELECT id FROM linguistic_tenants ORDER BY id")).as("the column's own order")
                .containsExactly("a_b", "a-b", "a0", "ab");
        assertThat(linguistic.list()).extracting(t -> t.id().value()).containsExactly("a-b", "a0", "a_b", "ab");
    }

    @Test
    void updates_store_the_next_version_and_keep_the_creation_time() {
        Tenant registered = directory.register(ACME);
        directory.register(BRAVO);
        Tenant updated = directory.update(registered.toBuilder().tier("premium").placement(null).region(null)
                .status(TenantStatus.ACTIVE).name("Acme").build());
        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.createdAt()).isEqualTo(registered.createdAt());
        assertThat(updated.updatedAt()).isAfterOrEqualTo(registered.updatedAt());
        assertThat(updated.updatedAt().getNano() % 1_000).isZero();

        Tenant found = directory.require(ACME.id());
        assertThat(found).isEqualTo(updated);
        assertThat(found.createdAt()).isEqualTo(registered.createdAt());
        assertThat(found.updatedAt()).isEqualTo(updated.updatedAt());
        assertThat(found.placement()).isEmpty();
        assertThat(found.region()).isEmpty();
        assertThat(found.attributes()).isEqualTo(ODD_ATTRIBUTES);
        assertThat(directory.require(BRAVO.id()).version()).isEqualTo(1);

        Tenant repinned = directory.update(Tenant.builder("acme").version(2).attribute("plan", "silver")
                .placement(Placement.field("main", "cardvault")).build());
        assertThat(repinned.version()).isEqualTo(3);
        assertThat(repinned.attributes()).containsExactly(Map.entry("plan", "silver"));
        assertThat(repinned.createdAt()).isEqualTo(registered.createdAt());
        assertThat(directory.require(ACME.id())).isEqualTo(repinned);
    }

    @Test
    void of_two_writers_that_read_the_same_version_the_second_loses_and_changes_nothing() {
        Tenant first = directory.register(BRAVO);
        Tenant second = directory.require(BRAVO.id());
        directory.update(first.toBuilder().tier("enterprise").build());
        assertThatThrownBy(() -> directory.update(second.toBuilder().tier("free").build()))
                .isInstanceOf(TenantLifecycleException.class)
                .hasMessageContaining("stored version 2, given 1").hasMessageContaining("read it again");
        assertThat(directory.require(BRAVO.id()).tier()).isEqualTo("enterprise");
        assertThat(directory.require(BRAVO.id()).version()).isEqualTo(2);
    }

    @Test
    void updating_an_unknown_tenant_says_so() {
        assertThatThrownBy(() -> directory.update(Tenant.builder("nobody").version(1).build()))
                .isInstanceOf(UnknownTenantException.class).hasMessageContaining("nobody");
        assertThat(directory.list()).isEmpty();
    }

    @Test
    void of_two_concurrent_writers_of_one_version_exactly_one_wins() throws Exception {
        raceTwoWritersFor20Rounds(directory);
    }

    @Test
    void of_two_concurrent_writers_exactly_one_wins_on_a_repeatable_read_pool_without_auto_commit() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setDataSource(controlPlane);
        config.setAutoCommit(false);
        config.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
        config.setMaximumPoolSize(2);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            JdbcTenantDirectory pooled = JdbcTenantDirectory.of(pool);
            raceTwoWritersFor20Rounds(pooled);
            assertThat(directory.require(BRAVO.id()).version()).as("committed, seen on another connection")
                    .isEqualTo(21);
        }
    }

    private static void raceTwoWritersFor20Rounds(JdbcTenantDirectory directory) throws Exception {
        directory.register(BRAVO);
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            for (int round = 1; round <= 20; round++) {
                Tenant read = directory.require(BRAVO.id());
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (String writer : List.of("left", "right")) {
                    String tier = writer + "-" + round;
                    Callable<Boolean> write = () -> {
                        start.await();
                        try {
                            directory.update(read.toBuilder().tier(tier).build());
                            return true;
                        } catch (TenantLifecycleException e) {
                            return false;
                        }
                    };
                    results.add(writers.submit(write));
                }
                start.countDown();
                boolean leftWon = results.get(0).get();
                boolean rightWon = results.get(1).get();
                assertThat(leftWon ^ rightWon).as("exactly one winner in round %d", round).isTrue();
                Tenant stored = directory.require(BRAVO.id());
                assertThat(stored.version()).isEqualTo(read.version() + 1);
                assertThat(stored.tier()).isEqualTo((leftWon ? "left-" : "right-") + round);
            }
        } finally {
            writers.shutdownNow();
        }
    }

    @Test
    void accepts_plain_and_schema_qualified_table_names_and_quotes_them() {
        run(controlPlane, "CREATE SCHEMA IF NOT EXISTS control");
        JdbcTenantDirectory qualified = JdbcTenantDirectory.of(controlPlane, "control.tenants");
        qualified.createTableIfMissing();
        qualified.register(BRAVO);
        assertThat(query(controlPlane, "SELECT id FROM control.tenants")).containsExactly("bravo");
        assertThat(directory.list()).isEmpty();
        assertThat(qualified).hasToString("JdbcTenantDirectory(\"control\".\"tenants\")");

        JdbcTenantDirectory reservedWord = JdbcTenantDirectory.of(controlPlane, "order");
        reservedWord.createTableIfMissing();
        reservedWord.register(ACME);
        assertThat(reservedWord.list()).extracting(Tenant::id).containsExactly(ACME.id());
        assertThat(query(controlPlane, "SELECT id FROM \"order\"")).containsExactly("acme");
    }

    @Test
    void rejects_table_names_that_are_not_plain_lower_case_identifiers() {
        for (String bad : List.of("", "Tenants", "1tenants", "a.b.c", ".tenants", "tenants.", "\"tenants\"",
                "tenants; DROP TABLE tenants", "ten-ants", "x".repeat(64), "t\u00e9nants")) {
            assertThatThrownBy(() -> JdbcTenantDirectory.of(controlPlane, bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid table name")
                    .hasMessageContaining("control.tenants");
        }
        assertThatCode(() -> JdbcTenantDirectory.of(controlPlane, "_t" + "x".repeat(61))).doesNotThrowAnyException();
        assertThatThrownBy(() -> JdbcTenantDirectory.of(controlPlane, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> JdbcTenantDirectory.of(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void refuses_a_tenantry_data_source_and_accepts_a_plain_one() {
        assertThatThrownBy(() -> JdbcTenantDirectory.of(new LookalikeTenantDataSource()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control-plane DataSource");
        assertThatCode(() -> JdbcTenantDirectory.of(new PGSimpleDataSource())).doesNotThrowAnyException();
    }

    @Test
    void creating_the_table_is_idempotent_also_from_concurrent_starts() throws Exception {
        directory.register(BRAVO);
        directory.createTableIfMissing();
        directory.createTableIfMissing();
        assertThat(directory.list()).containsExactly(directory.require(BRAVO.id()));

        JdbcTenantDirectory fresh = JdbcTenantDirectory.of(controlPlane, "raced_tenants");
        int starts = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(starts);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < starts; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    fresh.createTableIfMissing();
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(fresh.register(BRAVO).version()).isEqualTo(1);
    }

    @Test
    void the_shipped_resource_creates_the_same_table() throws IOException {
        String definition;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(JdbcTenantDirectory.TABLE_RESOURCE)) {
            assertThat(in).as(JdbcTenantDirectory.TABLE_RESOURCE).isNotNull();
            definition = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        DataSource migrated = login(server.freshDatabase("directoryresource"));
        run(migrated, definition);

        assertThat(shape(migrated)).isEqualTo(shape(controlPlane)).isNotEmpty();
        JdbcTenantDirectory onMigrated = JdbcTenantDirectory.of(migrated);
        assertThat(onMigrated.find(onMigrated.register(ACME).id())).isPresent();
    }

    @Test
    void the_table_refuses_an_id_outside_the_tenant_id_alphabet() {
        assertThatThrownBy(() -> run(controlPlane, handMadeRow("ACME", "ACTIVE", "NULL, NULL, NULL", "'{}'")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tenant_id_form");
        assertThatThrownBy(() -> run(controlPlane, handMadeRow("acme", "ACTIVE", "'FIELD', 'main', NULL", "'{}'")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tenant_placement_all_or_none");
        assertThat(directory.list()).isEmpty();
    }

    @Test
    void a_hand_made_row_not_in_the_stored_form_fails_clearly_naming_tenant_and_column() {
        run(controlPlane, handMadeRow("zulu", "PAUSED", "NULL, NULL, NULL", "'{}'"));
        assertThatThrownBy(() -> directory.find(TenantId.of("zulu"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("\"zulu\"").hasMessageContaining("column status")
                .hasMessageContaining("\"PAUSED\" is none of [ACTIVE, SUSPENDED, READ_ONLY, DELETED]");
        assertThatThrownBy(directory::list).isInstanceOf(IllegalStateException.class).hasMessageContaining("zulu");

        run(controlPlane, "TRUNCATE tenants");
        run(controlPlane, handMadeRow("yankee", "ACTIVE", "'SHARD', 'main', 'cardvault'", "'{}'"));
        assertThatThrownBy(() -> directory.require(TenantId.of("yankee"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("\"yankee\"").hasMessageContaining("column placement_model")
                .hasMessageContaining("SHARD");

        run(controlPlane, handMadeRow("xray", "ACTIVE", "'DATABASE', 'main', 'CV_'", "'{}'"));
        assertThatThrownBy(() -> directory.require(TenantId.of("xray"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("column placement_store, placement_namespace")
                .hasMessageContaining("Invalid database prefix");

        run(controlPlane, handMadeRow("whiskey", "ACTIVE", "NULL, NULL, NULL", "'{\"plan\": null}'"));
        assertThatThrownBy(() -> directory.require(TenantId.of("whiskey"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("column attributes").hasMessageContaining("\"plan\"");

        run(controlPlane, "TRUNCATE tenants");
        run(controlPlane, handMadeRow("admin", "ACTIVE", "NULL, NULL, NULL", "'{}'"));
        assertThatThrownBy(directory::list).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("\"admin\"").hasMessageContaining("column id");
    }

    @Test
    void a_missing_table_or_schema_says_how_to_create_it() {
        JdbcTenantDirectory missing = JdbcTenantDirectory.of(controlPlane, "no_such_table");
        assertThatThrownBy(() -> missing.find(BRAVO.id())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("\"no_such_table\"").hasMessageContaining("createTableIfMissing()")
                .hasMessageContaining(JdbcTenantDirectory.TABLE_RESOURCE);
        assertThatThrownBy(() -> JdbcTenantDirectory.of(controlPlane, "no_such_schema.tenants").createTableIfMissing())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("create it first");
    }

    @Test
    void an_unreachable_control_plane_is_a_store_unavailable_exception() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setServerNames(new String[] {"localhost"});
        nowhere.setPortNumbers(new int[] {closedPort});
        nowhere.setDatabaseName(database);
        nowhere.setConnectTimeout(5);
        JdbcTenantDirectory unreachable = JdbcTenantDirectory.of(nowhere);
        assertThatThrownBy(() -> unreachable.find(BRAVO.id())).isInstanceOfSatisfying(StoreUnavailableException.class,
                e -> assertThat(e.store()).isEqualTo("control-plane"))
                .hasMessageContaining("unreachable").hasMessageContaining("find tenant \"bravo\"");
        assertThatThrownBy(() -> unreachable.register(BRAVO)).isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void a_caching_directory_on_top_serves_lookups_until_invalidated() {
        CachingTenantDirectory cached = TenantDirectory.caching(directory).build();
        Tenant registered = cached.register(BRAVO);
        assertThat(cached.require(BRAVO.id())).isEqualTo(registered);

        Tenant changedElsewhere = directory.update(registered.toBuilder().status(TenantStatus.SUSPENDED).build());
        assertThat(cached.require(BRAVO.id()).status()).as("served from the cache").isEqualTo(TenantStatus.ACTIVE);
        cached.invalidate(BRAVO.id());
        assertThat(cached.require(BRAVO.id())).isEqualTo(changedElsewhere);

        Tenant changedHere = cached.update(changedElsewhere.toBuilder().status(TenantStatus.ACTIVE).build());
        assertThat(cached.require(BRAVO.id())).isEqualTo(changedHere);
        assertThat(cached.list()).containsExactly(changedHere);
        assertThat(cached.find(TenantId.of("nobody"))).isEmpty();
    }

    @Test
    void a_pool_without_auto_commit_still_keeps_what_was_registered() {
        HikariConfig config = new HikariConfig();
        config.setDataSource(controlPlane);
        config.setAutoCommit(false);
        config.setMaximumPoolSize(1);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            JdbcTenantDirectory pooled = JdbcTenantDirectory.of(pool);
            Tenant registered = pooled.register(BRAVO);
            pooled.update(registered.toBuilder().tier("free").build());
            pooled.createTableIfMissing();
        }
        assertThat(directory.require(BRAVO.id()).tier()).isEqualTo("free");
    }

    /** A data source whose class lives in {@code io.tenantry}, as Tenantry's routing one does. */
    static final class LookalikeTenantDataSource extends PGSimpleDataSource {
        private static final long serialVersionUID = 1L;
    }

    private static Map<String, String> oddAttributes() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("plan", "gold");
        attributes.put("quote", "it's \"quoted\", with a back\\slash");
        attributes.put("na\u00efve \u043a\u043b\u044e\u0447", "\u65e5\u672c\u8a9e \u2713 \ud83c\udf89");
        attributes.put("{braces,commas}", "NULL");
        attributes.put("billing.contact", "ops@acme.test");
        attributes.put("$odd", "");
        attributes.put("", "an empty key");
        attributes.put("lines", "one\ntwo\tthree");
        return attributes;
    }

    private static String handMadeRow(String id, String status, String placement, String attributes) {
        return "INSERT INTO tenants (id, name, status, tier, placement_model, placement_store, placement_namespace,"
                + " attributes, created_at, updated_at, version) VALUES ('" + id + "', 'Hand made', '" + status
                + "', 'free', " + placement + ", " + attributes + "::jsonb, now(), now(), 1)";
    }

    /** Columns, constraints and indexes of table {@code tenants}, as PostgreSQL describes them. */
    private static List<String> shape(DataSource dataSource) {
        List<String> shape = new ArrayList<>();
        shape.addAll(query(dataSource, "SELECT column_name || ' ' || data_type || ' ' || is_nullable || ' '"
                + " || coalesce(column_default, '-') || ' ' || coalesce(collation_name, '-')"
                + " FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'tenants'"
                + " ORDER BY ordinal_position"));
        shape.addAll(query(dataSource, "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
                + " WHERE conrelid = 'public.tenants'::regclass ORDER BY conname"));
        shape.addAll(query(dataSource, "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'"
                + " AND tablename = 'tenants' ORDER BY indexname"));
        return shape;
    }

    /** A data source that logs in as the application's role, which owns the database but is no superuser. */
    private static DataSource login(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {server.host()});
        dataSource.setPortNumbers(new int[] {server.port()});
        dataSource.setDatabaseName(database);
        dataSource.setUser(PostgresServer.APP_USER);
        dataSource.setPassword(PostgresServer.APP_PASSWORD);
        return dataSource;
    }

    private static void run(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static List<String> query(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
