package dev.firmquery.tui.progress;

import java.time.Duration;
import java.util.List;

/**
 * One immutable picture of a run for the progress window, taken on the GUI thread from {@link LiveRun}.
 *
 * @param phase           where the run is
 * @param title           what runs: query, input and output base
 * @param chunksTotal     chunks planned
 * @param chunksDone      chunks written to the files (succeeded or failed)
 * @param chunksRun       chunks the workers finished (they may run ahead of the writing)
 * @param chunksFailed    chunks failed after their retries
 * @param idsTotal        IDs planned
 * @param idsDone         IDs in written chunks
 * @param rowsWritten     result rows written
 * @param retries         retries so far
 * @param elapsed         since the run started
 * @param eta             estimated time left, or null before the first chunk
 * @param workers         one row per worker
 * @param events          the most recent chunk events, oldest first
 * @param charts          rows per second over the run and the chunks' latency
 */
record ProgressView(LiveRun.Phase phase, String title, int chunksTotal, int chunksDone, int chunksRun, int chunksFailed,
                    long idsTotal, long idsDone, long rowsWritten, long retries, Duration elapsed, Duration eta,
                    List<WorkerRow> workers, List<String> events, RunCharts.Picture charts) {

    ProgressView {
        workers = List.copyOf(workers);
        events = List.copyOf(events);
    }

    /** Rows per second so far. */
    double rowsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : rowsWritten / s;
    }

    /**
     * One worker in the live table.
     *
     * @param worker  1-based worker number
     * @param chunk   {@code 12/197}, or blank when idle
     * @param ids     IDs in its chunk
     * @param attempt {@code 2/3}
     * @param elapsed time on the current attempt
     * @param state   running, waiting to retry, idle, done
     */
    record WorkerRow(int worker, String chunk, String ids, String attempt, String elapsed, String state) {
    }
}
