package io.tenantry.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The summary of the measured rounds of {@link MongoMoveBenchmark} or {@link JdbcMoveBenchmark}: throughput
 * of each side (mean over rounds, each round in brackets), Tenantry's throughput over the raw loop's, round
 * by round, the split of a move into its phases, and this JVM's heap during each side's runs. The servers'
 * GC columns are left out when the servers report none (PostgreSQL).
 */
final class MoveReport {

    private final List<MoveRun> runs;
    private final int rounds;
    private final long bytes;
    private final String items;
    private final String bytesAre;
    private final boolean serverGc;

    /**
     * @param items what the runs copy, plural ("documents", "rows")
     * @param bytesAre what the progress's bytes measure ("as stored at the target", "of values as text")
     */
    MoveReport(List<MoveRun> runs, int rounds, String items, String bytesAre) {
        this.runs = runs;
        this.rounds = rounds;
        this.items = items;
        this.bytesAre = bytesAre;
        this.serverGc = runs.stream().anyMatch(r -> r.total().serverGc() != 0);
        this.bytes = runs.stream().filter(r -> r.side() == MoveRun.Side.TENANTRY).mapToLong(MoveRun::bytes).max()
                .orElse(-1);
    }

    void print(PrintStream out) {
        long count = runs.isEmpty() ? 0 : runs.get(0).items();
        out.printf(Locale.ROOT, "%nSummary of %d round(s): %,d %s, %,.1f MB %s (%,.0f bytes each); mean over rounds,"
                + " each round in brackets; MB = 10^6 bytes%n", rounds, count, items, bytes / 1e6, bytesAre,
                (double) bytes / Math.max(1, count));
        out.printf(Locale.ROOT, "%-36s %-22s %-26s %6s %12s %12s %11s%s%n", "", "seconds", items + "/s", "MB/s",
                "mover CPU s", "server CPU s", "mover GC s", serverGc ? String.format(Locale.ROOT, " %11s",
                "server GC s") : "");
        row(out, "raw copy", MoveRun.Side.RAW, r -> r.phase(MoveRun.COPY));
        row(out, "Tenantry copy phase", MoveRun.Side.TENANTRY, r -> r.phase(MoveRun.COPY));
        row(out, "raw copy, COPY FROM", MoveRun.Side.RAW_COPY_IN, r -> r.phase(MoveRun.COPY));
        row(out, "raw COPY TO -> COPY FROM", MoveRun.Side.RAW_COPY_PIPE, r -> r.phase(MoveRun.COPY));
        row(out, "raw copy, after the source's digest", MoveRun.Side.RAW_WITH_DIGESTS, r -> r.phase(MoveRun.COPY));
        row(out, "raw copy + both digests", MoveRun.Side.RAW_WITH_DIGESTS, MoveRun::total);
        row(out, "Tenantry read-only window", MoveRun.Side.TENANTRY, MoveRun::readOnlyWindow);
        row(out, "Tenantry whole move", MoveRun.Side.TENANTRY, MoveRun::total);
        row(out, "Tenantry move back: copy phase", MoveRun.Side.TENANTRY_BACK, r -> r.phase(MoveRun.COPY));
        row(out, "Tenantry move back: whole move", MoveRun.Side.TENANTRY_BACK, MoveRun::total);

        out.printf(Locale.ROOT, "%nThroughput ratio, Tenantry / raw (1.00 = as fast as the raw loop), paired by"
                + " round:%n");
        ratio(out, "copy phase / raw copy", MoveRun.Side.TENANTRY, r -> r.phase(MoveRun.COPY), MoveRun.Side.RAW,
                r -> r.phase(MoveRun.COPY));
        ratio(out, "copy phase / raw copy, COPY FROM", MoveRun.Side.TENANTRY, r -> r.phase(MoveRun.COPY),
                MoveRun.Side.RAW_COPY_IN, r -> r.phase(MoveRun.COPY));
        ratio(out, "copy phase / raw COPY TO -> COPY FROM", MoveRun.Side.TENANTRY, r -> r.phase(MoveRun.COPY),
                MoveRun.Side.RAW_COPY_PIPE, r -> r.phase(MoveRun.COPY));
        ratio(out, "copy phase / raw copy after the digest", MoveRun.Side.TENANTRY, r -> r.phase(MoveRun.COPY),
                MoveRun.Side.RAW_WITH_DIGESTS, r -> r.phase(MoveRun.COPY));
        ratio(out, "read-only window / raw copy + digests", MoveRun.Side.TENANTRY, MoveRun::readOnlyWindow,
                MoveRun.Side.RAW_WITH_DIGESTS, MoveRun::total);
        ratio(out, "whole move / raw copy + digests", MoveRun.Side.TENANTRY, MoveRun::total,
                MoveRun.Side.RAW_WITH_DIGESTS, MoveRun::total);
        ratio(out, "whole move / raw copy", MoveRun.Side.TENANTRY, MoveRun::total, MoveRun.Side.RAW,
                r -> r.phase(MoveRun.COPY));

        for (MoveRun.Side side : new MoveRun.Side[] {MoveRun.Side.TENANTRY, MoveRun.Side.TENANTRY_BACK}) {
            out.printf(Locale.ROOT, "%n%s, by phase (mean seconds, share of the move; mover CPU s, server CPU s%s):%n",
                    side.label, serverGc ? ", server GC s" : "");
            double total = mean(side, r -> r.total().seconds());
            for (String phase : new String[] {MoveRun.DIGEST_SOURCE, MoveRun.PREPARE_TARGET, MoveRun.COPY,
                MoveRun.VERIFY, MoveRun.ERASE_SOURCE, MoveRun.OTHER}) {
                double seconds = mean(side, r -> r.phase(phase).seconds());
                out.printf(Locale.ROOT, "  %-15s %8.2f s %5.1f %%   %7.1f %7.1f%s%n", phase, seconds,
                        100 * seconds / total, mean(side, r -> r.phase(phase).moverCpu() / 1e9),
                        mean(side, r -> r.phase(phase).serverCpu() / 1e9), serverGc ? String.format(Locale.ROOT,
                        " %7.2f", mean(side, r -> r.phase(phase).serverGc() / 1e9)) : "");
            }
        }

        out.printf(Locale.ROOT, "%nHeap of this JVM (the mover; the servers run in their own), MiB, over the rounds:"
                + " live before a run / highest after a GC / rise / highest sampled / GCs%n");
        for (MoveRun.Side side : MoveRun.Side.values()) {
            List<MoveRun> of = of(side);
            if (of.isEmpty()) {
                continue;
            }
            out.printf(Locale.ROOT, "  %-41s %5d / %5d / %5d / %5d / %d%n", side.label,
                    of.stream().mapToLong(r -> r.heap().before()).max().orElse(0),
                    of.stream().mapToLong(r -> r.heap().peakAfterGc()).max().orElse(0),
                    of.stream().mapToLong(r -> r.heap().growth()).max().orElse(0),
                    of.stream().mapToLong(r -> r.heap().peakUsed()).max().orElse(0),
                    of.stream().mapToLong(r -> r.heap().collections()).sum());
        }
    }

