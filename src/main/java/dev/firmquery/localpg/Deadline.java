package dev.firmquery.localpg;

import java.time.Duration;

/** A point in (monotonic) time by which startup must be done. */
record Deadline(long endNanos, Duration total) {

    static Deadline after(Duration timeout) {
        return new Deadline(System.nanoTime() + timeout.toNanos(), timeout);
    }

    Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }

    boolean expired() {
        return endNanos - System.nanoTime() <= 0;
    }
}
