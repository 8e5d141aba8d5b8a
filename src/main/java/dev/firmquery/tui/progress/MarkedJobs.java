package dev.firmquery.tui.progress;

import dev.firmquery.app.RunService;
import dev.firmquery.run.RunStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The jobs of several marked queries as they run one after the other, as {@code firmquery run --query A
 * --query B} runs them: a job that fails (the database rejects its query, its chunks fail, its files
 * cannot be written) does not stop the jobs after it; a cancel does, the user's or a signal's. What each
 * job did is kept for the summary after the last one. GUI thread only.
 */
final class MarkedJobs {
    private final List<RunService.ReadyJob> jobs;
    private final List<JobEnd> ended = new ArrayList<>();
    private boolean cancelled;
    private boolean anyReport;

    MarkedJobs(List<RunService.ReadyJob> jobs) {
        if (jobs.isEmpty()) {
            throw new IllegalArgumentException("no jobs");
        }
        this.jobs = List.copyOf(jobs);
    }

    /** Whether another job is to start: one is left and nothing was cancelled. */
    boolean hasNext() {
        return !cancelled && ended.size() < jobs.size();
    }

    /** The job to start now: the first that has not ended. */
    RunService.ReadyJob next() {
        if (!hasNext()) {
            throw new IllegalStateException("no job left to start (" + ended.size() + " of " + jobs.size()
                    + " ended" + (cancelled ? ", cancelled" : "") + ")");
        }
        return jobs.get(ended.size());
    }

    /** The user (or a shutdown) cancelled the job running: the jobs after it do not start. */
    void cancel() {
        cancelled = true;
    }

    /** The job running ended with a report; a cancelled run stops the rest, however it was cancelled. */
    void ended(FinishedRun run) {
        ended.add(JobEnd.finished(run));
        anyReport = true;
        if (run.report().status() == RunStatus.CANCELLED) {
            cancelled = true;
        }
    }

    /** The job running stopped with an error and no report. */
    void failed(Duration took, String error, String resume) {
        ended.add(JobEnd.failed(jobs.get(ended.size()).job().choices().query(), took, error, resume));
    }

    /** Whether some job ended with a report (the results window shows the last one). */
    boolean anyReport() {
        return anyReport;
    }

    /** Every job in order: how each ended, and {@code not run} for those a cancel kept from starting. */
    List<JobEnd> summary() {
        List<JobEnd> all = new ArrayList<>(ended);
        for (int i = ended.size(); i < jobs.size(); i++) {
            all.add(JobEnd.notRun(jobs.get(i).job().choices().query()));
        }
        return List.copyOf(all);
    }
}
