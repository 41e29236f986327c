package io.tenantry.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The measured batches of one operation, in pairs of a raw batch and a Tenantry batch run back to
 * back: wall-clock time, the client threads' CPU time and the server backends' CPU time. Not
 * thread-safe.
 */
final class BatchPairs {

    /** One batch: wall-clock, client-thread CPU, server-backend CPU and garbage-collection nanoseconds. */
    record Batch(long wallNanos, long clientCpuNanos, long serverCpuNanos, long gcNanos) {

        Batch(long wallNanos, long clientCpuNanos, long serverCpuNanos) {
            this(wallNanos, clientCpuNanos, serverCpuNanos, 0);
        }
    }

    private final int opsPerBatch;
    private final List<double[]> walls = new ArrayList<>();
    private final long[] wall = new long[2];
    private final long[] clientCpu = new long[2];
    private final long[] serverCpu = new long[2];
    private final long[] gc = new long[2];

    BatchPairs(int opsPerBatch) {
        this.opsPerBatch = opsPerBatch;
    }

    void add(Batch raw, Batch tenantry) {
        walls.add(new double[] {raw.wallNanos(), tenantry.wallNanos()});
        add(0, raw);
        add(1, tenantry);
    }

    private void add(int side, Batch batch) {
        wall[side] += batch.wallNanos();
        clientCpu[side] += batch.clientCpuNanos();
        serverCpu[side] += batch.serverCpuNanos();
        gc[side] += batch.gcNanos();
    }

    int pairs() {
        return walls.size();
    }

    /** Operations per second of the raw side over all its batches. */
    double rawRate() {
        return rate(wall[0]);
    }

    double tenantryRate() {
        return rate(wall[1]);
    }

    private double rate(long nanos) {
        return (double) opsPerBatch * walls.size() / (nanos / 1e9);
    }

    /** Tenantry's throughput over raw throughput: the same operations, so raw time over Tenantry time. */
    double ratio() {
        return (double) wall[0] / wall[1];
    }

    /** The ratio of each pair, in the order run. */
    double[] ratios() {
        return walls.stream().mapToDouble(p -> p[0] / p[1]).toArray();
    }

    /** Client CPU microseconds per operation, raw then Tenantry. */
    double[] clientCpuMicros() {
        return new double[] {micros(clientCpu[0]), micros(clientCpu[1])};
    }

    /** Server CPU microseconds per operation, raw then Tenantry. */
    double[] serverCpuMicros() {
        return new double[] {micros(serverCpu[0]), micros(serverCpu[1])};
    }

    /** Garbage-collection microseconds per operation, raw then Tenantry (0 where not measured). */
    double[] gcMicros() {
        return new double[] {micros(gc[0]), micros(gc[1])};
    }

    /** Wall-clock microseconds per operation and thread, raw then Tenantry. */
    double[] wallMicros(int threads) {
        return new double[] {micros(wall[0]) * threads, micros(wall[1]) * threads};
    }

    private double micros(long nanos) {
        return walls.isEmpty() ? 0 : nanos / 1e3 / ((double) opsPerBatch * walls.size());
    }

    /** Returns "median [p10 .. p90] (min .. max)" of {@code values}. */
    static String spread(double[] values) {
        if (values.length == 0) {
            return "-";
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "%.3f [%.3f .. %.3f] (%.3f .. %.3f)", percentile(sorted, 50),
                percentile(sorted, 10), percentile(sorted, 90), sorted[0], sorted[sorted.length - 1]);
    }

    private static double percentile(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p / 100.0 * sorted.length))];
    }
}
