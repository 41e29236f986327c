package io.tenantry.jdbc;

import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's rows in the lifecycle suites' two tables ({@code db/lifecycle-tenant}, {@code db/lifecycle-shared}):
 * a generator of awkward values (numeric with long digits and trailing zeros, timestamptz to the microsecond
 * from 1900 to 2200, nested jsonb with escapes, bytea up to ~100 KB, text arrays with NULL and "NULL"
 * elements, text with quotes, backslashes, newlines, emoji and combining marks, doubles such as NaN, -0 and
 * the extremes, NULLs), written and read back through Tenantry's routing {@link DataSource} as the tenant.
 */
final class LifecycleRows {

    /** Ids that tenants share on purpose: on shared tables they sit side by side under the tenant column. */
    static final List<UUID> SHARED_IDS = List.of(UUID.fromString("00000000-0000-0000-0000-000000000001"),
            UUID.fromString("00000000-0000-0000-0000-000000000002"), UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff"),
            UUID.fromString("12345678-9abc-def0-1234-56789abcdef0"));

    private static final String[] PIECES = {"a", "Z", "0", " ", "'", "\"", "\\", "\n", "\t", "\r", ",", "{", "}", "(",
        ")", "[", "]", "NULL", "null", "é", "漢", "😀", "e\u0301", "\u202e", "$$", "--", "/*", "%", "_", "\u00a0", "\\x00"};

    record Wallet(UUID id, String owner, @Nullable BigDecimal balance, @Nullable OffsetDateTime opened,
            @Nullable String profile, byte @Nullable [] avatar, @Nullable List<@Nullable String> tags, @Nullable Double rate) {
    }

    record Entry(UUID id, UUID wallet, long seq, @Nullable BigDecimal amount, OffsetDateTime booked, @Nullable String memo,
            byte @Nullable [] payload, @Nullable String attrs, @Nullable List<@Nullable String> labels) {
    }

    /** One tenant's rows. */
    record Data(List<Wallet> wallets, List<Entry> entries) {
        int rows() {
            return wallets.size() + entries.size();
        }

        @Override
        public String toString() {
            long bytes = wallets.stream().mapToLong(w -> w.avatar() == null ? 0 : w.avatar().length).sum()
                    + entries.stream().mapToLong(e -> e.payload() == null ? 0 : e.payload().length).sum();
            return wallets.size() + " wallet(s), " + entries.size() + " entr(ies), " + bytes + " bytes of bytea";
        }
    }

    private LifecycleRows() {
    }

    /** Random rows: up to {@code maxWallets} wallets with up to three entries each; one ~100 KB value if {@code large}. */
    static Data data(SplittableRandom random, int maxWallets, boolean large) {
        Set<UUID> ids = new LinkedHashSet<>();
        List<Wallet> wallets = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        int count = random.nextInt(maxWallets + 1);
        long seq = 1 + random.nextInt(1000);
        for (int w = 0; w < count; w++) {
            UUID id = id(random, ids);
            byte[] avatar = random.nextInt(8) == 0 ? null : bytes(random, large && w == 0 ? 100_000 + random.nextInt(2_000)
                    : random.nextInt(40));
            wallets.add(new Wallet(id, text(random), random.nextInt(8) == 0 ? null : decimal(random),
                    random.nextInt(8) == 0 ? null : instant(random), random.nextInt(8) == 0 ? null : json(random, 3),
                    avatar, random.nextInt(6) == 0 ? null : texts(random), random.nextInt(8) == 0 ? null : real(random)));
            for (int e = random.nextInt(4); e > 0; e--) {
                seq += 1 + random.nextInt(3);
                entries.add(new Entry(id(random, ids), id, seq,
                        random.nextInt(8) == 0 ? null : new BigDecimal(BigInteger.valueOf(random.nextLong())
                                .multiply(BigInteger.valueOf(random.nextInt(10_000))), 10),
                        instant(random), random.nextInt(6) == 0 ? null : text(random),
                        random.nextInt(6) == 0 ? null : bytes(random, random.nextInt(64)),
                        random.nextInt(6) == 0 ? null : json(random, 2), random.nextInt(6) == 0 ? null : texts(random)));
            }
        }
        return new Data(wallets, entries);
    }

