package dev.firmquery.run.store;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A run an output directory holds that can still be finished ({@link RunStore#unfinished}). For a
 * {@link State#DAMAGED} one only {@code directory}, {@code runId} and {@code problem} are known (the
 * rest is null or zero).
 *
 * @param directory   its working directory, {@code <out>/.firmquery/<run-id>}
 * @param runId       its id (the directory name for a damaged one)
 * @param created     when it was first started
 * @param queryName   the query's name
 * @param inputSource the ID file's path, {@code -} for standard input, or the pasted-text label
 * @param outputs     where its files go: {@code <out>/<base name>}, without the extension
 * @param chunks      its chunks
 * @param done        chunks the journal records as done
 * @param failed      chunks the journal records as failed (and not done since)
 * @param state       how it was left
 * @param problem     why it is damaged; null otherwise
 */
public record UnfinishedRun(Path directory, String runId, Instant created, String queryName, String inputSource,
                            Path outputs, int chunks, int done, int failed, State state, String problem) {

    /** How an unfinished run was left. */
    public enum State {
        /** No "finished" line: the process was killed mid-run (SIGKILL, a crash, power loss). */
        INTERRUPTED,
        /** It ended with failed chunks. */
        PARTIAL,
        /** It ended with no chunk succeeded. */
        FAILED,
        /** The user cancelled it. */
        CANCELLED,
        /** Another firmquery process holds its lock: it is running right now. */
        IN_USE,
        /** Its directory cannot be read: it can only be deleted. */
        DAMAGED
    }

    /** Chunks that never ran (or ran and were not journalled before an interruption). */
    public int notRun() {
        return Math.max(0, chunks - done - failed);
    }

    /** Whether it can be resumed: not damaged, not running elsewhere. */
    public boolean resumable() {
        return state != State.DAMAGED && state != State.IN_USE;
    }

    /** Whether it can be deleted ({@link RunStore#delete}): anything not running elsewhere. */
    public boolean deletable() {
        return state != State.IN_USE;
    }
}
