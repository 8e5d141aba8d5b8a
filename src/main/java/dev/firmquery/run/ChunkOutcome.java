package dev.firmquery.run;

import dev.firmquery.chunk.Chunk;

import java.nio.file.Path;
import java.util.BitSet;

/**
 * What became of one chunk.
 *
 * @param chunk    the chunk
 * @param state    succeeded, failed or not run (cancelled before it finished)
 * @param rows     rows returned by the successful attempt (0 otherwise)
 * @param attempts attempts made (1 = no retry)
 * @param found    for a successful chunk: bit {@code i} set when ID {@code chunk.from() + i} returned rows
 * @param error    for a failed chunk: the last error, one line, with SQLState
 * @param spool    for a successful chunk: the spooled rows, until they are written to the final files
 */
public record ChunkOutcome(Chunk chunk, State state, long rows, int attempts, BitSet found, String error, Path spool) {

    /** The state of a chunk at the end of the run. */
    public enum State { SUCCEEDED, FAILED, NOT_RUN }

    public int retries() {
        return Math.max(0, attempts - 1);
    }
}
