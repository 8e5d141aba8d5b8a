package dev.firmquery.tui.progress;

import dev.firmquery.app.JobsRecord;
import dev.firmquery.app.RunService;
import dev.firmquery.run.RunStatus;
import dev.firmquery.run.store.BatchRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The jobs of several marked queries as they run one after the other, as {@code firmquery run --query A
 * --query B} runs them: a job that fails (the database rejects its query, its chunks fail, its files
 * cannot be written) does not stop the jobs after it; a cancel does, the user's or a signal's. What each
 * job did is kept for the summary after the last one. Over an ID file they are recorded as a batch
 * ({@link JobsRecord}), which {@code firmquery batch --resume DIR} goes on with; the record is written on
 * the run threads, one job at a time, and handed over through the GUI thread. GUI thread only.
 */
final class MarkedJobs {
    private final List<RunService.ReadyJob> jobs;
    private final List<JobEnd> ended = new ArrayList<>();
    private boolean cancelled;
    private boolean anyReport;
    /** The batch record, once written; null before, or when the IDs cannot be read again. */
    private BatchRecord record;
    /** Why the jobs have no record (pasted IDs), or null. */
    private String notRecorded;

    MarkedJobs(List<RunService.ReadyJob> jobs) {
        if (jobs.isEmpty()) {
            throw new IllegalArgumentException("no jobs");
        }
        this.jobs = List.copyOf(jobs);
    }

    /** The jobs are recorded in {@code r}, from their first job on. */
    void recorded(BatchRecord r) {
        record = r;
    }

    /** The jobs have no record, for the reason {@code why} (the summary says it). */
    void notRecorded(String why) {
        notRecorded = why;
    }

    /** The batch record, or null when there is none (yet). */
    BatchRecord record() {
        return record;
    }

    /** The 0-based index of the job to start now, or of the one running. */
    int index() {
        return ended.size();
    }

    /** How many jobs there are. */
    int size() {
        return jobs.size();
    }

    /**
     * The summary's last line: the command that goes on with the whole batch when some job did not end,
     * or why there is none; null when every job ended (the record is deleted then).
     */
    String batchLine() {
        if (record != null) {
            return record.allEnded(jobs.size()) ? null : "all jobs: " + JobsRecord.resumeCommand(record);
        }
        return notRecorded;
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
