package dev.firmquery.tui.progress;

import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunStatus;

import java.time.Duration;

/**
 * How one job of several marked queries ended, a line of the summary shown after the last one.
 *
 * @param query   the job's query
 * @param status  {@code completed}, {@code partial}, {@code failed}, {@code cancelled}, {@code not run}...
 * @param rows    result rows written, or -1 when it wrote no files
 * @param missing IDs that returned no rows, or -1 when it wrote no files
 * @param took    how long it ran, or null when it did not start
 * @param file    the name of its first result file, or null when it wrote none
 * @param error   what went wrong (the run's error, or its first failed chunk's), or null
 * @param resume  the command that finishes it ({@code firmquery run --resume DIR}), or null when there is
 *                nothing to finish or no run folder to finish it from
 */
record JobEnd(String query, String status, long rows, long missing, Duration took, String file, String error,
              String resume) {

    /** A job whose run ended with a report (any status, cancelled included). */
    static JobEnd finished(FinishedRun f) {
        RunReport r = f.report();
        String error = r.outputs().failures().isEmpty() ? null : r.outputs().failures().get(0).error();
        String resume = r.status() == RunStatus.COMPLETED || r.run().workDirectory() == null ? null : Rerun.command(f);
        String file = r.outputs().files().isEmpty() ? null
                : String.valueOf(r.outputs().files().get(0).path().getFileName());
        return new JobEnd(f.request().template().name(), r.status().label(), r.counts().rows(), r.counts().missingIds(),
                Duration.ofMillis(r.durationMs()), file, error, resume);
    }

    /** A job whose run stopped with an error and no report (the database rejected the query, files not writable...). */
    static JobEnd failed(String query, Duration took, String error, String resume) {
        return new JobEnd(query, "failed", -1, -1, took, null, error, resume);
    }

    /** A job that did not start because the user cancelled one before it. */
    static JobEnd notRun(String query) {
        return new JobEnd(query, "not run", -1, -1, null, null, null, null);
    }
}
