package io.tenantry.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.stream.Collectors;

/**
 * The tables of {@link FieldDifferentialProperties} ({@code db/field-diff}) as its SQL generator sees
 * them, the rows every tenant starts from, and the SQL that resets and reads them on the shared
 * database (with the tenant column) and on the plain database (without it). Immutable.
 */
final class DifferentialSchema {

    /** The shared migration; the plain database is made from it, minus the lines that name tenant_id. */
    static final String MIGRATION = "db/field-diff/V1__schema.sql";

    static final String TENANT_COLUMN = "tenant_id";

    /** The bound tenant, and two others whose rows must never change. */
    static final List<String> TENANTS = List.of("alpha", "beta", "gamma");

    /** Value types, as families: an INT may be integer or bigint, since PostgreSQL mixes them freely. */
    enum Type { INT, NUM, TEXT }

    /**
     * A column.
     *
     * @param domain what its values identify ("team" for teams.id and players.team_id), so that joins and
     *     correlations can match keys with the columns that reference them; null for plain values
     */
    record Column(String name, Type type, String domain, boolean nullable) {
    }

    /** A table: tenant tables carry the tenant column, which {@code columns} leaves out. */
    record Table(String name, boolean tenant, List<Column> columns) {

        Column column(String name) {
            return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
        }

        String columnList() {
            return columns.stream().map(Column::name).collect(Collectors.joining(", "));
        }
    }

    static final Table RARITIES = new Table("rarities", false, List.of(
            new Column("code", Type.TEXT, "rarity", false), new Column("weight", Type.INT, null, false)));
    static final Table TEAMS = new Table("teams", true, List.of(new Column("id", Type.TEXT, "team", false),
            new Column("name", Type.TEXT, null, false), new Column("city", Type.TEXT, null, true)));
    static final Table PLAYERS = new Table("players", true, List.of(new Column("id", Type.TEXT, "player", false),
            new Column("team_id", Type.TEXT, "team", true), new Column("mentor_id", Type.TEXT, "player", true),
            new Column("name", Type.TEXT, null, false), new Column("score", Type.INT, null, true)));
    static final Table CARDS = new Table("cards", true, List.of(new Column("id", Type.TEXT, "card", false),
            new Column("player_id", Type.TEXT, "player", true), new Column("rarity", Type.TEXT, "rarity", false),
            new Column("price", Type.NUM, null, true)));
    static final Table TRADES = new Table("trades", true, List.of(new Column("id", Type.TEXT, "trade", false),
            new Column("card_id", Type.TEXT, "card", false), new Column("qty", Type.INT, null, false),
            new Column("note", Type.TEXT, null, true)));

    /** Parents before children: the order to insert in; deletes go the other way. */
    static final List<Table> TENANT_TABLES = List.of(TEAMS, PLAYERS, CARDS, TRADES);
    static final List<Table> ALL = List.of(RARITIES, TEAMS, PLAYERS, CARDS, TRADES);

    static final List<String> TEAM_NAMES = List.of("Lions", "Tigers", "Bears", "Wolves", "Hawks", "Owls");
    static final List<String> RARITY_CODES = List.of("common", "rare", "epic", "legend");

    private DifferentialSchema() {
    }

