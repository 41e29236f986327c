package io.tenantry.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * This JVM's heap during one run: the live heap before it (right after a full collection), the highest
 * heap use seen by a sampler thread every 2 ms (live objects and garbage not yet collected), and the
 * highest heap use right after any collection during the run (what survived: the nearest measure of the
 * live set that the JVM gives without stopping the run). Start one per run, on the thread that runs it.
 */
final class HeapWatch implements NotificationListener {

    private static final long MIB = 1024 * 1024;

    private final Set<String> heapPools = new HashSet<>();
    private final AtomicLong peakUsed = new AtomicLong();
    private final AtomicLong peakAfterGc = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();
    private final long baseline;
    private final Thread sampler;
    private volatile boolean running = true;

    private HeapWatch() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        System.gc();
        System.gc();
        baseline = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        peakUsed.set(baseline);
        peakAfterGc.set(baseline);
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(this, null, null);
            }
        }
        sampler = new Thread(this::sample, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Collects garbage, notes the live heap, and starts watching. */
    static HeapWatch start() {
        return new HeapWatch();
    }

    private void sample() {
        while (running) {
            peakUsed.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long after = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                after += pool.getValue().getUsed();
            }
        }
        peakAfterGc.accumulateAndGet(after, Math::max);
        collections.incrementAndGet();
    }

    /** Stops watching and returns what was seen. */
    Heap stop() {
        running = false;
        sampler.interrupt();
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                try {
                    emitter.removeNotificationListener(this);
                } catch (ListenerNotFoundException e) {
                    // never added
                }
            }
        }
        return new Heap(baseline / MIB, peakUsed.get() / MIB, peakAfterGc.get() / MIB, collections.get());
    }

    /**
     * What one run did to the heap, in MiB.
     *
     * @param before live heap before the run
     * @param peakUsed highest heap use sampled during the run, garbage included
     * @param peakAfterGc highest heap use right after a collection during the run
     * @param collections collections during the run (young and old)
     */
    record Heap(long before, long peakUsed, long peakAfterGc, long collections) {

        /** Returns how far the heap left after a collection rose above the live heap before the run. */
        long growth() {
            return Math.max(0, peakAfterGc - before);
        }
    }
}
