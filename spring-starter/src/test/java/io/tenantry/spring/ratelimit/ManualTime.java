package io.tenantry.spring.ratelimit;

import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock for buckets that moves only when told to, so that tests wait for no period. */
final class ManualTime implements TimeMeter {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Override
    public long currentTimeNanos() {
        return nanos.get();
    }

    @Override
    public boolean isWallClockBased() {
        return false;
    }
}
