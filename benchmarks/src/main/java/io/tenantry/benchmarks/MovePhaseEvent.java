package io.tenantry.benchmarks;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A flight-recorder event spanning one part of one run of {@link MongoMoveBenchmark} (a store call of a
 * move, or a part of a raw copy), so that a profile's samples, of this JVM or of the server process, can be
 * told apart by run and part. Costs nothing unless a recording is on.
 */
@Name("io.tenantry.benchmarks.MovePhase")
@Label("Move phase")
@Category("Tenantry")
@Description("One part of one run of MongoMoveBenchmark")
final class MovePhaseEvent extends Event {

    @Label("Run")
    String run;

    @Label("Part")
    String part;

    MovePhaseEvent(String run, String part) {
        this.run = run;
        this.part = part;
    }
}