    /**
     * The rows a tenant starts from. Every variant has the same ids, so that a row of another tenant
     * that leaks into a result looks like one of the bound tenant's; variant 1 differs in some values
     * and has rows of its own, so that a leak shows even where duplicates would not.
     */
    static List<Object[]> seed(Table table, int variant) {
        List<Object[]> rows = new ArrayList<>(switch (table.name()) {
            case "teams" -> List.of(row("t1", "Lions", "Oslo"), row("t2", "Tigers", "Bergen"), row("t3", "Bears", null),
                    row("t4", "Wolves", "Oslo"));
            case "players" -> List.of(row("p1", "t1", null, "Ann", 10), row("p2", "t1", "p1", "Bob", 20),
                    row("p3", "t2", "p1", "Cid", null), row("p4", "t2", "p3", "Dee", 15),
                    row("p5", "t3", "p4", "Eve", 20), row("p6", null, "p2", "Fay", 5),
                    row("p7", "t1", null, "Gus", 30), row("p8", "t4", "p7", "Hal", 15));
            case "cards" -> List.of(row("c1", "p1", "common", num("1.50")), row("c2", "p1", "rare", num("12.00")),
                    row("c3", "p2", "epic", num("40.25")), row("c4", "p3", "common", null),
                    row("c5", "p4", "legend", num("250.00")), row("c6", null, "common", num("0.75")),
                    row("c7", "p5", "rare", num("12.00")), row("c8", "p6", "epic", num("33.30")),
                    row("c9", "p7", "common", num("2.00")), row("c10", "p8", "rare", num("9.99")),
                    row("c11", "p2", "legend", null), row("c12", "p7", "common", num("1.50")));
            case "trades" -> List.of(row("x1", "c1", 1, "first"), row("x2", "c1", 2, null), row("x3", "c2", 1, "swap"),
                    row("x4", "c3", 5, null), row("x5", "c5", 1, "big"), row("x6", "c7", 3, null),
                    row("x7", "c8", 2, "swap"), row("x8", "c9", 1, null), row("x9", "c10", 4, "late"),
                    row("x10", "c12", 2, null), row("x11", "c3", 1, "swap"), row("x12", "c6", 7, null));
            default -> throw new IllegalArgumentException(table.name());
        });
        if (variant == 1) {
            switch (table.name()) {
                case "teams" -> rows.add(row("t5", "Hawks", "Tromso"));
                case "players" -> {
                    rows.replaceAll(r -> r[4] == null ? r : row(r[0], r[1], r[2], r[3], (Integer) r[4] + 1));
                    rows.add(row("p9", "t5", "p1", "Ivy", 25));
                }
                case "cards" -> rows.add(row("c13", "p9", "epic", num("70.00")));
                case "trades" -> rows.add(row("x13", "c13", 3, "own"));
                default -> { }
            }
        }
        return rows;
    }

    /** Empties the tenant tables and inserts each tenant's rows; {@code tenants} null for the plain database. */
    static String resetSql(List<String> tenants) {
        StringBuilder sql = new StringBuilder();
        for (int i = TENANT_TABLES.size() - 1; i >= 0; i--) {
            sql.append("DELETE FROM ").append(TENANT_TABLES.get(i).name()).append(";\n");
        }
        for (Table table : TENANT_TABLES) {
            StringJoiner values = new StringJoiner(", ");
            List<String> owners = tenants == null ? java.util.Collections.singletonList(null) : tenants;
            for (int t = 0; t < owners.size(); t++) {
                for (Object[] row : seed(table, t)) {
                    StringJoiner literals = new StringJoiner(", ", "(", ")");
                    if (owners.get(t) != null) {
                        literals.add(literal(owners.get(t)));
                    }
                    for (Object value : row) {
                        literals.add(literal(value));
                    }
                    values.add(literals.toString());
                }
            }
            sql.append("INSERT INTO ").append(table.name()).append(" (")
                    .append(tenants == null ? "" : TENANT_COLUMN + ", ").append(table.columnList()).append(") VALUES ")
                    .append(values).append(";\n");
        }
        return sql.toString();
    }

    /**
     * One query over every table that returns (owner, "table(row)") pairs: the owner is the tenant column
     * on the shared database, {@code plainOwner} on the plain one, and "*shared" for the reference table.
     */
    static String dumpSql(boolean shared, String plainOwner) {
        StringJoiner union = new StringJoiner(" UNION ALL ");
        for (Table table : ALL) {
            String owner = !table.tenant() ? "'*shared'" : shared ? TENANT_COLUMN : literal(plainOwner);
            union.add("SELECT " + owner + "::text, '" + table.name() + "' || ROW(" + table.columnList()
                    + ")::text FROM "
                    + table.name());
        }
        return union.toString();
    }

    /** The shared migration without the tenant column: the schema of the plain database. */
    static String plainSchemaSql() {
        try (InputStream in = Objects.requireNonNull(DifferentialSchema.class.getClassLoader()
                .getResourceAsStream(MIGRATION), MIGRATION)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.lines().filter(line -> !line.contains(TENANT_COLUMN)).collect(Collectors.joining("\n"))
                    .replaceAll(",(\\s*\\n\\);)", "$1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String literal(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof String text) {
            return "'" + text.replace("'", "''") + "'";
        }
        if (value instanceof BigDecimal number) {
            return number.toPlainString();
        }
        return value.toString();
    }

    private static Object[] row(Object... values) {
        return values;
    }

    private static BigDecimal num(String value) {
        return new BigDecimal(value);
    }
}
