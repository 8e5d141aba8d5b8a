package dev.firmquery.tui.progress;

import dev.firmquery.run.RunException;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunSetup;

/**
 * How a run of the UI begins: a new run of the loaded input, the re-run of a run of this session
 * ({@link Rerun#request}), or the resume of an unfinished run from the output folder
 * ({@link Rerun#resume}). The request is prepared on the run's background thread, since preparing a
 * resume reads and checks the run's directory.
 *
 * @param description what runs, for the log and for the audit log when it is refused, e.g.
 *                    {@code firm_names over /data/ids.csv}
 * @param choices     a new run's choices, recorded by the audit log when it is refused; null for a resume
 * @param preparer    makes the request
 */
public record RunStart(String description, RunSetup.Choices choices, Preparer preparer) {

    /** Prepares a request (a new run, or the resume of an earlier one); on a background thread. */
    @FunctionalInterface
    public interface Preparer {
        RunRequest prepare(RunSetup setup) throws RunException;
    }
}
