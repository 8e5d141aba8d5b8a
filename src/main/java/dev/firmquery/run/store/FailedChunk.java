package dev.firmquery.run.store;

/**
 * A chunk the journal records as failed (and not done since).
 *
 * @param chunk    the chunk's number in the plan (1-based)
 * @param attempts the attempts it took
 * @param error    the last error, one line, with SQLState and the fix
 */
public record FailedChunk(int chunk, int attempts, String error) {
}
