package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.jdbc.RowChanges.Name;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Which tables a statement may add rows to, remove rows from or empty, read from its tokens. */
class RowChangesTest {

    private static Name name(String table) {
        return new Name(null, table);
    }

    @Test
    @DisplayName("a plain INSERT or DELETE is counted by its update count; upserts, RETURNING and MERGE are not")
    void countedOnlyWhenTheUpdateCountTells() {
        RowChanges insert = RowChanges.of("INSERT INTO cards (k) VALUES (1), (2) ON CONFLICT (k) DO NOTHING");
        assertThat(insert.added).containsExactly(name("cards"));
        assertThat(insert.counted).isTrue();
        assertThat(RowChanges.of("DELETE FROM ONLY cards WHERE k = 1").removed).containsExactly(name("cards"));
        assertThat(RowChanges.of("DELETE FROM cards").counted).isTrue();
        assertThat(RowChanges.of("INSERT INTO cards VALUES (1) ON CONFLICT (k) DO UPDATE SET v = 2").counted).isFalse();
        assertThat(RowChanges.of("INSERT INTO cards VALUES (1) RETURNING k").counted).isFalse();
        RowChanges merge = RowChanges.of("MERGE INTO cards c USING s ON c.k = s.k WHEN NOT MATCHED THEN INSERT"
                + " VALUES (s.k) WHEN MATCHED THEN DELETE");
        assertThat(merge.added).containsExactly(name("cards"));
        assertThat(merge.removed).containsExactly(name("cards"));
        assertThat(merge.counted).isFalse();
    }

    @Test
    @DisplayName("writes inside WITH queries and EXPLAIN ANALYZE are found, and are not counted by the update count")
    void findsWritesAnywhere() {
        RowChanges with = RowChanges.of("WITH d AS (DELETE FROM old RETURNING *), i AS (INSERT INTO cards SELECT * FROM d"
                + " RETURNING k) SELECT count(*) FROM i");
        assertThat(with.added).containsExactly(name("cards"));
        assertThat(with.removed).containsExactly(name("old"));
        assertThat(with.counted).isFalse();
        assertThat(RowChanges.of("EXPLAIN ANALYZE INSERT INTO cards VALUES (1)").added).containsExactly(name("cards"));
        assertThat(RowChanges.of("EXPLAIN ANALYZE INSERT INTO cards VALUES (1)").counted).isFalse();
        assertThat(RowChanges.of("CREATE TABLE IF NOT EXISTS copy (a, b) AS SELECT 1, 2")
                .added).containsExactly(name("copy"));
        assertThat(RowChanges.of("CREATE TABLE t (a int GENERATED ALWAYS AS IDENTITY)").none()).isTrue();
    }

    @Test
    @DisplayName("names are read as PostgreSQL resolves them: folded, quoted, qualified")
    void readsNames() {
        assertThat(RowChanges.of("insert into \"Cards\" values (1)").added).containsExactly(name("Cards"));
        assertThat(RowChanges.of("INSERT INTO Public.CARDS VALUES (1)").added)
                .containsExactly(new Name("public", "cards"));
        assertThat(RowChanges.of("INSERT INTO db.\"s\".cards VALUES (1)").added).containsExactly(new Name("s", "cards"));
        assertThat(RowChanges.of("TRUNCATE TABLE ONLY a, s.b *, \"C\"").emptied)
                .containsExactly(name("a"), new Name("s", "b"), name("C"));
        assertThat(RowChanges.of("DROP TABLE IF EXISTS a, b CASCADE").emptied).containsExactly(name("a"), name("b"));
    }

    @Test
    @DisplayName("reads, words in literals and comments, and transaction control change no rows")
    void readsChangeNothing() {
        assertThat(RowChanges.of("SELECT 'INSERT INTO cards' /* DELETE FROM cards */ FROM cards").none()).isTrue();
        assertThat(RowChanges.of("UPDATE cards SET v = 1").none()).isTrue();
        assertThat(RowChanges.of("COMMIT").ending).isEqualTo(RowChanges.Ending.COMMIT);
        assertThat(RowChanges.of("end").ending).isEqualTo(RowChanges.Ending.COMMIT);
        assertThat(RowChanges.of("ROLLBACK TO SAVEPOINT s").ending).isEqualTo(RowChanges.Ending.ROLLBACK);
    }
}
