package dev.firmquery.tui;

import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunStatus;
import dev.firmquery.testing.ReportBuilder;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Run reports for screen tests, consistent with the request they describe. */
public final class Reports {
    private Reports() {
    }

    /**
     * A report for {@code request}.
     *
     * @param succeeded chunks that succeeded (the first ones)
     * @param failed    chunks that failed (after the succeeded ones)
     */
    public static RunReport of(RunRequest request, RunStatus status, int succeeded, int failed, long rows, long missing,
                        List<RunReport.ChunkFailure> failures, List<RunReport.OutputFileInfo> files) {
        return of(request, status, succeeded, failed, rows, missing, failures, files, null);
    }

    /** As above, with the run directory a re-run resumes from (null: none kept). */
    public static RunReport of(RunRequest request, RunStatus status, int succeeded, int failed, long rows, long missing,
                        List<RunReport.ChunkFailure> failures, List<RunReport.OutputFileInfo> files, Path workDir) {
        int total = request.plan().size();
        int notRun = total - succeeded - failed;
        long failedIds = 0;
        long notRunIds = 0;
        for (int i = 0; i < total; i++) {
            int size = request.plan().get(i).size();
            if (i >= succeeded && i < succeeded + failed) {
                failedIds += size;
            } else if (i >= succeeded + failed) {
                notRunIds += size;
            }
        }
        Instant start = Instant.parse("2026-11-22T10:15:00Z");
        return ReportBuilder.report().run(request.runId(), status, start, start.plusMillis(83_000))
                .source(request.input().source(), request.input().sha256(), request.input().stats(),
                        request.input().invalidExamples())
                .query(request.template().name(), request.template().source(), request.template().sha256(),
                        request.template().textSha256(), List.of())
                .chunks(total, succeeded, failed, notRun, 3).counts(rows, missing, failedIds, notRunIds)
                .failures(failures).files(files).workDirectory(workDir).build();
    }

    public static RunReport.OutputFileInfo file(String kind, Path path, long bytes) {
        return new RunReport.OutputFileInfo(kind, path, bytes);
    }
}
