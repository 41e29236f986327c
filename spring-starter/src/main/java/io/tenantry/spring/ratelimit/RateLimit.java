package io.tenantry.spring.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * A tenant's limit: at most {@code requests} per {@code period} (a token bucket of that capacity whose
 * tokens come back evenly over the period). Immutable.
 */
record RateLimit(long requests, Duration period) {

    RateLimit {
        Objects.requireNonNull(period, "period");
        if (requests <= 0 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("A rate limit needs at least 1 request per positive period, not "
                    + requests + " per " + period);
        }
    }

    /** Returns the limit as a person reads it, e.g. {@code 100 requests per 1m}. */
    @Override
    public String toString() {
        return requests + (requests == 1 ? " request" : " requests") + " per " + shortly(period);
    }

    /** Returns {@code period} in the largest unit that divides it, as Spring Boot writes durations: 1m, 90s, 500ms. */
    static String shortly(Duration period) {
        long nanos;
        try {
            nanos = period.toNanos();
        } catch (ArithmeticException tooLong) {
            return period.toDays() + "d";
        }
        long[] sizes = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
        String[] units = {"d", "h", "m", "s", "ms", "us"};
        for (int i = 0; i < sizes.length; i++) {
            if (nanos % sizes[i] == 0) {
                return nanos / sizes[i] + units[i];
            }
        }
        return nanos + "ns";
    }
}
