package io.tenantry.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Reads, at one instant, the wall clock, the CPU time of this JVM (the mover: the driver and Tenantry or
 * the raw loop), the CPU time of the server process, and the time each JVM spent in garbage collection. Two
 * readings subtract into what happened between them. Thread-safe.
 */
final class MoveClocks {

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final MongoServerProcess servers;

    MoveClocks(MongoServerProcess servers) {
        this.servers = servers;
    }

    /** Returns the clocks now. */
    Reading read() {
        long gcMillis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMillis += Math.max(0, collector.getCollectionTime());
        }
        long serverGc = servers.gcNanos();
        return new Reading(System.nanoTime(), os.getProcessCpuTime(), servers.cpuNanos(), gcMillis * 1_000_000,
                serverGc);
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
