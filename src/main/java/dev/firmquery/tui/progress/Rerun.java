package dev.firmquery.tui.progress;

import dev.firmquery.exit.ExitCode;
import dev.firmquery.run.RunException;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunSetup;
import dev.firmquery.run.store.RunStore;

import java.nio.file.Path;

/**
 * What "re-run failed chunks" runs: the run journal's resume of the same run (docs/reliability.md,
 * "The run directory and the journal"), as
 * {@code firmquery run --retry-failed DIR} (only failed chunks are left) or {@code --resume DIR} (a
 * cancelled or stopped run: its failed and not-run chunks). Chunks already done are not run again, and
 * the run's files are written again complete, replacing its partial ones: after a cancel and a re-run
 * the files are the same as those of an uninterrupted run.
 *
 * <p>Resuming a run from the list of unfinished runs ({@code tui.unfinished}) is the same resume, of a
 * run directory found in the output folder instead of one this session ran.
 *
 * <p>This is the one place that decides what a re-run is.
 */
public final class Rerun {
    private Rerun() {
    }

    /**
     * The request that re-runs what {@code run} left.
     *
     * @throws RunException when the run directory is gone or damaged, or its query or ID file changed
     */
    public static RunRequest request(RunSetup setup, FinishedRun run) throws RunException {
        if (run.report().run().workDirectory() == null) {
            throw new RunException("run " + run.report().runId() + " kept no working directory (it completed), so "
                    + "there is nothing to re-run", ExitCode.USAGE);
        }
        return setup.resume(run.report().run().workDirectory(), run.onlyFailedLeft());
    }

    /** The equivalent command line, for the dialog and the summary. */
    public static String command(FinishedRun run) {
        Path dir = run.report().run().workDirectory();
        return run.onlyFailedLeft() ? RunStore.retryFailedCommand(dir) : RunStore.resumeCommand(dir);
    }

    /**
     * The request that finishes the unfinished run in {@code directory}: its failed and not-run chunks
     * ({@code --resume}), whether it was interrupted, cancelled or ended partial.
     *
     * @throws RunException when the run directory is gone or damaged, the run completed meanwhile, or its
     *                      query or ID file changed
     */
    public static RunRequest resume(RunSetup setup, Path directory) throws RunException {
        return setup.resume(directory, false);
    }

    /** The equivalent command line of {@link #resume}. */
    public static String resumeCommand(Path directory) {
        return RunStore.resumeCommand(directory);
    }
}
