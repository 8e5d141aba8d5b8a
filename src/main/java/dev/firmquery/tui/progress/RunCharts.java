package dev.firmquery.tui.progress;

import dev.firmquery.tui.widget.Fmt;
import dev.firmquery.tui.widget.Glyphs;

import java.time.Duration;
import java.util.Arrays;

/**
 * The progress window's charts: rows per second over the run (a sparkline) and the chunks' latency
 * (a histogram), drawn with the eight Unicode block heights, or eight ASCII characters when
 * {@link Glyphs} says the terminal lacks them. Fed under {@link LiveRun}'s lock; not thread-safe.
 */
final class RunCharts {
    /**
     * One-second buckets until a run passes this many, then two-second ones, and so on: 4,096 longs
     * (32 KB) hold a run of any length at a resolution finer than the sparkline's 40 columns need.
     */
    static final int MAX_BUCKETS = 4096;
    /** Upper bounds of the latency buckets in ms; the last bucket holds everything slower. */
    static final long[] LATENCY_BOUNDS_MS = {50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000};
    private static final String[] LATENCY_LABELS = {"50ms", ".1s", ".25s", ".5s", "1s", "2.5s", "5s", "10s", "more"};
    /** Columns per latency bucket: a four-character label and a space. */
    static final int BUCKET_WIDTH = 5;
    private static final String UNICODE_LEVELS = " ▁▂▃▄▅▆▇█";
    private static final String ASCII_LEVELS = " .,:-=+*#";

    private static final long MIN_SPAN_NANOS = Duration.ofMillis(1).toNanos();
    private long bucketNanos = Duration.ofSeconds(1).toNanos();
    /** Rows written by the end of each bucket (cumulative), for buckets [0, buckets). */
    private final long[] rowsAt = new long[MAX_BUCKETS];
    private int buckets;
    private final long[] latencyCounts = new long[LATENCY_BOUNDS_MS.length + 1];
    private long slowestNanos;

    /** {@code rows} written by {@code elapsedNanos} into the run. */
    void rows(long elapsedNanos, long rows) {
        long t = Math.max(0, elapsedNanos);
        while (t / bucketNanos >= MAX_BUCKETS) {
            halve();
        }
        int i = (int) (t / bucketNanos);
        long before = buckets == 0 ? 0 : rowsAt[buckets - 1];
        for (int b = buckets; b < i; b++) {
            rowsAt[b] = before;
        }
        rowsAt[i] = Math.max(rows, i < buckets ? rowsAt[i] : before);
        buckets = Math.max(buckets, i + 1);
    }

    /** A chunk's successful attempt took {@code nanos}. */
    void chunk(long nanos) {
        long ms = nanos / 1_000_000;
        int b = 0;
        while (b < LATENCY_BOUNDS_MS.length && ms > LATENCY_BOUNDS_MS[b]) {
            b++;
        }
        latencyCounts[b]++;
        slowestNanos = Math.max(slowestNanos, nanos);
    }

    private void halve() {
        int n = (buckets + 1) / 2;
        for (int j = 0; j < n; j++) {
            rowsAt[j] = rowsAt[Math.min(buckets - 1, 2 * j + 1)];
        }
        Arrays.fill(rowsAt, n, buckets, 0);
        buckets = n;
        bucketNanos *= 2;
    }

    /**
     * Rows per second in at most {@code width} equal spans of the run so far (fewer while the run is
     * shorter than {@code width} buckets), oldest first, {@code elapsedNanos} into the run: the last
     * span ends there, so a second not over yet is divided by the part of it that has passed, not by a
     * whole second (which read 450 rows/s for a run going at 2,400).
     */
    double[] rates(int width, long elapsedNanos) {
        int columns = Math.min(width, buckets);
        double[] rates = new double[columns];
        for (int c = 0; c < columns; c++) {
            int from = (int) ((long) c * buckets / columns);
            int to = (int) ((long) (c + 1) * buckets / columns);
            long start = from == 0 ? 0 : rowsAt[from - 1];
            long end = rowsAt[to - 1];
            long spanNanos = (to - from) * bucketNanos;
            if (to == buckets) {
                // At least a millisecond: the first rows a moment after a bucket began are no rate yet.
                spanNanos = Math.min(spanNanos, Math.max(MIN_SPAN_NANOS, elapsedNanos - from * bucketNanos));
            }
            rates[c] = (end - start) / (spanNanos / 1e9);
        }
        return rates;
    }

    /** What the window shows {@code elapsedNanos} into the run, {@code sparkWidth} columns of sparkline. */
    Picture picture(int sparkWidth, long elapsedNanos) {
        double[] rates = rates(sparkWidth, elapsedNanos);
        double peak = 0;
        for (double r : rates) {
            peak = Math.max(peak, r);
        }
        long[] counts = latencyCounts.clone();
        long max = 0;
        long total = 0;
        for (long c : counts) {
            max = Math.max(max, c);
            total += c;
        }
        return new Picture(rates, peak, counts, max, total, slowestNanos);
    }

    /**
     * A copy of the charts' data for a {@link ProgressView}.
     *
     * @param rates        rows per second per span, oldest first
     * @param peakRate     the highest of them
     * @param latency      chunks per latency bucket
     * @param latencyMax   the fullest bucket's count
     * @param chunks       chunks timed
     * @param slowestNanos the slowest chunk's time
     */
    record Picture(double[] rates, double peakRate, long[] latency, long latencyMax, long chunks, long slowestNanos) {
        static final Picture EMPTY = new Picture(new double[0], 0, new long[LATENCY_BOUNDS_MS.length + 1], 0, 0, 0);

        @Override
        public boolean equals(Object o) {
            return o instanceof Picture p && Arrays.equals(rates, p.rates) && Arrays.equals(latency, p.latency)
                    && slowestNanos == p.slowestNanos;
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(rates) + Arrays.hashCode(latency);
        }

        /** {@code Rows/s  ▁▂▅█▇  peak 20.1k}. */
        String rateLine(Glyphs glyphs) {
            if (rates.length == 0) {
                return "Rows/s  -";
            }
            StringBuilder b = new StringBuilder("Rows/s  ");
            for (double r : rates) {
                b.append(level(glyphs, r, peakRate));
            }
            return b.append("  peak ").append(Fmt.compact(peakRate)).toString();
        }

        /** The latency bars, {@value #BUCKET_WIDTH} columns a bucket. */
        String latencyBars(Glyphs glyphs) {
            StringBuilder b = new StringBuilder("Latency ");
            for (long c : latency) {
                char ch = level(glyphs, c, latencyMax);
                b.append(String.valueOf(ch).repeat(BUCKET_WIDTH - 1)).append(' ');
            }
            b.append(chunks == 0 ? "" : " max " + Fmt.seconds(Duration.ofNanos(slowestNanos)));
            return b.toString().stripTrailing();
        }

        /** The bucket's upper bounds under the bars. */
        static String latencyLabels() {
            StringBuilder b = new StringBuilder("  <=    ");
            for (String l : LATENCY_LABELS) {
                b.append(String.format(java.util.Locale.ROOT, "%-" + BUCKET_WIDTH + "s", l));
            }
            return b.toString().stripTrailing();
        }

        private static char level(Glyphs glyphs, double value, double max) {
            String levels = glyphs.unicode() ? UNICODE_LEVELS : ASCII_LEVELS;
            if (value <= 0 || max <= 0) {
                return levels.charAt(0);
            }
            // 1..8: a bucket with anything in it shows at least the lowest block
            return levels.charAt(1 + (int) Math.min(7, value / max * 8 - 1e-9));
        }
    }
}
