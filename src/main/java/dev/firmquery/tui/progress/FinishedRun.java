package dev.firmquery.tui.progress;

import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;

/**
 * A run of this session that ended.
 *
 * @param number  the run's number in the session
 * @param request what ran
 * @param report  how it ended; its {@code workDirectory} is where a re-run resumes from
 */
public record FinishedRun(int number, RunRequest request, RunReport report) {

    /** Whether part of it can run again: failed or not-run chunks, and the run directory kept. */
    public boolean rerunnable() {
        return report.run().workDirectory() != null && (report.chunks().failed() > 0 || report.chunks().notRun() > 0);
    }

    /** Whether only failed chunks are left (a finished partial run): then a re-run is {@code --retry-failed}. */
    public boolean onlyFailedLeft() {
        return report.chunks().notRun() == 0 && report.chunks().failed() > 0;
    }
}
