package dev.firmquery.run;

import dev.firmquery.exit.ExitCode;
import dev.firmquery.export.CellCuts;
import dev.firmquery.export.Column;
import dev.firmquery.ids.IdStats;
import dev.firmquery.ids.InvalidValue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The facts of a finished run: what the report file, the XLSX summary sheet, the audit line, the
 * headless summary and the UI's results window show.
 *
 * @param runId           the run's id
 * @param status          how it ended
 * @param started         when the run started
 * @param finished        when the files were in place
 * @param input           where the IDs came from ({@code "-"} for stdin/paste)
 * @param inputSha256     hex SHA-256 of the ID input
 * @param ids             ID cleaning counts
 * @param invalidExamples the first invalid values with line numbers
 * @param queryName       template name
 * @param queryPath       template file, or {@code null}
 * @param querySha256     hex SHA-256 of the template (of its file's bytes, as {@code sha256sum} prints)
 * @param queryTextSha256 hex SHA-256 of the SQL text actually run ({@code query.sql} of the run folder)
 * @param columns         result columns
 * @param chunksTotal     chunks planned
 * @param chunksSucceeded chunks that succeeded
 * @param chunksFailed    chunks that failed after their retries
 * @param chunksNotRun    chunks not run because the run was cancelled
 * @param retries         retries, all chunks
 * @param rows            result rows written
 * @param missingIds      valid IDs of succeeded chunks that returned no row
 * @param failedIds       IDs of failed chunks (neither found nor missing: unknown)
 * @param notRunIds       IDs of chunks not run
 * @param failures        the failed chunks (at most {@link #MAX_FAILURES_LISTED}; all are in the failed-IDs file)
 * @param files           the files written
 * @param stopReason      why the engine stopped the run early (e.g. credentials expired), or null
 * @param workDirectory   the run's working directory if it was kept (the run can be resumed from it), else null
 * @param xlsxCuts        XLSX cells cut to Excel's 32,767 characters ({@link CellCuts#NONE} without XLSX)
 * @param warnings        what the user should know although the run did its work (a clean-up that failed)
 * @param parameters      the values bound for the template's parameters, name to canonical text in
 *                        declaration order; empty for a template without parameters
 */
public record RunReport(String runId, RunStatus status, Instant started, Instant finished,
                        String input, String inputSha256, IdStats ids, List<InvalidValue> invalidExamples,
                        String queryName, Path queryPath, String querySha256, String queryTextSha256,
                        List<Column> columns,
                        int chunksTotal, int chunksSucceeded, int chunksFailed, int chunksNotRun, long retries,
                        long rows, long missingIds, long failedIds, long notRunIds,
                        List<ChunkFailure> failures, List<OutputFileInfo> files, String stopReason,
                        Path workDirectory, CellCuts xlsxCuts, List<String> warnings, Map<String, String> parameters) {

    public static final int MAX_FAILURES_LISTED = 100;

    /** A report of a query without parameters. */
    public RunReport(String runId, RunStatus status, Instant started, Instant finished,
                     String input, String inputSha256, IdStats ids, List<InvalidValue> invalidExamples,
                     String queryName, Path queryPath, String querySha256, String queryTextSha256,
                     List<Column> columns,
                     int chunksTotal, int chunksSucceeded, int chunksFailed, int chunksNotRun, long retries,
                     long rows, long missingIds, long failedIds, long notRunIds,
                     List<ChunkFailure> failures, List<OutputFileInfo> files, String stopReason,
                     Path workDirectory, CellCuts xlsxCuts, List<String> warnings) {
        this(runId, status, started, finished, input, inputSha256, ids, invalidExamples, queryName, queryPath,
                querySha256, queryTextSha256, columns, chunksTotal, chunksSucceeded, chunksFailed, chunksNotRun, retries,
                rows, missingIds, failedIds, notRunIds, failures, files, stopReason, workDirectory, xlsxCuts, warnings,
                Map.of());
    }

    public RunReport {
        parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        invalidExamples = List.copyOf(invalidExamples);
        columns = List.copyOf(columns);
        failures = List.copyOf(failures);
        files = List.copyOf(files);
        warnings = List.copyOf(warnings);
    }

    /** This report with one more warning. */
    public RunReport withWarning(String warning) {
        List<String> more = new ArrayList<>(warnings);
        more.add(warning);
        return new RunReport(runId, status, started, finished, input, inputSha256, ids, invalidExamples, queryName,
                queryPath, querySha256, queryTextSha256, columns, chunksTotal, chunksSucceeded, chunksFailed, chunksNotRun, retries, rows,
                missingIds, failedIds, notRunIds, failures, files, stopReason, workDirectory, xlsxCuts, more, parameters);
    }

    /** How the command that ran the run ends ({@link RunStatus#exitCode()}). */
    public ExitCode exitCode() {
        return status.exitCode();
    }

    public long durationMs() {
        return finished.toEpochMilli() - started.toEpochMilli();
    }

    /** A chunk that failed: which, how many IDs, how often it was tried, the last error. */
    public record ChunkFailure(int chunk, int ids, int attempts, String error) {
    }

    /** A file the run wrote. {@code kind} is one of results-csv, results-xlsx, results-jsonl, missing, failed, report. */
    public record OutputFileInfo(String kind, Path path, long bytes) {
    }
}
