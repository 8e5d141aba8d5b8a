package dev.firmquery.db;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: the n-th retry waits {@code base * 2^(n-1)}, capped at
 * {@code max}, plus up to {@code jitter} of that (so two workers hit by the same outage do not
 * retry in lockstep).
 *
 * @param base   the first delay ({@code processing.retry_delay})
 * @param max    the longest delay before jitter
 * @param jitter the largest extra fraction added, 0 to 1
 */
public record Backoff(Duration base, Duration max, double jitter) {
    public Backoff {
        if (base.isNegative() || max.isNegative() || jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("bad backoff " + base + " " + max + " " + jitter);
        }
    }

    /** The default policy for a configured retry delay: capped at 2 minutes, 25 % jitter. */
    public static Backoff of(Duration retryDelay) {
        return new Backoff(retryDelay, Duration.ofMinutes(2).compareTo(retryDelay) > 0 ? Duration.ofMinutes(2) : retryDelay,
                0.25);
    }

    /**
     * The delay before retry number {@code retry} (1 for the first retry).
     *
     * @param random the source of jitter; pass a seeded one in tests
     */
    public Duration delay(int retry, RandomGenerator random) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry numbers start at 1: " + retry);
        }
        long baseNanos = base.toNanos();
        long nanos = baseNanos;
        for (int i = 1; i < retry && nanos < max.toNanos(); i++) {
            nanos = nanos > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : nanos * 2;
        }
        nanos = Math.min(nanos, max.toNanos());
        long extra = (long) (nanos * jitter * random.nextDouble());
        return Duration.ofNanos(nanos + extra);
    }
}
