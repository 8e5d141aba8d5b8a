package dev.firmquery.app;

import dev.firmquery.kerberos.ExpiredTicketHandler;
import dev.firmquery.run.ChunkExplainer;
import dev.firmquery.run.RunEngine;
import dev.firmquery.run.RunException;
import dev.firmquery.run.RunListener;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;

import java.sql.SQLException;

/**
 * One run's engine on a {@link DatabaseSession}'s connections: {@link #execute} on the thread that
 * writes the files, {@link #cancel} from any other (Ctrl-C, the UI's cancel, a signal). Made by a
 * {@link Factory}, which the session is; the seam lets the UI's screen tests script the engine.
 */
public interface RunExecutor {

    /** Runs {@code request} to the end (see {@link RunEngine#execute}). */
    RunReport execute(RunRequest request) throws RunException, InterruptedException;

    /**
     * Cancels the run from any thread: first ends any wait for a fresh Kerberos ticket, then cancels the
     * engine (see {@link RunEngine#cancel}), so a run waiting for {@code kinit} ends as cancelled at once.
     */
    void cancel();

    /** Makes the executor of one run. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param listener receives the run's events, on the engine's threads
         * @param tickets  asks for a fresh Kerberos ticket when it expired (unused without Kerberos)
         */
        RunExecutor create(RunListener listener, ExpiredTicketHandler tickets);

        /**
         * Chunk {@code index} (0-based) of {@code request} under EXPLAIN ANALYZE, as {@code firmquery
         * explain} runs it (see {@link ChunkExplainer#explain}); blocks, so never on the GUI thread.
         *
         * @throws SQLException the database failed, or these runners have no connections to explain with
         */
        default ChunkExplainer.Explained explain(RunRequest request, int index) throws SQLException {
            throw new SQLException("these runners have no database connections to explain a chunk with");
        }
    }
}
