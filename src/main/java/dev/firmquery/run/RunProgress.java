package dev.firmquery.run;

import java.time.Duration;

/**
 * A snapshot of a run's progress, published after every chunk is written.
 *
 * @param chunksTotal   chunks in the plan
 * @param chunksDone    chunks finished (succeeded or failed)
 * @param chunksFailed  chunks failed after their retries
 * @param idsTotal      IDs in the plan
 * @param idsDone       IDs in finished chunks
 * @param rowsWritten   result rows written to the final files
 * @param retries       retries so far, all chunks
 * @param elapsed       time since the run started
 */
public record RunProgress(int chunksTotal, int chunksDone, int chunksFailed, long idsTotal, long idsDone,
                          long rowsWritten, long retries, Duration elapsed) {

    /** Rows per second so far. */
    public double rowsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : rowsWritten / s;
    }

    /** Estimated time left, from the IDs done so far; {@code null} before the first chunk. */
    public Duration eta() {
        if (idsDone == 0 || idsDone >= idsTotal) {
            return idsDone >= idsTotal ? Duration.ZERO : null;
        }
        return Duration.ofNanos((long) (elapsed.toNanos() * ((double) (idsTotal - idsDone) / idsDone)));
    }
}
