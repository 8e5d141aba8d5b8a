package dev.firmquery.run;

import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.export.CellCuts;
import dev.firmquery.export.Column;
import dev.firmquery.export.CsvResultWriter;
import dev.firmquery.export.IdListWriter;
import dev.firmquery.export.JsonlResultWriter;
import dev.firmquery.export.ResultWriter;
import dev.firmquery.export.ResultWriter.SummaryLine;
import dev.firmquery.export.XlsxResultWriter;
import dev.firmquery.ids.IdList;
import dev.firmquery.export.PublishHook;
import dev.firmquery.run.store.RunDirectory;
import dev.firmquery.run.store.RunEnd;
import dev.firmquery.run.store.RunSession;
import dev.firmquery.run.store.RunStoreException;
import dev.firmquery.run.store.SpoolReader;
import dev.firmquery.run.store.SpooledChunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Writes finished chunks to the final files in chunk order: result rows to every result writer, the
 * IDs that returned nothing to the missing list, the IDs of failed chunks to the failed list; then
 * the report. Runs on one thread; holds one row at a time. Spools stay in the run directory until
 * the run is complete, so that a resumed run can assemble its files again from all of them.
 */
final class OutputAssembler {
    private static final Logger log = LoggerFactory.getLogger(OutputAssembler.class);

    private final RunRequest request;
    private final RunEngine.Described described;
    private final List<Column> columns;
    private final RunListener listener;
    private final long startNanos;
    private final RunDirectory runDir;
    private final RunSession session;
    private final PublishFaults faults;

    private final List<ResultWriter> resultWriters = new ArrayList<>();
    private final List<String> resultKinds = new ArrayList<>();
    /** The CSV writer, fed with the CSV records the workers encoded; null when the run writes no CSV. */
    private CsvResultWriter csvWriter;
    /** The writers fed row by row from the typed spools (the XLSX, the JSON Lines). */
    private final List<ResultWriter> typedWriters = new ArrayList<>();
    /** The XLSX writer, for the cells it cut; null when the run writes no XLSX. */
    private XlsxResultWriter xlsxWriter;
    /** Reads the spooled chunks back, checked. */
    private final SpoolReader spool;
    private IdListWriter missingWriter;
    private IdListWriter failedWriter;

    private int chunksDone;
    private int chunksSucceeded;
    private int chunksFailed;
    private int chunksNotRun;
    private long idsDone;
    private long rows;
    private long missing;
    private long failedIds;
    private long notRunIds;
    private long retries;
    private final List<RunReport.ChunkFailure> failures = new ArrayList<>();
    private final TimingsCollector timings = new TimingsCollector();
    /** Time in {@link #write} and in publishing the files: the writer's share of the run. */
    private long writerNanos;
    private Map<String, Long> unfinishedRetries = Map.of();

    OutputAssembler(RunRequest request, RunEngine.Described described, RunListener listener, long startNanos,
                    RunDirectory runDir, RunSession session, PublishFaults faults) {
        this.session = session;
        this.faults = faults;
        this.request = request;
        this.described = described;
        this.columns = described.columns();
        this.listener = listener;
        this.startNanos = startNanos;
        this.runDir = runDir;
        this.spool = runDir.spoolReader(columns);
    }

    void open() throws IOException {
        OutputSpec out = request.output();
        if (request.isResume()) {
            supersedeEarlierFiles(out);
        }
        if (out.formats().contains(Format.CSV)) {
            csvWriter = new CsvResultWriter(out.resultCsv(), out.csvGzip(), out.permissions(), out.csvFormulaGuard(),
                    out.csvDialect());
            csvWriter.publishHook(hook("results-csv"));
            resultWriters.add(csvWriter);
            resultKinds.add("results-csv");
        }
        if (out.formats().contains(Format.XLSX)) {
            XlsxResultWriter xlsx = new XlsxResultWriter(out.resultXlsx(), out.permissions(), "firmquery", Version.current());
            xlsx.publishHook(hook("results-xlsx"));
            resultWriters.add(xlsx);
            typedWriters.add(xlsx);
            resultKinds.add("results-xlsx");
            xlsxWriter = xlsx;
        }
        if (out.formats().contains(Format.JSONL)) {
            JsonlResultWriter jsonl = new JsonlResultWriter(out.resultJsonl(), out.permissions());
            jsonl.publishHook(hook("results-jsonl"));
            resultWriters.add(jsonl);
            typedWriters.add(jsonl);
            resultKinds.add("results-jsonl");
        }
        for (ResultWriter w : resultWriters) {
            w.begin(columns);
        }
        missingWriter = IdListWriter.missing(out.missingCsv(), idHeader(), out.permissions(), out.csvFormulaGuard(),
                out.csvDialect());
        missingWriter.publishHook(hook("missing"));
    }

