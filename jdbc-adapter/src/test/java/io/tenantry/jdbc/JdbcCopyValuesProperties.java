package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.spi.TenantDataStore;
import io.tenantry.tck.Trials;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A copy writes every value back exactly: rows of the values that the text forms and {@code COPY}'s text
 * format make awkward (strings with tabs, newlines, carriage returns and backslashes, the strings
 * {@code NULL}, {@code \N} and {@code \.}, empty strings beside NULLs, {@code bytea} with every byte value,
 * arrays with NULL elements, quotes and braces, {@code jsonb} and {@code json} with escapes, numeric
 * {@code NaN} and infinities, {@code timestamptz}, {@code date} and {@code double precision} at their extremes
 * and infinities) are copied between two random placements of the six ({@link LifecycleFixture}), and the
 * target's rows, each value's text under the lifecycle's session settings, equal the source's. A copy into a
 * schema or a database writes with {@code COPY FROM STDIN}, one into shared tables with {@code INSERT}s: the
 * target server's {@code pg_stat_progress_copy} is read while the copy runs.
 *
 * <p>{@value #DEFAULT_TRIES} tries by default; {@code -Dtenantry.copy.tries=N} for more.
 */
class JdbcCopyValuesProperties {

    private static final int DEFAULT_TRIES = 30;
    private static final TenantId TENANT = TenantId.of("odd");
    /** The columns as the tenant sees them, in code-point order of their names. */
    private static final List<String> COLUMNS = List.of("amount", "at", "blob", "day", "doc", "flag", "grid", "id",
            "note", "ratio", "raw_json", "small", "span", "uid", "words");

    private static final String[] PIECES = {"a", " ", "\t", "\n", "\r", "\\", "\\\\", "\\N", "\\.", "\\t", "NULL",
        "null", "N", ".", ",", "\"", "'", "{", "}", "é", "漢", "😀", "\u0001", "\u007f", "\u2028", "\b", "\f",
        "\u000b", "\\x41", "$$"};

    private static LifecycleFixture fixture;
    private static TenantDataStore store;

    @BeforeAll
    static void start() {
        fixture = new LifecycleFixture("copyvalues", "classpath:db/copy-values-tenant",
                "classpath:db/copy-values-shared");
        store = fixture.jdbc.dataStore(4);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    /** One row: the text form of each value to insert, by column, null for SQL NULL. */
    record Row(List<@Nullable String> values) {
    }

    record Sample(Placement from, Placement to, List<Row> rows) {
        @Override
        public String toString() {
            return from + " -> " + to + ", " + rows.size() + " row(s): " + rows;
        }
    }

    private static Sample sample(SplittableRandom random) {
        List<Placement> placements = fixture.placements;
        Placement from = placements.get(random.nextInt(placements.size()));
        Placement to = placements.get((placements.indexOf(from) + 1 + random.nextInt(placements.size() - 1))
                % placements.size());
        List<Row> rows = new ArrayList<>();
        for (int id = 1, count = 1 + random.nextInt(12); id <= count; id++) {
            rows.add(row(random, id));
        }
        return new Sample(from, to, rows);
    }

    @Test
    void everyValueReadsBackExactlyAfterACopyIntoEveryModel() {
        int tries = Integer.getInteger("tenantry.copy.tries", DEFAULT_TRIES);
        Trials.forAll("every value reads back exactly after a copy into every model", tries,
                JdbcCopyValuesProperties::sample, JdbcCopyValuesProperties::copiesExactly);
    }

    private static void copiesExactly(Sample s) {
        store.erase(TENANT, s.from());
        store.erase(TENANT, s.to());
        fixture.directory.find(TENANT).ifPresent(t -> fixture.directory.remove(TENANT));
        fixture.directory.register(Tenant.builder(TENANT).placement(s.from()).build());
        try {
            store.provision(TENANT, s.from());
            insert(s.rows());
            List<List<String>> source = texts(s.from());
            assertThat(source).hasSize(s.rows().size());

            store.provision(TENANT, s.to());
            List<String> writers = new ArrayList<>();
            store.copy(TENANT, s.from(), s.to(), (resource, items, bytes) -> {
                if (writers.isEmpty()) {
                    writers.add(copiesFrom(fixture.target(TENANT, s.to())) ? "COPY" : "INSERT");
                }
            });
            assertThat(writers).as("how the target was written")
                    .containsExactly(s.to().model() == IsolationModel.FIELD ? "INSERT" : "COPY");
            assertThat(texts(s.to())).as("the target's rows, as text").isEqualTo(source);
            assertThat(store.digest(TENANT, s.to())).isEqualTo(store.digest(TENANT, s.from()));
        } finally {
            store.erase(TENANT, s.from());
            store.erase(TENANT, s.to());
            fixture.directory.remove(TENANT);
        }
    }

    @Test
    void aTableWhoseRowLevelSecurityAppliesIsWrittenWithInserts() throws SQLException {
        Placement from = fixture.placements.get(2);
        Placement to = fixture.placements.get(1); // a schema on the store whose login role is no superuser
        TenantId tenant = TenantId.of("odd_rls");
        fixture.directory.register(Tenant.builder(tenant).placement(from).build());
        try {
            store.provision(tenant, from);
            List<Row> rows = IntStream.rangeClosed(1, 9).mapToObj(id -> row(new SplittableRandom(id), id)).toList();
            TenantContext.runAs(tenant, () -> insertAs(rows));
            store.provision(tenant, to);
            JdbcTarget target = fixture.target(tenant, to);
            String table = JdbcNames.quote(target.schema()) + ".oddities";
            fixture.serverOf(to).execute(to.namespace(), "ALTER TABLE " + table + " ENABLE ROW LEVEL SECURITY;"
                    + " ALTER TABLE " + table + " FORCE ROW LEVEL SECURITY;"
                    + " CREATE POLICY every_row ON " + table + " USING (true)");
            List<String> writers = new ArrayList<>();
            store.copy(tenant, from, to, (resource, items, bytes) -> {
                if (writers.isEmpty()) {
                    writers.add(copiesFrom(target) ? "COPY" : "INSERT");
                }
            });
            assertThat(writers).containsExactly("INSERT");
            assertThat(store.digest(tenant, to)).isEqualTo(store.digest(tenant, from));
        } finally {
            store.erase(tenant, from);
            store.erase(tenant, to);
            fixture.directory.remove(tenant);
        }
    }

    /** Whether the server of {@code target} runs a {@code COPY FROM} in its database now. */
    private static boolean copiesFrom(JdbcTarget target) {
        try (Connection c = fixture.serverOf(target.placement()).admin("postgres").getConnection();
                PreparedStatement p = c.prepareStatement("SELECT count(*) FROM pg_stat_progress_copy"
                        + " WHERE command = 'COPY FROM' AND datname = ?")) {
            p.setString(1, target.database());
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void insert(List<Row> rows) {
        try {
            TenantContext.runAs(TENANT, () -> insertAs(rows));
        } catch (SQLException e) {
            throw new IllegalStateException("Inserting " + rows + " failed: " + e.getMessage(), e);
        }
    }

    /** Inserts the rows through Tenantry's routing data source, as the bound tenant, each value as text. */
    private static void insertAs(List<Row> rows) throws SQLException {
        try (Connection c = fixture.jdbc.dataSource().getConnection();
                PreparedStatement p = c.prepareStatement("INSERT INTO oddities (" + String.join(", ", COLUMNS)
                        + ") VALUES (" + COLUMNS.stream().map(column -> "?").collect(Collectors.joining(", ")) + ")")) {
            for (Row row : rows) {
                for (int i = 0; i < COLUMNS.size(); i++) {
                    String value = row.values().get(i);
                    if (value == null) {
                        p.setNull(i + 1, Types.OTHER);
                    } else {
                        p.setObject(i + 1, value, Types.OTHER);
                    }
                }
                p.executeUpdate();
            }
        }
    }

    /**
     * Returns the tenant's rows at {@code placement}, read raw as the superuser under the lifecycle's session
     * settings, ordered by id: each value's text, or null.
     */
    private static List<List<String>> texts(Placement placement) {
        JdbcTarget target = fixture.target(TENANT, placement);
        String schema = target.schema() == null ? "public" : target.schema();
        String where = placement.model() == IsolationModel.FIELD ? " WHERE tenant_id = '" + TENANT + "'" : "";
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = fixture.serverOf(placement).admin(target.database()).getConnection();
                Statement s = c.createStatement()) {
            s.execute(PlacedTables.SESSION);
            try (ResultSet r = s.executeQuery("SELECT " + COLUMNS.stream().map(column -> column + "::text")
                    .collect(Collectors.joining(", ")) + " FROM " + JdbcNames.quote(schema) + ".oddities" + where
                    + " ORDER BY id")) {
                while (r.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= COLUMNS.size(); i++) {
                        row.add(r.getString(i));
                    }
                    rows.add(row);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    /** A row of awkward values, as text that each column's input function reads; {@code id} as given. */
    private static Row row(SplittableRandom random, int id) {
        List<@Nullable String> values = new ArrayList<>();
        for (String column : COLUMNS) {
            values.add(column.equals("id") ? Integer.toString(id)
                    : random.nextInt(7) == 0 ? null : value(random, column));
        }
        return new Row(values);
    }

    private static String value(SplittableRandom random, String column) {
        return switch (column) {
            case "amount" -> pick(random, "NaN", "Infinity", "-Infinity", "-0.000", "0",
                    "123456789012345678901234567890.123456789012345678900", "1e-20", "-1.50",
                    Long.toString(random.nextLong()) + "." + Integer.toString(random.nextInt(1000)) + "000");
            case "at" -> pick(random, "infinity", "-infinity", "4714-11-24 00:00:00+00 BC",
                    "294276-12-31 23:59:59.999999+00", "1970-01-01 00:00:00+00", "2000-02-29 12:34:56.000001+05:45",
                    "1900-01-01 00:00:00.5-12:00");
            case "blob" -> "\\x" + HexFormat.of().formatHex(bytes(random));
            case "day" -> pick(random, "infinity", "-infinity", "4714-11-24 BC", "5874897-12-31", "2000-01-01");
            case "doc", "raw_json" -> json(random, 3);
            case "flag" -> random.nextBoolean() ? "true" : "false";
            case "grid" -> pick(random, "{}", "{NULL}", "{1,NULL,-2147483648}", "{{1,2},{NULL,4}}", "[0:1]={7,8}");
            case "note" -> random.nextInt(4) == 0 ? pick(random, "", "\\N", "\\.", "NULL", "\\", "\t", "\n")
                    : text(random);
            case "ratio" -> pick(random, "NaN", "Infinity", "-Infinity", "-0", "4.9e-324", "1.7976931348623157e308",
                    "0.1", Double.toString(Double.longBitsToDouble(random.nextLong() >>> 2)));
            case "small" -> pick(random, "NaN", "-Infinity", "-0", "1e-45", "3.4028235e38", "0.1",
                    Float.toString(Float.intBitsToFloat(random.nextInt() >>> 2)));
            case "span" -> pick(random, "0", "-178000000 years", "1 year 2 mons -3 days 04:05:06.789",
                    "-00:00:00.000001", "P1Y2M3DT4H5M6.5S");
            case "uid" -> new UUID(random.nextLong(), random.nextLong()).toString();
            case "words" -> words(random);
            default -> throw new IllegalArgumentException(column);
        };
    }

    private static String pick(SplittableRandom random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static String text(SplittableRandom random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(8); i > 0; i--) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }

    /** Random bytes, often all 256 byte values in a random order. */
    private static byte[] bytes(SplittableRandom random) {
        if (random.nextInt(3) == 0) {
            List<Integer> all = new ArrayList<>(IntStream.range(0, 256).boxed().toList());
            java.util.Collections.shuffle(all, new java.util.Random(random.nextLong()));
            byte[] bytes = new byte[256];
            for (int i = 0; i < 256; i++) {
                bytes[i] = (byte) (int) all.get(i);
            }
            return bytes;
        }
        byte[] bytes = new byte[random.nextInt(20)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    /** A text array literal: quoted elements (which may read {@code NULL}, or be empty) and NULL elements. */
    private static String words(SplittableRandom random) {
        List<String> items = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            items.add(random.nextInt(5) == 0 ? "NULL"
                    : "\"" + text(random).replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
        return "{" + String.join(",", items) + "}";
    }

    private static String json(SplittableRandom random, int depth) {
        int kind = depth == 0 ? random.nextInt(4) : random.nextInt(6);
        return switch (kind) {
            case 0 -> LifecycleRows.quoted(text(random));
            case 1 -> pick(random, "1.000000000000000000000000001", "-0", "1e400", Long.toString(random.nextLong()));
            case 2 -> pick(random, "true", "null", " false ");
            case 3 -> "\"\\u0001\\t\\n\\\\\\\"\\/\\u00e9\"";
            case 4 -> "[" + IntStream.range(0, random.nextInt(4)).mapToObj(i -> json(random, depth - 1))
                    .collect(Collectors.joining(random.nextBoolean() ? "," : " ,\n\t")) + "]";
            default -> {
                TreeSet<String> keys = new TreeSet<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    keys.add(text(random));
                }
                yield "{" + keys.stream().map(key -> LifecycleRows.quoted(key) + ":" + json(random, depth - 1))
                        .collect(Collectors.joining(", ")) + "}";
            }
        };
    }
}
