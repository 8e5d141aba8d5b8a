package dev.firmquery.tui.progress;

import dev.firmquery.tui.widget.Glyphs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** RunCharts' arithmetic: rates over the run, bucket halving for long runs, levels and latency buckets. */
class RunChartsTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void ratesAreRowsPerSecondPerSpanOfTheRun() {
        RunCharts c = new RunCharts();
        c.rows(SECOND / 2, 100);       // second 0: 100 rows
        c.rows(SECOND + 1, 100);       // second 1: nothing more
        c.rows(2 * SECOND + 5, 400);   // second 2: 300 rows
        c.rows(3 * SECOND + 5, 1_000); // second 3: 600 rows

        assertArrayEquals(new double[] {100, 0, 300, 600}, c.rates(10, 4 * SECOND), 1e-9);
        assertArrayEquals(new double[] {50, 450}, c.rates(2, 4 * SECOND), 1e-9);
    }

    @Test
    void theSecondUnderWayIsDividedByThePartThatHasPassed() {
        RunCharts c = new RunCharts();
        c.rows(SECOND / 2, 1_000);           // second 0: 1,000 rows
        c.rows(SECOND + SECOND / 4, 1_500); // a quarter into second 1: 500 rows more

        assertArrayEquals(new double[] {1_000, 2_000}, c.rates(10, SECOND + SECOND / 4), 1e-9);
    }

    @Test
    void aLongRunHalvesTheResolutionAndKeepsTheTotals() {
        RunCharts c = new RunCharts();
        SplittableRandom random = new SplittableRandom(7);
        long rows = 0;
        long seconds = 3L * RunCharts.MAX_BUCKETS; // 3.4 hours at one second a bucket
        for (long s = 0; s < seconds; s++) {
            rows += random.nextInt(1_000);
            c.rows(s * SECOND + SECOND / 2, rows);
        }
        double[] rates = c.rates(40, seconds * SECOND);
        assertEquals(40, rates.length);
        double total = 0;
        for (double r : rates) {
            total += r;
        }
        // equal spans: the mean of the rates is the run's mean rate, whatever the bucket size became
        double spanSeconds = (double) seconds / 40;
        assertEquals(rows, total * spanSeconds, rows * 0.01);
    }

    @Test
    void chunksFallIntoTheirLatencyBucketsAndTheSlowestIsKept() {
        RunCharts c = new RunCharts();
        c.chunk(Duration.ofMillis(10).toNanos());
        c.chunk(Duration.ofMillis(50).toNanos());
        c.chunk(Duration.ofMillis(51).toNanos());
        c.chunk(Duration.ofMillis(700).toNanos());
        c.chunk(Duration.ofSeconds(30).toNanos());

        RunCharts.Picture p = c.picture(10, SECOND);
        assertArrayEquals(new long[] {2, 1, 0, 0, 1, 0, 0, 0, 1}, p.latency());
        assertEquals(Duration.ofSeconds(30).toNanos(), p.slowestNanos());
        assertEquals("Latency ████ ▄▄▄▄           ▄▄▄▄                ▄▄▄▄  max 30.0 s", p.latencyBars(Glyphs.UNICODE));
        assertEquals("Latency #### ----           ----                ----  max 30.0 s", p.latencyBars(Glyphs.ASCII));
    }

    @Test
    void theSparklineScalesToThePeak() {
        RunCharts c = new RunCharts();
        long rows = 0;
        for (int s = 0; s < 8; s++) {
            rows += (s + 1) * 100L;
            c.rows(s * SECOND + 1, rows);
        }
        assertEquals("Rows/s  ▁▂▃▄▅▆▇█  peak 800", c.picture(36, 8 * SECOND).rateLine(Glyphs.UNICODE));
        assertEquals("Rows/s  .,:-=+*#  peak 800", c.picture(36, 8 * SECOND).rateLine(Glyphs.ASCII));
    }
}
