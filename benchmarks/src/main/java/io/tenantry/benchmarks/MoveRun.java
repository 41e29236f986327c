package io.tenantry.benchmarks;

import io.tenantry.Placement;
import io.tenantry.TenantDigest;
import io.tenantry.TenantId;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One measured run of {@link MongoMoveBenchmark} or {@link JdbcMoveBenchmark}: a Tenantry move, or a raw copy
 * with or without digests.
 *
 * @param side what ran
 * @param round the round, from 0; -1 for the warm-up
 * @param tenant the tenant moved or copied
 * @param items documents or rows copied
 * @param bytes their size as the move's progress reported it (MongoDB: BSON as stored at the target;
 *     JDBC: characters of the values' text); -1 for a raw copy, which copies the same items as Tenantry's
 * @param total the whole run
 * @param phases its parts, by name, in order ({@link #DIGEST_SOURCE}, ...)
 * @param heap this JVM's heap during the run
 */
record MoveRun(Side side, int round, TenantId tenant, long items, long bytes, MoveClocks.Reading total,
        Map<String, MoveClocks.Reading> phases, HeapWatch.Heap heap) {

    static final String DIGEST_SOURCE = "digest source";
    static final String PREPARE_TARGET = "prepare target";
    static final String COPY = "copy";
    static final String VERIFY = "verify";
    static final String ERASE_SOURCE = "erase source";
    static final String OTHER = "other";

    /** What ran. */
    enum Side {
        TENANTRY("Tenantry move A FIELD -> B DATABASE"),
        TENANTRY_BACK("Tenantry move back B DATABASE -> A FIELD"),
        RAW("raw copy"),
        RAW_WITH_DIGESTS("raw copy + digests"),
        RAW_COPY_IN("raw copy, COPY FROM instead of INSERTs"),
        RAW_COPY_PIPE("raw COPY TO piped into COPY FROM");

        final String label;

        Side(String label) {
            this.label = label;
        }
    }

    /**
     * Attributes a move's data-store calls to its phases, by method and by whether they ran at the source
     * {@code from}, handing each digest of the source to {@code sourceDigest}.
     */
    static Map<String, MoveClocks.Reading> phases(List<TimedDataStore.Call> calls, Placement from,
            Consumer<TenantDigest> sourceDigest) {
        Map<String, MoveClocks.Reading> phases = new LinkedHashMap<>();
        for (TimedDataStore.Call call : calls) {
            boolean atSource = call.placement().equals(from);
            String phase = switch (call.method()) {
                case "digest" -> atSource ? DIGEST_SOURCE : VERIFY;
                case "copy" -> COPY;
                case "erase" -> atSource ? ERASE_SOURCE : PREPARE_TARGET;
                default -> PREPARE_TARGET;
            };
            phases.merge(phase, call.cost(), MoveClocks.Reading::plus);
            TenantDigest digest = call.digest();
            if (digest != null && atSource) {
                sourceDigest.accept(digest);
            }
        }
        return phases;
    }

    /** Returns how a run is named in the flight recorder's {@link MovePhaseEvent}s: side and round. */
    static String name(Side side, int round) {
        return side + (round < 0 ? " warm-up" : " round " + (round + 1));
    }

    /**
     * Returns a phase's cost ({@link #OTHER}: the run's time outside its named phases), zero when the run had no
     * such phase.
     */
    MoveClocks.Reading phase(String name) {
        if (name.equals(OTHER)) {
            MoveClocks.Reading known = MoveClocks.Reading.ZERO;
            for (MoveClocks.Reading reading : phases.values()) {
                known = known.plus(reading);
            }
            return total.minus(known);
        }
        return phases.getOrDefault(name, MoveClocks.Reading.ZERO);
    }

    /**
     * Returns the source's digest, the target's preparation, the copy and the verification together: what a
     * move does while the tenant is read-only (less the journal's and directory's few writes).
     */
    MoveClocks.Reading readOnlyWindow() {
        return phase(DIGEST_SOURCE).plus(phase(PREPARE_TARGET)).plus(phase(COPY)).plus(phase(VERIFY));
    }

    /** Prints the run on one line, counting its items as {@code unit} ("docs", "rows"). */
    void print(PrintStream out, String unit) {
        StringBuilder line = new StringBuilder();
        line.append(String.format(Locale.ROOT, "%-9s %-41s %,11d %s in %7.2f s |",
                round < 0 ? "warm-up" : "round " + (round + 1), side.label + " (" + tenant + ")", items, unit,
                total.seconds()));
        for (String name : new String[] {DIGEST_SOURCE, PREPARE_TARGET, COPY, VERIFY, ERASE_SOURCE, OTHER}) {
            if (phases.containsKey(name) || (name.equals(OTHER) && phases.size() > 1)) {
                line.append(String.format(Locale.ROOT, " %s %.2f s", name, phase(name).seconds()));
                if (name.equals(COPY)) {
                    line.append(String.format(Locale.ROOT, " (%,.0f %s/s)", items / phase(COPY).seconds(), unit));
                }
                line.append(',');
            }
        }
        line.setLength(line.length() - 1);
        line.append(String.format(Locale.ROOT, " | CPU mover %.1f s, server %.1f s; GC mover %.2f s",
                total.moverCpu() / 1e9, total.serverCpu() / 1e9, total.gc() / 1e9));
        if (total.serverGc() != 0) { // PostgreSQL has no collector to report
            line.append(String.format(Locale.ROOT, ", server %.2f s", total.serverGc() / 1e9));
        }
        line.append(String.format(Locale.ROOT, " | mover heap MiB: before %d, peak after GC %d, peak %d, %d GCs",
                heap.before(), heap.peakAfterGc(), heap.peakUsed(), heap.collections()));
        out.println(line);
    }
}
