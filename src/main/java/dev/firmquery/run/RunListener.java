package dev.firmquery.run;

import dev.firmquery.chunk.Chunk;
import dev.firmquery.export.Column;

import java.time.Duration;
import java.util.List;

/**
 * Receives a run's events. Called from the engine's worker and writer threads, never from a UI
 * thread: a UI must hand them over to its own thread (Lanterna: {@code invokeLater}). Implementations
 * must return quickly and must not throw.
 */
public interface RunListener {

    /** The statement was described; the files are about to be opened. */
    default void runStarted(RunRequest request, List<Column> columns) {
    }

    /** A worker began an attempt at a chunk. {@code worker} is 1-based. */
    default void chunkStarted(int worker, Chunk chunk, int attempt) {
    }

    /** An attempt failed with a transient error; the chunk is retried after {@code delay}. */
    default void chunkRetrying(int worker, Chunk chunk, int attempt, String error, Duration delay) {
    }

    /**
     * An attempt failed with {@code sqlState} (null when the error had none) and the chunk is tried
     * again: after a backoff, split in halves, or after an outage.
     */
    default void attemptFailed(int worker, Chunk chunk, int attempt, String sqlState) {
    }

    /** A chunk succeeded or failed for good (called by the worker that ran it). */
    default void chunkFinished(int worker, ChunkOutcome outcome) {
    }

    /** The database stopped answering; every worker waits while it is probed ({@link OutageGuard}). */
    default void runPaused(String reason) {
    }

    /** The database answers again after {@link #runPaused}; the workers carry on. */
    default void runResumed() {
    }

    /** The writer wrote another chunk to the final files. */
    default void progress(RunProgress progress) {
    }

    /** The run is over and its files are in place. */
    default void runFinished(RunReport report) {
    }

    /** A listener that tells each of {@code listeners}, in order. */
    static RunListener all(RunListener... listeners) {
        List<RunListener> all = List.of(listeners);
        return new RunListener() {
            @Override
            public void runStarted(RunRequest request, List<Column> columns) {
                all.forEach(l -> l.runStarted(request, columns));
            }

            @Override
            public void chunkStarted(int worker, Chunk chunk, int attempt) {
                all.forEach(l -> l.chunkStarted(worker, chunk, attempt));
            }

            @Override
            public void chunkRetrying(int worker, Chunk chunk, int attempt, String error, Duration delay) {
                all.forEach(l -> l.chunkRetrying(worker, chunk, attempt, error, delay));
            }

            @Override
            public void attemptFailed(int worker, Chunk chunk, int attempt, String sqlState) {
                all.forEach(l -> l.attemptFailed(worker, chunk, attempt, sqlState));
            }

            @Override
            public void chunkFinished(int worker, ChunkOutcome outcome) {
                all.forEach(l -> l.chunkFinished(worker, outcome));
            }

            @Override
            public void runPaused(String reason) {
                all.forEach(l -> l.runPaused(reason));
            }

            @Override
            public void runResumed() {
                all.forEach(RunListener::runResumed);
            }

            @Override
            public void progress(RunProgress progress) {
                all.forEach(l -> l.progress(progress));
            }

            @Override
            public void runFinished(RunReport report) {
                all.forEach(l -> l.runFinished(report));
            }
        };
    }

    /** A listener that ignores everything. */
    RunListener NONE = new RunListener() {
    };
}
