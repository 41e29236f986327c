package io.tenantry.benchmarks;

import java.util.function.Supplier;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A flight-recorder event spanning one part of one run of {@link MongoMoveBenchmark} or
 * {@link JdbcMoveBenchmark} (a store call of a move, or a part of a raw copy), so that a profile's samples,
 * of this JVM or of a server process, can be told apart by run and part. Costs nothing unless a recording
 * is on.
 */
@Name("io.tenantry.benchmarks.MovePhase")
@Label("Move phase")
@Category("Tenantry")
@Description("One part of one run of MongoMoveBenchmark or JdbcMoveBenchmark")
final class MovePhaseEvent extends Event {

    @Label("Run")
    String run;

    @Label("Part")
    String part;

    MovePhaseEvent(String run, String part) {
        this.run = run;
        this.part = part;
    }

    /** Runs {@code body} inside an event for part {@code part} of run {@code run}, and returns what it returned. */
    static <T> T traced(String run, String part, Supplier<T> body) {
        MovePhaseEvent event = new MovePhaseEvent(run, part);
        event.begin();
        T result = body.get();
        event.commit();
        return result;
    }
}