    /**
     * How publishing the file of {@code kind} is journalled: the intent, durable before the file
     * appears under its name ({@link RunSession#publishHook}), and the injected faults of tests.
     */
    private PublishHook hook(String kind) {
        PublishHook journal = session.publishHook(kind);
        return new PublishHook() {
            @Override
            public void publishing(Path target, Path temporary) throws IOException {
                journal.publishing(target, temporary);
                faults.at(PublishFaults.Step.BEFORE_LINK, kind, target);
            }

            @Override
            public void linked(Path target) throws IOException {
                faults.at(PublishFaults.Step.AFTER_LINK, kind, target);
            }
        };
    }

    /**
     * Journals the files of {@code report} as published, then the run's end as {@code end}; each line
     * durable before the next (the intents were journalled before each file appeared).
     */
    void journal(RunReport report, RunEnd end) throws IOException {
        for (RunReport.OutputFileInfo f : report.outputs().files()) {
            faults.at(PublishFaults.Step.BEFORE_PUBLISHED_LINE, f.kind(), f.path());
            session.published(f.kind(), f.path());
        }
        faults.at(PublishFaults.Step.BEFORE_FINISHED_LINE, null, null);
        session.finished(end);
    }

    /**
     * A resumed run writes its files again from all spools. The files an earlier session of this run
     * published, or was publishing when it failed (partial results), are replaced, and temporary files
     * a killed session left are removed. Only the run's own files, by name and by identity
     * ({@link RunDirectory#removeEarlierFiles}), or temporary files of its own names, are touched.
     */
    private void supersedeEarlierFiles(OutputSpec out) throws IOException {
        try {
            runDir.removeEarlierFiles(request.resume().journal(), out.baseName());
        } catch (RunStoreException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private String idHeader() {
        String name = request.input().columnName();
        return name == null || name.isBlank() ? "firm_root_id" : name;
    }

    void write(ChunkOutcome outcome) throws IOException {
        long began = System.nanoTime();
        try {
            writeTimed(outcome);
        } finally {
            writerNanos += System.nanoTime() - began;
        }
    }

    private void writeTimed(ChunkOutcome outcome) throws IOException {
        IdList ids = request.input().ids();
        int from = outcome.chunk().from();
        int size = outcome.chunk().size();
        retries += outcome.retries();
        boolean ran = switch (outcome.state()) {
            case SUCCEEDED -> {
                chunksSucceeded++;
                SpooledChunk done = outcome.spooled();
                if (csvWriter != null) {
                    csvWriter.appendEncoded(out -> spool.copyCsv(done, out), done.rows());
                }
                if (!typedWriters.isEmpty()) {
                    spool.copyRows(done, typedWriters);
                }
                rows += done.rows();
                timings.succeeded(outcome, ids);
                BitSet absent = done.missing();
                for (int i = absent.nextSetBit(0); i >= 0 && i < size; i = absent.nextSetBit(i + 1)) {
                    missingWriter.id(ids.stringAt(from + i));
                    missing++;
                }
                yield true;
            }
            case FAILED -> {
                chunksFailed++;
                failedIds += size;
                if (failures.size() < RunReport.MAX_FAILURES_LISTED) {
                    failures.add(new RunReport.ChunkFailure(outcome.chunk().number(), size, outcome.attempts(),
                            outcome.error()));
                }
                if (failedWriter == null) {
                    failedWriter = IdListWriter.failed(request.output().failedCsv(), idHeader(),
                            request.output().permissions(), request.output().csvFormulaGuard(),
                            request.output().csvDialect());
                    failedWriter.publishHook(hook("failed"));
                }
                for (int i = 0; i < size; i++) {
                    failedWriter.failed(ids.stringAt(from + i), outcome.chunk().number(), outcome.error());
                }
                yield true;
            }
            case NOT_RUN -> {
                chunksNotRun++;
                notRunIds += size;
                yield false;
            }
        };
        if (!ran) {
            return;
        }
        chunksDone++;
        idsDone += size;
        listener.progress(progress());
    }

    RunProgress progress() {
        return new RunProgress(request.plan().size(), chunksDone, chunksFailed, request.plan().idCount(), idsDone,
                rows, retries, Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /**
     * Publishes the files and the report.
     *
     * @param internalError whether an unexpected error stopped the run ({@link RunStatus#INTERNAL_ERROR})
     */
    RunReport finish(Instant started, Instant finished, long sessionRetries, Map<String, Long> unfinishedRetries,
                     String stopReason, boolean internalError) throws IOException {
        long began = System.nanoTime();
        this.unfinishedRetries = unfinishedRetries;
        RunStatus status;
        if (internalError) {
            status = RunStatus.INTERNAL_ERROR;
        } else if (chunksNotRun > 0) {
            status = stopReason != null ? RunStatus.PARTIAL : RunStatus.CANCELLED;
        } else if (chunksFailed == 0) {
            status = RunStatus.COMPLETED;
        } else if (chunksSucceeded == 0) {
            status = RunStatus.FAILED;
        } else {
            status = RunStatus.PARTIAL;
        }
        // Retries of chunks cancelled mid-retry are not in the outcomes; the engine's count is.
        retries = Math.max(retries, sessionRetries);
        // Anything short of a complete run keeps its directory, so it can be resumed or retried.
        Path workDirectory = status == RunStatus.COMPLETED && !request.keepWork() ? null : runDir.path();
        RunReport draft = report(status, started, finished, List.of(), stopReason, workDirectory);
        List<SummaryLine> summary = ReportJson.summaryLines(draft);
        List<RunReport.OutputFileInfo> files = new ArrayList<>();
        for (int i = 0; i < resultWriters.size(); i++) {
            Path p = resultWriters.get(i).commit(summary);
            files.add(new RunReport.OutputFileInfo(resultKinds.get(i), p, Files.size(p)));
        }
        Path m = missingWriter.commit();
        files.add(new RunReport.OutputFileInfo("missing", m, Files.size(m)));
        if (failedWriter != null) {
            Path f = failedWriter.commit();
            files.add(new RunReport.OutputFileInfo("failed", f, Files.size(f)));
        }
        writerNanos += System.nanoTime() - began;
        RunReport report = report(status, started, finished, files, stopReason, workDirectory);
        Path reportPath = ReportJson.write(report, request.output().reportJson(), request.output().permissions(),
                hook("report"));
        List<RunReport.OutputFileInfo> all = new ArrayList<>(files);
        all.add(new RunReport.OutputFileInfo("report", reportPath, Files.size(reportPath)));
        return report(status, started, finished, all, stopReason, workDirectory);
    }

    /**
     * After an unexpected error in the writer: discards the result files (their state is unknown) and
     * writes the report of what was done, as {@link RunStatus#INTERNAL_ERROR} with the run directory
     * to resume from. Best effort: when even the report cannot be written, the returned report lists
     * no file.
     */
    RunReport abandon(Instant started, Instant finished, long sessionRetries, Map<String, Long> unfinishedRetries,
                      String stopReason) {
        closeQuietly();
        this.unfinishedRetries = unfinishedRetries;
        retries = Math.max(retries, sessionRetries);
        RunReport report = report(RunStatus.INTERNAL_ERROR, started, finished, List.of(), stopReason, runDir.path());
        try {
            Path p = ReportJson.write(report, request.output().reportJson(), request.output().permissions(),
                    hook("report"));
            return report(RunStatus.INTERNAL_ERROR, started, finished,
                    List.of(new RunReport.OutputFileInfo("report", p, Files.size(p))), stopReason, runDir.path());
        } catch (IOException | RuntimeException e) {
            log.warn("could not write the report {} of run {}", request.output().reportJson(), request.runId(), e);
            return report;
        }
    }

    private RunReport report(RunStatus status, Instant started, Instant finished,
                             List<RunReport.OutputFileInfo> files, String stopReason, Path workDirectory) {
        var in = request.input();
        var t = request.template();
        RunReport.Run run = new RunReport.Run(request.runId(), status, started, finished, stopReason, workDirectory,
                described.server(), PlanCacheMode.choose(described.server(), request.settings().genericPlans()));
        long durationMs = finished.toEpochMilli() - started.toEpochMilli();
        return new RunReport(run,
                new RunReport.Source(in.source(), in.sha256(), in.stats(), in.invalidExamples(), in.sheet()),
                new RunReport.Query(t.name(), t.source(), t.sha256(), t.textSha256(), columns,
                        request.renderer().parameters().asText()),
                new RunReport.Chunks(request.plan().size(), chunksSucceeded, chunksFailed, chunksNotRun, retries),
                new RunReport.Counts(rows, missing, failedIds, notRunIds),
                new RunReport.Outputs(files, xlsxWriter == null ? CellCuts.NONE : xlsxWriter.cellCuts(), failures,
                        List.of()),
                timings.timings(rows, durationMs, writerNanos / 1_000, unfinishedRetries));
    }

    /** Closes whatever was not committed, deleting its temporary file. */
    void closeQuietly() {
        List<AutoCloseable> all = new ArrayList<>(resultWriters);
        if (missingWriter != null) {
            all.add(missingWriter);
        }
        if (failedWriter != null) {
            all.add(failedWriter);
        }
        all.add(spool);
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed", c, e);
            }
        }
    }
}
