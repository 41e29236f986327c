package io.tenantry.jdbc;

import static io.tenantry.jdbc.QuotaFixture.ACME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.IsolationModel;
import io.tenantry.QuotaExceededException;
import io.tenantry.tck.Trials;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Random sequences of writes of one tenant under an items quota, against a model of its rows: after every step
 * the ledger holds exactly the rows the superuser counts, and they never pass the limit. A step that would pass
 * it is refused and writes nothing; every other step does what it would do without quotas.
 */
class JdbcQuotaProperties {

    private static final long LIMIT = 8;
    private static final int STEPS = 14;

    /** What a step does; {@code rows} new rows, {@code existing} rows the tenant has already. */
    enum Kind {
        VALUES, INSERT_SELECT, BATCH, UPSERT, DO_NOTHING, DELETE, WITH_INSERT, TRANSACTION, ROLLED_BACK, TRUNCATE
    }

    record Step(Kind kind, int rows, int existing) {
        @Override
        public String toString() {
            return kind + "(" + rows + (existing > 0 ? ", existing " + existing : "") + ")";
        }
    }

    private static List<Step> steps(SplittableRandom random, IsolationModel model) {
        List<Step> steps = new ArrayList<>();
        Kind[] kinds = Kind.values();
        for (int i = 0; i < STEPS; i++) {
            Kind kind = kinds[random.nextInt(model == IsolationModel.FIELD ? kinds.length - 1 : kinds.length)];
            steps.add(new Step(kind, random.nextInt(1, 5), random.nextInt(0, 3)));
        }
        return steps;
    }

    @ParameterizedTest
    @EnumSource(IsolationModel.class)
    @DisplayName("after every write the ledger equals the committed rows, which never pass the limit")
    void theLedgerFollowsTheRows(IsolationModel model) {
        try (QuotaFixture q = QuotaFixture.of(model, LIMIT, 100)) {
            Trials.forAllLists("writes under a quota keep the ledger equal to the rows, at most the limit",
                    Math.max(1, Trials.defaultTries() / 20), random -> steps(random, model), steps -> {
                        q.reset();
                        TreeSet<String> rows = new TreeSet<>();
                        int[] fresh = {0};
                        for (Step step : steps) {
                            try {
                                run(q, step, rows, fresh);
                            } catch (SQLException e) {
                                throw new IllegalStateException(step + ": " + e.getMessage(), e);
                            }
                            assertThat(q.fixture.itemsOf(ACME)).as("rows after " + step).hasSize(rows.size());
                            assertThat(q.counted(ACME).orElse(rows.size())).as("count after " + step)
                                    .isEqualTo(rows.size());
                            assertThat((long) rows.size()).isLessThanOrEqualTo(LIMIT);
                        }
                    });
        }
    }

    /** Runs {@code step}, expecting a refusal exactly when its new rows do not fit, and updates the model. */
    private static void run(QuotaFixture q, Step step, TreeSet<String> rows, int[] fresh) throws SQLException {
        List<String> added = new ArrayList<>();
        for (int i = 0; i < step.rows(); i++) {
            added.add("n" + fresh[0]++);
        }
        List<String> existing = rows.stream().limit(step.existing()).toList();
        boolean fits = rows.size() + added.size() <= LIMIT;
        switch (step.kind()) {
            case DELETE -> {
                List<String> removed = rows.stream().limit(step.rows()).toList();
                q.update(ACME, "DELETE FROM items WHERE k IN ('-'" + quoted(removed, ", ") + ")");
                removed.forEach(rows::remove);
                return;
            }
            case TRUNCATE -> {
                q.update(ACME, "TRUNCATE items");
                rows.clear();
                return;
            }
            case ROLLED_BACK -> {
                q.as(ACME, c -> {
                    c.setAutoCommit(false);
                    try (Statement s = c.createStatement()) {
                        s.executeUpdate(values(added));
                    } catch (QuotaExceededException e) {
                        assertThat(fits).isFalse();
                    }
                    c.rollback();
                    return null;
                });
                q.reconcile(ACME);
                return;
            }
            default -> {
            }
        }
        List<String> written = new ArrayList<>(added);
        written.addAll(existing);
        String sql = switch (step.kind()) {
            case VALUES, BATCH, TRANSACTION -> values(added);
            case INSERT_SELECT -> "INSERT INTO items (k, v) SELECT k, 'v' FROM unnest(ARRAY['-'"
                    + quoted(added, ", ") + "]) k WHERE k <> '-'";
            case UPSERT -> values(written) + " ON CONFLICT (k) DO UPDATE SET v = 'u'";
            case DO_NOTHING -> values(written) + " ON CONFLICT (k) DO NOTHING";
            case WITH_INSERT -> "WITH x AS (" + values(added) + " RETURNING k) SELECT count(*) FROM x";
            default -> throw new IllegalStateException(step.toString());
        };
        Runnable write = () -> {
            try {
                q.as(ACME, c -> switch (step.kind()) {
                    case BATCH -> batch(c.prepareStatement("INSERT INTO items (k, v) VALUES (?, 'v')"), added);
                    case TRANSACTION -> {
                        c.setAutoCommit(false);
                        try (Statement s = c.createStatement()) {
                            s.executeUpdate(sql);
                        }
                        c.commit();
                        yield null;
                    }
                    default -> {
                        try (Statement s = c.createStatement()) {
                            yield s.execute(sql);
                        }
                    }
                });
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
        if (fits) {
            write.run();
            rows.addAll(added);
        } else {
            assertThatThrownBy(write::run).as(step + " past the limit").isInstanceOf(QuotaExceededException.class);
        }
    }

    private static Object batch(PreparedStatement p, List<String> keys) throws SQLException {
        try (p) {
            for (String key : keys) {
                p.setString(1, key);
                p.addBatch();
            }
            return p.executeBatch();
        }
    }

    private static String values(List<String> keys) {
        return "INSERT INTO items (k, v) VALUES ('" + String.join("', 'v'), ('", keys) + "', 'v')";
    }

    private static String quoted(List<String> keys, String separator) {
        StringBuilder out = new StringBuilder();
        keys.forEach(k -> out.append(separator).append("'").append(k).append("'"));
        return out.toString();
    }
}
