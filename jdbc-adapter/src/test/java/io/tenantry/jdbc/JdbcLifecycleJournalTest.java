package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.LifecycleOperation;
import io.tenantry.LifecycleOperation.Kind;
import io.tenantry.LifecycleOperation.Step;
import io.tenantry.Placement;
import io.tenantry.TenantId;
import io.tenantry.TenantStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class JdbcLifecycleJournalTest {

    private static LifecycleOperation op(String id, Step step, Placement to, String tier, Instant at) {
        return new LifecycleOperation(id, Kind.MOVE, TenantId.of("acme"), step, Placement.field("main", "app"), to, tier,
                TenantStatus.ACTIVE, at, at, step.terminal() ? "done" : "");
    }

    @Test
    void keepsEveryFieldAndTheLastStepOfEachOperation() {
        PostgresServer server = PostgresServer.get();
        JdbcLifecycleJournal journal = JdbcLifecycleJournal.of(server.admin(server.freshDatabase("journal")));
        journal.createTableIfMissing();
        journal.createTableIfMissing();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MICROS);
        LifecycleOperation move = op("m1", Step.STARTED, Placement.database("other", "t_"), null, t0);
        journal.save(move);
        journal.save(op("m1", Step.COPIED, Placement.database("other", "t_"), null, t0));
        LifecycleOperation delete = new LifecycleOperation("d1", Kind.DELETE, TenantId.of("bravo"), Step.DONE,
                Placement.schema("main", "app"), null, null, TenantStatus.SUSPENDED, t0.plusSeconds(1),
                t0.plusSeconds(2), "erased");
        journal.save(delete);
        assertThat(journal.unfinished()).singleElement().satisfies(found -> {
            assertThat(found.id()).isEqualTo("m1");
            assertThat(found.step()).isEqualTo(Step.COPIED);
            assertThat(found.from()).isEqualTo(Placement.field("main", "app"));
            assertThat(found.to()).isEqualTo(Placement.database("other", "t_"));
            assertThat(found.targetTier()).isNull();
            assertThat(found.startedAt()).isEqualTo(t0);
        });
        assertThat(journal.all()).containsExactly(op("m1", Step.COPIED, Placement.database("other", "t_"), null, t0),
                delete);
    }

    @Test
    void explainsAMissingTable() {
        PostgresServer server = PostgresServer.get();
        JdbcLifecycleJournal journal = JdbcLifecycleJournal.of(server.admin(server.freshDatabase("nojournal")));
        assertThatThrownBy(journal::all).hasMessageContaining("createTableIfMissing()");
    }
}
