package dev.firmquery.run;

import dev.firmquery.chunk.Chunk;
import dev.firmquery.run.store.SpooledChunk;

/**
 * What became of one chunk.
 *
 * @param chunk    the chunk
 * @param state    succeeded, failed or not run (cancelled or stopped before it finished)
 * @param rows     rows returned by the successful attempt (0 otherwise)
 * @param attempts attempts made (1 = no retry)
 * @param error    for a failed chunk: the last error, one line, with SQLState and the fix
 * @param spooled  for a successful chunk: where its rows are in the run directory's spool segments,
 *                 and which of its IDs returned nothing (as journalled)
 */
public record ChunkOutcome(Chunk chunk, State state, long rows, int attempts, String error, SpooledChunk spooled) {

    /** The state of a chunk at the end of the run. */
    public enum State { SUCCEEDED, FAILED, NOT_RUN }

    public int retries() {
        return Math.max(0, attempts - 1);
    }

    /** A chunk that was not run (or not to the end) after {@code attempts} attempts. */
    static ChunkOutcome notRun(Chunk chunk, int attempts) {
        return new ChunkOutcome(chunk, State.NOT_RUN, 0, attempts, null, null);
    }
}
