package dev.firmquery.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link Timings} as short lines of text, the same in the headless summary, the XLSX Summary sheet
 * and the UI's results window: latency, rates, the split of the time, retries by SQLState, the
 * slowest chunks.
 */
public final class TimingsText {
    private TimingsText() {
    }

    /** Milliseconds with one decimal, from microseconds. */
    public static String ms(long micros) {
        return String.format(Locale.ROOT, "%,.1f ms", micros / 1000.0);
    }

    /** Seconds with one decimal, from microseconds. */
    public static String seconds(long micros) {
        return String.format(Locale.ROOT, "%,.1f s", micros / 1_000_000.0);
    }

    /** Chunk latency: {@code p50 12.0 ms, p90 ..., p99 ..., max ... (of N chunks)}. */
    public static String latency(Timings t) {
        Timings.Latency l = t.latency();
        return String.format(Locale.ROOT, "p50 %s, p90 %s, p99 %s, max %s (%,d chunks timed)", ms(l.p50Micros()),
                ms(l.p90Micros()), ms(l.p99Micros()), ms(l.maxMicros()), t.chunksTimed());
    }

    /** Rows per second overall and per worker. */
    public static String rates(Timings t) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%,.0f rows/s overall", t.rowsPerSecond()));
        for (Timings.WorkerRate w : t.workers()) {
            b.append(String.format(Locale.ROOT, "; worker %d %,.0f rows/s", w.worker(), w.rowsPerSecond()));
        }
        return b.toString();
    }

    /** Where the chunks' time went, and the writer's. */
    public static String split(Timings t) {
        Timings.Split s = t.split();
        return "database " + seconds(s.databaseMicros()) + ", decode+spool " + seconds(s.spoolMicros())
                + ", pool wait " + seconds(s.poolWaitMicros()) + ", writer " + seconds(s.writerMicros());
    }

    /** Retries by SQLState ({@code 40001 x3, 57014 x1}), or {@code none}. */
    public static String retries(Timings t) {
        if (t.retriesBySqlState().isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Long> e : t.retriesBySqlStateSorted().entrySet()) {
            parts.add(e.getKey() + " x" + e.getValue());
        }
        return String.join(", ", parts);
    }

    /** One slow chunk: {@code chunk 7 (ids A..B, 1,000 ids): 812.4 ms, 950 rows, 2 attempts}. */
    public static String slow(Timings.SlowChunk c) {
        return String.format(Locale.ROOT, "chunk %d (ids %s..%s, %,d ids): %s, %,d rows, %d attempt%s", c.chunk(),
                c.firstId(), c.lastId(), c.ids(), ms(c.micros()), c.rows(), c.attempts(), c.attempts() == 1 ? "" : "s");
    }
}
