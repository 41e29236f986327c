package io.tenantry.jdbc;

import com.baomidou.mybatisplus.extension.parser.JsqlParserGlobal;
import com.baomidou.mybatisplus.extension.parser.cache.JdkSerialCaffeineJsqlParseCache;
import com.baomidou.mybatisplus.extension.plugins.handler.TenantLineHandler;
import com.baomidou.mybatisplus.extension.plugins.inner.TenantLineInnerInterceptor;
import io.tenantry.jdbc.FieldCatalogue.TenantTable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.StringValue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the JDBC FIELD model's SQL rewriting costs per statement, beside MyBatis-Plus's
 * {@code TenantLineInnerInterceptor} (the best-known JSqlParser-based tenant rewriter) on the same
 * statements: a point select, a join of three tables, a statement of eight tables (six of them tenant
 * tables) with CTEs, subqueries in the select list, {@code WHERE}, {@code EXISTS} and {@code IN}, and a
 * {@code UNION}, a five-row {@code INSERT} and an {@code UPDATE ... FROM}.
 *
 * <ul>
 *   <li><b>cold</b>: parse and rewrite on every call. Tenantry: {@link FieldRewriter#rewrite} (the rewriter
 *       itself caches nothing). MyBatis-Plus: {@code parserSingle} with no parse cache, its default.
 *   <li><b>warm</b>: the steady state of an application that runs the same statements again and again.
 *       Tenantry: {@link FieldStatements#rewrite}, which rewrites each SQL text once and then looks it up.
 *       MyBatis-Plus: {@code parserSingle} with the parse cache its documentation recommends switched on
 *       ({@code JsqlParserGlobal.setJsqlParseCache(new JdkSerialCaffeineJsqlParseCache(...))}); it caches
 *       the parsed tree, serialized, so each call still deserializes, rewrites and prints it.
 * </ul>
 *
 * <p>The warm benchmarks look up an equal copy of the SQL text, not the instance the cache was filled
 * with, as an application that builds its SQL (MyBatis does) would: the lookup compares the whole text.
 * MyBatis-Plus's settings are global, and JMH runs every benchmark and parameter in a fork of its own, so
 * the cold and warm settings never meet. Each setup prints both rewrites of its statement once and fails if
 * either returns the statement unchanged.
 *
 * <p>The two are not doing the same work: MyBatis-Plus appends {@code tenant_id = 'acme'} to each
 * table's conditions and trusts the rest; Tenantry replaces every tenant table it reads by a subquery of
 * the tenant's rows, confines every write, refuses what it cannot prove confined (two reflective walks of
 * the parsed tree), and keeps the text the same for every tenant. MyBatis-Plus runs here on JSqlParser 5.3,
 * not the 5.2 it declares: on 5.3 it leaves the large statement's {@code EXISTS} and {@code IN} subqueries
 * unconfined (on 5.2 it confines them), and on either it leaves the {@code FROM} table of the
 * {@code UPDATE} unconfined.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar FieldRewrite</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FieldRewriteBenchmark {

    /** The statements, by the name the {@code statement} parameter takes. */
    static final Map<String, String> STATEMENTS = Map.of(
            "small", "SELECT * FROM cards WHERE id = ?",
            "medium", "SELECT c.id, c.name, p.name AS owner, d.name AS deck FROM cards c"
                    + " JOIN players p ON p.id = c.owner_id JOIN decks d ON d.owner_id = p.id"
                    + " WHERE c.rarity = ? AND p.country_code = ? ORDER BY c.name, d.name LIMIT ?",
            "large", "WITH recent AS (SELECT t.card_id, t.buyer_id, t.price FROM trades t WHERE t.traded_at > ?),"
                    + " top_buyers AS (SELECT p.id, p.name FROM players p JOIN recent r ON r.buyer_id = p.id"
                    + " GROUP BY p.id, p.name HAVING count(*) > ?)"
                    + " SELECT c.id, c.name, b.name AS buyer,"
                    + " (SELECT count(*) FROM deck_cards dc WHERE dc.card_id = c.id) AS in_decks,"
                    + " (SELECT max(r2.price) FROM recent r2 WHERE r2.card_id = c.id) AS best_price"
                    + " FROM cards c JOIN recent r ON r.card_id = c.id JOIN top_buyers b ON b.id = r.buyer_id"
                    + " LEFT JOIN card_sets s ON s.code = c.set_code"
                    + " WHERE c.rarity IN (?, ?)"
                    + " AND EXISTS (SELECT 1 FROM decks d JOIN deck_cards dc2 ON dc2.deck_id = d.id"
                    + " WHERE dc2.card_id = c.id AND d.owner_id = b.id)"
                    + " AND c.owner_id IN (SELECT p2.id FROM players p2 WHERE p2.country_code = ?)"
                    + " UNION"
                    + " SELECT c.id, c.name, p.name, 0, NULL FROM cards c JOIN wishlists w ON w.card_id = c.id"
                    + " JOIN players p ON p.id = w.player_id JOIN countries co ON co.code = p.country_code"
                    + " WHERE co.region = ?"
                    + " ORDER BY 2 LIMIT ?",
            "insert", "INSERT INTO trades (id, seller_id, buyer_id, card_id, price, traded_at) VALUES"
                    + " (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?),"
                    + " (?, ?, ?, ?, ?, ?)",
            "update", "UPDATE cards c SET owner_id = t.buyer_id, price = t.price FROM trades t"
                    + " WHERE t.card_id = c.id AND t.id = ?");

    private static final FieldCatalogue CATALOGUE = new FieldCatalogue("public", "tenant_id", Map.of(
            "cards", table("cards", "id", "name", "set_code", "rarity", "owner_id", "price"),
            "players", table("players", "id", "name", "email", "country_code"),
            "decks", table("decks", "id", "owner_id", "name"),
            "deck_cards", table("deck_cards", "deck_id", "card_id", "qty"),
            "trades", table("trades", "id", "seller_id", "buyer_id", "card_id", "price", "traded_at"),
            "wishlists", table("wishlists", "player_id", "card_id", "added_at")),
            Set.of("countries", "card_sets"));

    /**
     * The WITH queries of the large statement. MyBatis-Plus takes them for tables and adds {@code tenant_id}
     * conditions to them, which PostgreSQL would refuse (they have no such column), unless told to ignore
     * them; Tenantry knows them from the statement.
     */
    private static final Set<String> CTES = Set.of("recent", "top_buyers");

    @Param({"small", "medium", "large", "insert", "update"})
    public String statement;

    private String sql;
    /** An equal copy of {@link #sql}, not the instance the caches were filled with. */
    private String sameText;
    private FieldRewriter rewriter;
    private FieldStatements statements;
    private TenantLineInnerInterceptor myBatisPlus;

    private static TenantTable table(String name, String... columns) {
        return new TenantTable(name, List.of(columns), "text");
    }

    /** Prints both rewrites of the statement, and fills Tenantry's statement cache with it. */
    @Setup
    public void setUp() {
        sql = STATEMENTS.get(statement);
        sameText = new String(sql.toCharArray());
        rewriter = new FieldRewriter(CATALOGUE);
        statements = new FieldStatements(CATALOGUE, true);
        myBatisPlus = new TenantLineInnerInterceptor(new TenantLineHandler() {
            @Override
            public Expression getTenantId() {
                return new StringValue("acme");
            }

            @Override
            public String getTenantIdColumn() {
                return "tenant_id";
            }

            @Override
            public boolean ignoreTable(String tableName) {
                return CATALOGUE.sharedTables().contains(tableName) || CTES.contains(tableName);
            }
        });
        String tenantry = statements.rewrite(sql).sql();
        String mybatis = myBatisPlus.parserSingle(sql, null);
        System.out.printf("%n%s:%n  input:        %s%n  Tenantry:     %s%n  MyBatis-Plus: %s%n", statement, sql,
                tenantry, mybatis);
        if (tenantry.equals(sql) || mybatis.equals(sql) || !rewriter.rewrite(sql).sql().equals(tenantry)) {
            throw new IllegalStateException("A rewriter returned " + statement + " unchanged, or Tenantry's two"
                    + " paths disagree");
        }
    }

    /** MyBatis-Plus's parse cache, off (its default) for the cold benchmarks. */
    @State(Scope.Benchmark)
    public static class ParseCacheOff {

        @Setup
        public void setUp() {
            JsqlParserGlobal.setJsqlParseCache(null);
        }
    }

    /**
     * MyBatis-Plus's parse cache, on as its documentation recommends, for the warm benchmarks; without the
     * documentation's five-second expiry, which would mix cold parses into the steady state.
     */
    @State(Scope.Benchmark)
    public static class ParseCacheOn {

        @Setup
        public void setUp() {
            JsqlParserGlobal.setJsqlParseCache(new JdkSerialCaffeineJsqlParseCache(cache -> cache.maximumSize(1024)));
        }
    }

    @Benchmark
    public String tenantryCold() {
        return rewriter.rewrite(sql).sql();
    }

    @Benchmark
    public String myBatisPlusCold(ParseCacheOff off) {
        return myBatisPlus.parserSingle(sql, null);
    }

    /** A lookup: three warm-up iterations are plenty. */
    @Benchmark
    @Warmup(iterations = 3, time = 1)
    public String tenantryWarm() {
        return statements.rewrite(sameText).sql();
    }

    @Benchmark
    public String myBatisPlusWarm(ParseCacheOn on) {
        return myBatisPlus.parserSingle(sameText, null);
    }
}
