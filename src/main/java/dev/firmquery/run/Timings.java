package dev.firmquery.run;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a run's time went, from the chunk times in the journal, so that a resumed run's report
 * combines every session's chunks. A chunk's time is that of its successful attempt, from asking the
 * pool for a connection to its last row spooled; earlier attempts count in {@code attempts} and in
 * the retries by SQLState. Chunks journalled by a version that did not time them are left out
 * ({@link #chunksTimed}).
 *
 * @param chunksTimed        succeeded chunks with a journalled time
 * @param latency            chunk latency percentiles
 * @param rowsPerSecond      rows written per second of the report's duration (0 for an instant run)
 * @param workers            rows and busy time per worker slot (1-based), across sessions
 * @param split              the chunks' time by what it was spent on, and the writer's
 * @param retriesBySqlState  retried attempts by the SQLState of their error ({@code none} when the error had none)
 * @param slowest            the {@link #SLOWEST_LISTED} slowest chunks, slowest first
 */
public record Timings(int chunksTimed, Latency latency, double rowsPerSecond, List<WorkerRate> workers,
                      Split split, Map<String, Long> retriesBySqlState, List<SlowChunk> slowest) {

    /** How many of the slowest chunks the report lists. */
    public static final int SLOWEST_LISTED = 10;

    /** A report with no timed chunk. */
    public static final Timings NONE = new Timings(0, new Latency(0, 0, 0, 0), 0, List.of(),
            new Split(0, 0, 0, 0), Map.of(), List.of());

    public Timings {
        workers = List.copyOf(workers);
        retriesBySqlState = Map.copyOf(new TreeMap<>(retriesBySqlState));
        slowest = List.copyOf(slowest);
    }

    /** The retries by SQLState, in SQLState order. */
    public Map<String, Long> retriesBySqlStateSorted() {
        return new TreeMap<>(retriesBySqlState);
    }

    /** Chunk latency, nearest-rank percentiles, microseconds. */
    public record Latency(long p50Micros, long p90Micros, long p99Micros, long maxMicros) {
    }

    /**
     * One worker slot's share.
     *
     * @param worker     the worker's number (1-based; the same slot in every session)
     * @param chunks     chunks it ran
     * @param rows       rows they returned
     * @param busyMicros the sum of their times
     */
    public record WorkerRate(int worker, int chunks, long rows, long busyMicros) {
        /** Rows per second of the worker's busy time (0 when it was never busy). */
        public double rowsPerSecond() {
            return busyMicros == 0 ? 0 : rows * 1_000_000.0 / busyMicros;
        }
    }

    /**
     * The chunks' time, summed over chunks, and the writer's.
     *
     * @param databaseMicros    waiting for the database: executing the statement and fetching its rows
     * @param spoolMicros       decoding the rows and writing them to the spool
     * @param poolWaitMicros    waiting for a pooled connection
     * @param writerMicros      this session's writer: copying spooled chunks into the final files and
     *                          publishing them (a resumed run writes every file again, so this is whole)
     */
    public record Split(long databaseMicros, long spoolMicros, long poolWaitMicros, long writerMicros) {
    }

    /**
     * A slow chunk.
     *
     * @param chunk    its number in the plan (1-based)
     * @param firstId  its first ID
     * @param lastId   its last ID
     * @param ids      how many IDs it has
     * @param rows     rows it returned
     * @param micros   its time
     * @param attempts attempts it took
     */
    public record SlowChunk(int chunk, String firstId, String lastId, int ids, long rows, long micros, int attempts) {
    }
}
