package dev.firmquery.run;

import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.export.ChunkSpool;
import dev.firmquery.export.Column;
import dev.firmquery.export.CsvResultWriter;
import dev.firmquery.export.IdListWriter;
import dev.firmquery.export.ResultWriter;
import dev.firmquery.export.ResultWriter.SummaryLine;
import dev.firmquery.export.XlsxResultWriter;
import dev.firmquery.ids.IdList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes finished chunks to the final files in chunk order: result rows to every result writer, the
 * IDs that returned nothing to the missing list, the IDs of failed chunks to the failed list; then
 * the report. Runs on one thread; holds one row at a time.
 */
final class OutputAssembler {
    private static final Logger log = LoggerFactory.getLogger(OutputAssembler.class);

    private final RunRequest request;
    private final List<Column> columns;
    private final RunListener listener;
    private final long startNanos;

    private final List<ResultWriter> resultWriters = new ArrayList<>();
    private final List<String> resultKinds = new ArrayList<>();
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
    private String stopReason;

    OutputAssembler(RunRequest request, List<Column> columns, RunListener listener, long startNanos) {
        this.request = request;
        this.columns = columns;
        this.listener = listener;
        this.startNanos = startNanos;
    }

    void open() throws IOException {
        OutputSpec out = request.output();
        if (out.formats().contains(Format.CSV)) {
            resultWriters.add(new CsvResultWriter(out.resultCsv(), out.csvGzip(), out.permissions()));
            resultKinds.add("results-csv");
        }
        if (out.formats().contains(Format.XLSX)) {
            resultWriters.add(new XlsxResultWriter(out.resultXlsx(), out.permissions(), "firmquery", Version.current()));
            resultKinds.add("results-xlsx");
        }
        for (ResultWriter w : resultWriters) {
            w.begin(columns);
        }
        missingWriter = IdListWriter.missing(out.missingCsv(), idHeader(), out.permissions());
    }

    private String idHeader() {
        String name = request.input().columnName();
        return name == null || name.isBlank() ? "firm_root_id" : name;
    }

    void write(ChunkOutcome outcome) throws IOException {
        IdList ids = request.input().ids();
        int from = outcome.chunk().from();
        int size = outcome.chunk().size();
        retries += outcome.retries();
        switch (outcome.state()) {
            case SUCCEEDED -> {
                chunksSucceeded++;
                try (ChunkSpool.Reader in = ChunkSpool.Reader.open(outcome.spool())) {
                    Object[] row = new Object[columns.size()];
                    while (in.next(row)) {
                        for (ResultWriter w : resultWriters) {
                            w.row(row);
                        }
                        rows++;
                    }
                }
                Files.deleteIfExists(outcome.spool());
                for (int i = 0; i < size; i++) {
                    if (!outcome.found().get(i)) {
                        missingWriter.id(ids.stringAt(from + i));
                        missing++;
                    }
                }
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
                            request.output().permissions());
                }
                for (int i = 0; i < size; i++) {
                    failedWriter.failed(ids.stringAt(from + i), outcome.chunk().number(), outcome.error());
                }
            }
            case NOT_RUN -> {
                chunksNotRun++;
                notRunIds += size;
                return;
            }
        }
        chunksDone++;
        idsDone += size;
        listener.progress(progress());
    }

    RunProgress progress() {
        return new RunProgress(request.plan().size(), chunksDone, chunksFailed, request.plan().idCount(), idsDone,
                rows, retries, Duration.ofNanos(System.nanoTime() - startNanos));
    }

    RunReport finish(Instant started, Instant finished, long totalRetries, String stopReason) throws IOException {
        this.stopReason = stopReason;
        RunStatus status;
        if (chunksNotRun > 0) {
            status = stopReason != null ? RunStatus.PARTIAL : RunStatus.CANCELLED;
        } else if (chunksFailed == 0) {
            status = RunStatus.COMPLETED;
        } else if (chunksSucceeded == 0) {
            status = RunStatus.FAILED;
        } else {
            status = RunStatus.PARTIAL;
        }
        // Retries of chunks that were cancelled mid-retry are not in the outcomes; the engine's count is.
        retries = Math.max(retries, totalRetries);
        RunReport draft = report(status, started, finished, List.of());
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
        RunReport report = report(status, started, finished, files);
        Path reportPath = ReportJson.write(report, request.output().reportJson(), request.output().permissions());
        List<RunReport.OutputFileInfo> all = new ArrayList<>(files);
        all.add(new RunReport.OutputFileInfo("report", reportPath, Files.size(reportPath)));
        return report(status, started, finished, all);
    }

    private RunReport report(RunStatus status, Instant started, Instant finished,
                             List<RunReport.OutputFileInfo> files) {
        var in = request.input();
        var t = request.template();
        return new RunReport(request.runId(), status, started, finished, in.source(), in.sha256(), in.stats(),
                in.invalidExamples(), t.name(), t.source(), t.sha256(), columns, request.plan().size(),
                chunksSucceeded, chunksFailed, chunksNotRun, retries, rows, missing, failedIds, notRunIds, failures,
                files, stopReason);
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
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed", c, e);
            }
        }
    }
}
