package dev.firmquery.db;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {
    private static final Duration BASE = Duration.ofMillis(500);

    @Test
    void withoutJitterEachRetryDoublesTheDelay() {
        Backoff b = new Backoff(BASE, Duration.ofMinutes(2), 0);
        SplittableRandom r = new SplittableRandom(1);
        assertEquals(Duration.ofMillis(500), b.delay(1, r));
        assertEquals(Duration.ofMillis(1000), b.delay(2, r));
        assertEquals(Duration.ofMillis(2000), b.delay(3, r));
        assertEquals(Duration.ofMillis(4000), b.delay(4, r));
    }

    @Test
    void theDelayIsCappedAtTheMaximum() {
        Backoff b = new Backoff(BASE, Duration.ofSeconds(3), 0);
        assertEquals(Duration.ofSeconds(3), b.delay(10, new SplittableRandom(1)));
        assertEquals(Duration.ofSeconds(3), b.delay(200, new SplittableRandom(1)));
    }

    @Test
    void jitterAddsAtMostItsFractionAndVaries() {
        Backoff b = new Backoff(BASE, Duration.ofMinutes(2), 0.25);
        SplittableRandom r = new SplittableRandom(42);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 1000; i++) {
            long ms = b.delay(2, r).toMillis();
            assertTrue(ms >= 1000 && ms <= 1250, "delay " + ms + " outside [1000, 1250]");
            min = Math.min(min, ms);
            max = Math.max(max, ms);
        }
        assertTrue(max - min > 100, "jitter should spread the delays, got " + min + ".." + max);
    }

    @Test
    void retryNumbersStartAtOne() {
        Backoff b = Backoff.of(BASE);
        assertThrows(IllegalArgumentException.class, () -> b.delay(0, new SplittableRandom(1)));
    }

    @Test
    void aZeroDelayRetriesAtOnce() {
        assertEquals(Duration.ZERO, Backoff.of(Duration.ZERO).delay(3, new SplittableRandom(7)));
    }
}
