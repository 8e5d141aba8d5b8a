package dev.firmquery.run;

import dev.firmquery.ids.IdList;
import dev.firmquery.run.store.ChunkTiming;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Gathers the journalled times of the chunks the writer writes (this session's and, for a resumed
 * run, the earlier sessions'), and makes them the report's {@link Timings}. Used by the writer's
 * thread only. Holds one {@code long} per timed chunk for the percentiles: 8 bytes a chunk, 8 MB for
 * a million chunks.
 */
final class TimingsCollector {
    private static final Comparator<Timings.SlowChunk> FASTEST_FIRST =
            Comparator.comparingLong(Timings.SlowChunk::micros).thenComparing(c -> -c.chunk());

    private long[] micros = new long[64];
    private int timed;
    private long databaseMicros;
    private long spoolMicros;
    private long poolWaitMicros;
    private final Map<Integer, long[]> workers = new TreeMap<>();
    private final Map<String, Long> retries = new TreeMap<>();
    private final PriorityQueue<Timings.SlowChunk> slowest = new PriorityQueue<>(FASTEST_FIRST);

    /** A succeeded chunk: counts it if its line carries a time. */
    void succeeded(ChunkOutcome outcome, IdList ids) {
        ChunkTiming t = outcome.spooled().timing();
        if (t == null) {
            return;
        }
        if (timed == micros.length) {
            micros = Arrays.copyOf(micros, timed * 2);
        }
        micros[timed++] = t.micros();
        databaseMicros += t.databaseMicros();
        spoolMicros += t.spoolMicros();
        poolWaitMicros += t.poolWaitMicros();
        long[] w = workers.computeIfAbsent(t.worker(), k -> new long[3]);
        w[0]++;
        w[1] += outcome.rows();
        w[2] += t.micros();
        for (String state : t.retried()) {
            retries.merge(state, 1L, Long::sum);
        }
        var chunk = outcome.chunk();
        Timings.SlowChunk slow = new Timings.SlowChunk(chunk.number(), ids.stringAt(chunk.from()),
                ids.stringAt(chunk.to() - 1), chunk.size(), outcome.rows(), t.micros(), outcome.attempts());
        slowest.add(slow);
        if (slowest.size() > Timings.SLOWEST_LISTED) {
            slowest.poll();
        }
    }

    /**
     * The timings so far.
     *
     * @param rows              rows written
     * @param durationMs        the report's duration
     * @param writerMicros      the writer's time
     * @param unfinishedRetries retried attempts of the chunks that did not succeed, by SQLState
     */
    Timings timings(long rows, long durationMs, long writerMicros, Map<String, Long> unfinishedRetries) {
        long[] sorted = Arrays.copyOf(micros, timed);
        Arrays.sort(sorted);
        Timings.Latency latency = new Timings.Latency(rank(sorted, 50), rank(sorted, 90), rank(sorted, 99),
                timed == 0 ? 0 : sorted[timed - 1]);
        List<Timings.WorkerRate> rates = new ArrayList<>();
        workers.forEach((w, v) -> rates.add(new Timings.WorkerRate(w, (int) v[0], v[1], v[2])));
        Map<String, Long> byState = new TreeMap<>(retries);
        unfinishedRetries.forEach((state, n) -> byState.merge(state, n, Long::sum));
        List<Timings.SlowChunk> slow = new ArrayList<>(slowest);
        slow.sort(FASTEST_FIRST.reversed());
        double perSecond = durationMs <= 0 ? 0 : rows * 1000.0 / durationMs;
        return new Timings(timed, latency, perSecond, rates,
                new Timings.Split(databaseMicros, spoolMicros, poolWaitMicros, writerMicros), byState, slow);
    }

    /** The nearest-rank percentile: the smallest value with at least {@code p}% of the values at or below it. */
    static long rank(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
