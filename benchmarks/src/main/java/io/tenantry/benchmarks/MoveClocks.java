package io.tenantry.benchmarks;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Reads, at one instant, the wall clock, the CPU time of this JVM (the mover: the driver and Tenantry or
 * the raw loop), the CPU time of the servers' processes, and the time this JVM and the servers spent in
 * garbage collection (servers without a collector, such as PostgreSQL, report 0). Two readings subtract
 * into what happened between them. Thread-safe if the servers' clocks are.
 */
final class MoveClocks {

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final LongSupplier serverCpu;
    private final LongSupplier serverGc;

    /**
     * @param serverCpu the CPU nanoseconds the servers' processes have used so far, all of them
     * @param serverGc the nanoseconds the servers' collectors have spent so far, or 0 always
     */
    MoveClocks(LongSupplier serverCpu, LongSupplier serverGc) {
        this.serverCpu = serverCpu;
        this.serverGc = serverGc;
    }

    /** Returns the clocks now. */
    Reading read() {
        long gcMillis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMillis += Math.max(0, collector.getCollectionTime());
        }
        long serverGcNanos = serverGc.getAsLong();
        return new Reading(System.nanoTime(), os.getProcessCpuTime(), serverCpu.getAsLong(), gcMillis * 1_000_000,
                serverGcNanos);
    }

    /** Returns the machine's load averages over 1, 5 and 15 minutes from Linux's {@code /proc}, or "unknown". */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * Nanoseconds on each clock: at an instant, or (after {@link #minus}) between two instants.
     *
     * @param wall wall-clock time
     * @param moverCpu CPU time of this JVM, all threads
     * @param serverCpu CPU time of the server process, all threads
     * @param gc this JVM's garbage-collection time (as its collectors count it: G1's pauses)
     * @param serverGc the server process's garbage-collection time, counted alike
     */
    record Reading(long wall, long moverCpu, long serverCpu, long gc, long serverGc) {

        static final Reading ZERO = new Reading(0, 0, 0, 0, 0);

        /** Returns what happened from {@code earlier} to this reading. */
        Reading minus(Reading earlier) {
            return new Reading(wall - earlier.wall, moverCpu - earlier.moverCpu, serverCpu - earlier.serverCpu,
                    gc - earlier.gc, serverGc - earlier.serverGc);
        }

        /** Returns the sum of two intervals. */
        Reading plus(Reading other) {
            return new Reading(wall + other.wall, moverCpu + other.moverCpu, serverCpu + other.serverCpu,
                    gc + other.gc, serverGc + other.serverGc);
        }

        double seconds() {
            return wall / 1e9;
        }
    }
}
