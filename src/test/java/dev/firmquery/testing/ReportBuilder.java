package dev.firmquery.testing;

import dev.firmquery.export.CellCuts;
import dev.firmquery.export.Column;
import dev.firmquery.ids.IdStats;
import dev.firmquery.ids.InvalidValue;
import dev.firmquery.run.DatabaseServer;
import dev.firmquery.run.PlanCacheMode;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunStatus;
import dev.firmquery.run.Timings;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Run reports for tests, by name rather than by position: every part starts as a small completed run
 * of one chunk and one ID, and a test sets only what it is about.
 */
public final class ReportBuilder {
    private static final String ZEROS = "0".repeat(64);

    private RunReport.Run run = new RunReport.Run("run", RunStatus.COMPLETED, Instant.parse("2026-11-22T10:15:00Z"),
            Instant.parse("2026-11-22T10:15:00Z"), null, null);
    private RunReport.Source source = new RunReport.Source("ids.csv", ZEROS, new IdStats(1, 1, 1, 0, 0, 0), List.of());
    private RunReport.Query query = new RunReport.Query("q", null, ZEROS, ZEROS, List.of());
    private RunReport.Chunks chunks = new RunReport.Chunks(1, 1, 0, 0, 0);
    private RunReport.Counts counts = new RunReport.Counts(0, 0, 0, 0);
    private RunReport.Outputs outputs = new RunReport.Outputs(List.of(), CellCuts.NONE, List.of(), List.of());
    private Timings timings = Timings.NONE;

    /** A builder with the defaults above. */
    public static ReportBuilder report() {
        return new ReportBuilder();
    }

    public ReportBuilder run(String id, RunStatus status, Instant started, Instant finished) {
        run = new RunReport.Run(id, status, started, finished, run.stopReason(), run.workDirectory(),
                run.server(), run.planCacheMode());
        return this;
    }

    public ReportBuilder stopReason(String reason) {
        run = new RunReport.Run(run.id(), run.status(), run.started(), run.finished(), reason, run.workDirectory(),
                run.server(), run.planCacheMode());
        return this;
    }

    public ReportBuilder workDirectory(Path dir) {
        run = new RunReport.Run(run.id(), run.status(), run.started(), run.finished(), run.stopReason(), dir,
                run.server(), run.planCacheMode());
        return this;
    }

    public ReportBuilder server(DatabaseServer server, PlanCacheMode planCacheMode) {
        run = new RunReport.Run(run.id(), run.status(), run.started(), run.finished(), run.stopReason(),
                run.workDirectory(), server, planCacheMode);
        return this;
    }

    public ReportBuilder source(String input, String sha256, IdStats ids, List<InvalidValue> invalidExamples) {
        source = new RunReport.Source(input, sha256, ids, invalidExamples);
        return this;
    }

    public ReportBuilder query(String name, Path path, String sha256, String textSha256, List<Column> columns) {
        query = new RunReport.Query(name, path, sha256, textSha256, columns);
        return this;
    }

    public ReportBuilder columns(List<Column> columns) {
        query = new RunReport.Query(query.name(), query.path(), query.sha256(), query.textSha256(), columns);
        return this;
    }

    public ReportBuilder chunks(int total, int succeeded, int failed, int notRun, long retries) {
        chunks = new RunReport.Chunks(total, succeeded, failed, notRun, retries);
        return this;
    }

    public ReportBuilder counts(long rows, long missingIds, long failedIds, long notRunIds) {
        counts = new RunReport.Counts(rows, missingIds, failedIds, notRunIds);
        return this;
    }

    public ReportBuilder files(List<RunReport.OutputFileInfo> files) {
        outputs = outputs.withFiles(files);
        return this;
    }

    public ReportBuilder failures(List<RunReport.ChunkFailure> failures) {
        outputs = new RunReport.Outputs(outputs.files(), outputs.xlsxCuts(), failures, outputs.warnings());
        return this;
    }

    public ReportBuilder xlsxCuts(CellCuts cuts) {
        outputs = new RunReport.Outputs(outputs.files(), cuts, outputs.failures(), outputs.warnings());
        return this;
    }

    public ReportBuilder warnings(List<String> warnings) {
        outputs = new RunReport.Outputs(outputs.files(), outputs.xlsxCuts(), outputs.failures(), warnings);
        return this;
    }

    public ReportBuilder timings(Timings timings) {
        this.timings = timings;
        return this;
    }

    public RunReport build() {
        return new RunReport(run, source, query, chunks, counts, outputs, timings);
    }
}
