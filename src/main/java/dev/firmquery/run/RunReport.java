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
import java.util.Objects;

/**
 * The facts of a finished run: what the report file, the XLSX summary sheet, the audit line, the
 * headless summary and the UI's results window show. Grouped as the report file groups them: the
 * run itself, its ID input, its query, the chunks, the counts of rows and IDs, the files written, and
 * where the time went.
 *
 * @param run     the run's id, how it ended, when, and what is left of it
 * @param source  where the IDs came from and how they were cleaned
 * @param query   the template and the result columns
 * @param chunks  the chunks by outcome and their retries
 * @param counts  the rows written and the IDs by what became of them
 * @param outputs the files written, the XLSX cells cut, the failed chunks and the warnings
 * @param timings where the time went ({@link Timings#NONE} for a run that timed nothing)
 */
public record RunReport(Run run, Source source, Query query, Chunks chunks, Counts counts, Outputs outputs,
                        Timings timings) {

    public static final int MAX_FAILURES_LISTED = 100;

    public RunReport {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(chunks, "chunks");
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(outputs, "outputs");
        Objects.requireNonNull(timings, "timings");
    }

    /**
     * The run itself.
     *
     * @param id            the run's id
     * @param status        how it ended
     * @param started       when the run started (its first session's start, for a resumed run)
     * @param finished      when the files were in place
     * @param stopReason    why the engine stopped the run early (e.g. credentials expired), or null
     * @param workDirectory the run's working directory if it was kept (the run can be resumed from it), else null
     * @param server        the database server recognised from {@code version()} (this session's, for a
     *                      resumed run), {@link DatabaseServer#UNKNOWN} when the run ended before asking
     * @param planCacheMode what the workers' sessions set {@code plan_cache_mode} to
     */
    public record Run(String id, RunStatus status, Instant started, Instant finished, String stopReason,
                      Path workDirectory, DatabaseServer server, PlanCacheMode planCacheMode) {
        public Run {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(planCacheMode, "planCacheMode");
        }

        /** A run whose server is not known. */
        public Run(String id, RunStatus status, Instant started, Instant finished, String stopReason,
                   Path workDirectory) {
            this(id, status, started, finished, stopReason, workDirectory, DatabaseServer.UNKNOWN,
                    PlanCacheMode.SERVER_DEFAULT);
        }
    }

    /**
     * The ID input.
     *
     * @param input           where the IDs came from ({@code "-"} for stdin/paste)
     * @param sha256          hex SHA-256 of the ID input
     * @param ids             ID cleaning counts
     * @param invalidExamples the first invalid values with line numbers
     * @param sheet           the workbook sheet the IDs were read from (its first when none was chosen);
     *                        {@code null} for an input that is not a workbook
     */
    public record Source(String input, String sha256, IdStats ids, List<InvalidValue> invalidExamples, String sheet) {
        public Source {
            invalidExamples = List.copyOf(invalidExamples);
        }

        /** The source of an input that is not a workbook: no sheet. */
        public Source(String input, String sha256, IdStats ids, List<InvalidValue> invalidExamples) {
            this(input, sha256, ids, invalidExamples, null);
        }
    }

    /**
     * The query.
     *
     * @param name       template name
     * @param path       template file, or {@code null}
     * @param sha256     hex SHA-256 of the template (of its file's bytes, as {@code sha256sum} prints)
     * @param textSha256 hex SHA-256 of the SQL text actually run ({@code query.sql} of the run folder)
     * @param columns    result columns
     * @param parameters the values bound for the template's parameters, name to canonical text in
     *                   declaration order; empty for a template without parameters
     */
    public record Query(String name, Path path, String sha256, String textSha256, List<Column> columns,
                        Map<String, String> parameters) {
        public Query {
            columns = List.copyOf(columns);
            parameters = parameters == null ? Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        }

        /** A query without parameters. */
        public Query(String name, Path path, String sha256, String textSha256, List<Column> columns) {
            this(name, path, sha256, textSha256, columns, Map.of());
        }
    }

    /**
     * The chunks.
     *
     * @param total     chunks planned
     * @param succeeded chunks that succeeded
     * @param failed    chunks that failed after their retries
     * @param notRun    chunks not run because the run was cancelled or stopped
     * @param retries   retries, all chunks
     */
    public record Chunks(int total, int succeeded, int failed, int notRun, long retries) {
    }

    /**
     * Rows and IDs.
     *
     * @param rows       result rows written
     * @param missingIds valid IDs of succeeded chunks that returned no row
     * @param failedIds  IDs of failed chunks (neither found nor missing: unknown)
     * @param notRunIds  IDs of chunks not run
     */
    public record Counts(long rows, long missingIds, long failedIds, long notRunIds) {
    }

    /**
     * What the run left.
     *
     * @param files    the files written
     * @param xlsxCuts XLSX cells cut to Excel's 32,767 characters ({@link CellCuts#NONE} without XLSX)
     * @param failures the failed chunks (at most {@link #MAX_FAILURES_LISTED}; all are in the failed-IDs file)
     * @param warnings what the user should know although the run did its work (a clean-up that failed)
     */
    public record Outputs(List<OutputFileInfo> files, CellCuts xlsxCuts, List<ChunkFailure> failures,
                          List<String> warnings) {
        public Outputs {
            files = List.copyOf(files);
            failures = List.copyOf(failures);
            warnings = List.copyOf(warnings);
        }

        /** These outputs with {@code files} instead. */
        public Outputs withFiles(List<OutputFileInfo> files) {
            return new Outputs(files, xlsxCuts, failures, warnings);
        }
    }

    /** This report with one more warning. */
    public RunReport withWarning(String warning) {
        List<String> more = new ArrayList<>(outputs.warnings());
        more.add(warning);
        return new RunReport(run, source, query, chunks, counts,
                new Outputs(outputs.files(), outputs.xlsxCuts(), outputs.failures(), more), timings);
    }

    /** The run's id (shorthand for {@code run().id()}). */
    public String runId() {
        return run.id();
    }

    /** How the run ended (shorthand for {@code run().status()}). */
    public RunStatus status() {
        return run.status();
    }

    /** How the command that ran the run ends ({@link RunStatus#exitCode()}). */
    public ExitCode exitCode() {
        return run.status().exitCode();
    }

    public long durationMs() {
        return run.finished().toEpochMilli() - run.started().toEpochMilli();
    }

    /** A chunk that failed: which, how many IDs, how often it was tried, the last error. */
    public record ChunkFailure(int chunk, int ids, int attempts, String error) {
    }

    /** A file the run wrote. {@code kind} is one of results-csv, results-xlsx, results-jsonl, missing, failed, report. */
    public record OutputFileInfo(String kind, Path path, long bytes) {
    }
}