    private static UUID id(SplittableRandom random, Set<UUID> taken) {
        while (true) {
            UUID id = random.nextInt(3) == 0 ? SHARED_IDS.get(random.nextInt(SHARED_IDS.size()))
                    : new UUID(random.nextLong(), random.nextLong());
            if (taken.add(id)) {
                return id;
            }
        }
    }

    static String text(SplittableRandom random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(7); i > 0; i--) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }

    private static List<@Nullable String> texts(SplittableRandom random) {
        List<@Nullable String> texts = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            texts.add(random.nextInt(5) == 0 ? null : text(random));
        }
        return texts;
    }

    private static byte[] bytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private static BigDecimal decimal(SplittableRandom random) {
        return switch (random.nextInt(5)) {
            case 0 -> new BigDecimal("0.000");
            case 1 -> new BigDecimal("-123456789012345678901234567890.123456789012345678900");
            default -> BigDecimal.valueOf(random.nextLong(), random.nextInt(25) - 4);
        };
    }

    private static OffsetDateTime instant(SplittableRandom random) {
        long micros = random.nextLong(Instant.parse("1900-01-01T00:00:00Z").getEpochSecond() * 1_000_000L,
                Instant.parse("2200-01-01T00:00:00Z").getEpochSecond() * 1_000_000L);
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-12 * 4, 14 * 4 + 1) * 15 * 60);
        return Instant.EPOCH.plusNanos(micros * 1000).atOffset(offset);
    }

    private static double real(SplittableRandom random) {
        double[] odd = {Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE,
            Double.MIN_VALUE, 0.1, 1e-300};
        return random.nextInt(3) == 0 ? odd[random.nextInt(odd.length)] : Double.longBitsToDouble(random.nextLong() >>> 2);
    }

    private static String json(SplittableRandom random, int depth) {
        int kind = depth == 0 ? random.nextInt(4) : random.nextInt(6);
        return switch (kind) {
            case 0 -> quoted(text(random));
            case 1 -> random.nextBoolean() ? "1.000000000000000000000000001" : Long.toString(random.nextLong());
            case 2 -> random.nextBoolean() ? "true" : "null";
            case 3 -> "-0.5e-7";
            case 4 -> {
                List<String> items = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    items.add(json(random, depth - 1));
                }
                yield "[" + String.join(",", items) + "]";
            }
            default -> {
                List<String> fields = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    fields.add(quoted(text(random)) + ":" + json(random, depth - 1));
                }
                yield "{" + String.join(",", fields) + "}";
            }
        };
    }

    /** Returns {@code text} as a JSON string: quotes and backslashes escaped, control characters as {@code \\uXXXX}. */
    static String quoted(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }

    /** Inserts {@code data} as {@code tenant}, through Tenantry's routing data source. */
    static void insert(DataSource dataSource, TenantId tenant, Data data) {
        try {
            insertAs(dataSource, tenant, data);
        } catch (SQLException e) {
            throw new IllegalStateException("Inserting the rows of " + tenant + " failed: " + e.getMessage(), e);
        }
    }

    private static void insertAs(DataSource dataSource, TenantId tenant, Data data) throws SQLException {
        TenantContext.runAs(tenant, () -> {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement p = c.prepareStatement("INSERT INTO wallets (id, owner, balance, opened, profile,"
                        + " avatar, tags, rate) VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?)")) {
                    for (Wallet w : data.wallets()) {
                        p.setObject(1, w.id());
                        p.setString(2, w.owner());
                        p.setBigDecimal(3, w.balance());
                        p.setObject(4, w.opened(), Types.TIMESTAMP_WITH_TIMEZONE);
                        p.setString(5, w.profile());
                        p.setBytes(6, w.avatar());
                        p.setArray(7, w.tags() == null ? null : c.createArrayOf("text", w.tags().toArray()));
                        if (w.rate() == null) {
                            p.setNull(8, Types.DOUBLE);
                        } else {
                            p.setDouble(8, w.rate());
                        }
                        p.executeUpdate();
                    }
                }
                try (PreparedStatement p = c.prepareStatement("INSERT INTO entries (id, wallet_id, seq, amount, booked,"
                        + " memo, payload, attrs, labels) VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?)")) {
                    for (Entry e : data.entries()) {
                        p.setObject(1, e.id());
                        p.setObject(2, e.wallet());
                        p.setLong(3, e.seq());
                        p.setBigDecimal(4, e.amount());
                        p.setObject(5, e.booked(), Types.TIMESTAMP_WITH_TIMEZONE);
                        p.setString(6, e.memo());
                        p.setBytes(7, e.payload());
                        p.setString(8, e.attrs());
                        p.setArray(9, e.labels() == null ? null : c.createArrayOf("text", e.labels().toArray()));
                        p.executeUpdate();
                    }
                }
                c.commit();
            }
        });
    }

    /**
     * Reads {@code tenant}'s rows through Tenantry's routing data source, as the tenant sees them, each row as
     * one line of its values as JDBC returns them (bytea as length and SHA-256), per table, sorted.
     */
    static Map<String, List<String>> read(DataSource dataSource, TenantId tenant) {
        try {
            return readAs(dataSource, tenant);
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the rows of " + tenant + " failed: " + e.getMessage(), e);
        }
    }

    private static Map<String, List<String>> readAs(DataSource dataSource, TenantId tenant) throws SQLException {
        Map<String, List<String>> tables = new TreeMap<>();
        TenantContext.runAs(tenant, () -> {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                tables.put("wallets", lines(c, "SELECT id, owner, balance, opened, profile, avatar, tags, rate,"
                        + " owner_length FROM wallets"));
                tables.put("entries", lines(c, "SELECT id, wallet_id, seq, amount, booked, memo, payload, attrs, labels"
                        + " FROM entries"));
                c.commit();
            }
        });
        return tables;
    }

    private static List<String> lines(Connection c, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql); ResultSet r = p.executeQuery()) {
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                StringBuilder line = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    line.append(i == 1 ? "" : " | ").append(value(r, i));
                }
                lines.add(line.toString());
            }
        }
        lines.sort(null);
        return lines;
    }

    private static String value(ResultSet r, int i) throws SQLException {
        String type = r.getMetaData().getColumnTypeName(i);
        Object value = switch (type) {
            case "timestamptz" -> r.getObject(i, OffsetDateTime.class);
            case "bytea" -> r.getBytes(i);
            case "_text" -> r.getArray(i);
            case "float8" -> r.getDouble(i);
            case "numeric" -> r.getBigDecimal(i);
            default -> r.getObject(i);
        };
        if (r.wasNull() || value == null) {
            return "NULL";
        }
        if (value instanceof OffsetDateTime time) {
            return time.toInstant().toString();
        }
        if (value instanceof byte[] bytes) {
            return bytes.length + " bytes " + sha256(bytes);
        }
        if (value instanceof java.sql.Array array) {
            List<String> items = new ArrayList<>();
            for (Object item : (Object[]) array.getArray()) {
                items.add(item == null ? "NULL" : quotedJava((String) item));
            }
            return items.toString();
        }
        if (value instanceof String text) {
            return quotedJava(text);
        }
        return value instanceof BigDecimal decimal ? decimal.toString() + " (scale " + decimal.scale() + ")"
                : value.toString();
    }

    private static String quotedJava(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the number of rows of {@code read}'s answer. */
    static int rows(Map<String, List<String>> read) {
        return read.values().stream().mapToInt(List::size).sum();
    }
}