    private void row(PrintStream out, String label, MoveRun.Side side, Function<MoveRun, MoveClocks.Reading> part) {
        List<MoveRun> of = of(side);
        if (of.isEmpty()) {
            return;
        }
        List<String> seconds = new ArrayList<>();
        List<String> rates = new ArrayList<>();
        double meanSeconds = 0;
        double meanRate = 0;
        for (MoveRun run : of) {
            double s = part.apply(run).seconds();
            seconds.add(String.format(Locale.ROOT, "%.2f", s));
            rates.add(String.format(Locale.ROOT, "%,.0f", run.items() / s));
            meanSeconds += s / of.size();
            meanRate += run.items() / s / of.size();
        }
        out.printf(Locale.ROOT, "%-36s %-22s %-26s %6.1f %12.1f %12.1f %11.2f%s%n", label,
                String.format(Locale.ROOT, "%.2f %s", meanSeconds, seconds),
                String.format(Locale.ROOT, "%,.0f %s", meanRate, rates), bytes / 1e6 / meanSeconds,
                mean(side, r -> part.apply(r).moverCpu() / 1e9), mean(side, r -> part.apply(r).serverCpu() / 1e9),
                mean(side, r -> part.apply(r).gc() / 1e9), serverGc ? String.format(Locale.ROOT, " %11.2f",
                mean(side, r -> part.apply(r).serverGc() / 1e9)) : "");
    }

    private void ratio(PrintStream out, String label, MoveRun.Side tenantry, Function<MoveRun, MoveClocks.Reading> ours,
            MoveRun.Side raw, Function<MoveRun, MoveClocks.Reading> theirs) {
        List<MoveRun> a = of(tenantry);
        List<MoveRun> b = of(raw);
        if (a.isEmpty() || b.isEmpty()) {
            return; // a side this benchmark does not run
        }
        List<String> each = new ArrayList<>();
        double mean = 0;
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            double ratio = theirs.apply(b.get(i)).seconds() / ours.apply(a.get(i)).seconds();
            each.add(String.format(Locale.ROOT, "%.3f", ratio));
            mean += ratio / Math.min(a.size(), b.size());
        }
        out.printf(Locale.ROOT, "  %-44s %.3f %s%n", label, mean, each);
    }

    private double mean(MoveRun.Side side, Function<MoveRun, Double> value) {
        List<MoveRun> of = of(side);
        return of.stream().mapToDouble(value::apply).sum() / Math.max(1, of.size());
    }

    private List<MoveRun> of(MoveRun.Side side) {
        return runs.stream().filter(r -> r.side() == side).toList();
    }
}
