package dev.firmquery.run;

import dev.firmquery.export.Column;
import dev.firmquery.export.Json;
import dev.firmquery.export.OutputFile;
import dev.firmquery.export.ResultWriter.SummaryLine;
import dev.firmquery.export.XlsxResultWriter;
import dev.firmquery.ids.InvalidValue;
import dev.firmquery.run.store.RunStore;
import dev.firmquery.sql.BuiltInQueries;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The run report as {@code <base>_report.json} and as the XLSX {@code Summary} sheet. */
public final class ReportJson {
    private ReportJson() {
    }

    /** The report as a JSON-ready tree, keys in a stable, readable order. */
    public static Map<String, Object> tree(RunReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", r.runId());
        m.put("status", r.status().label());
        m.put("started", r.started().toString());
        m.put("finished", r.finished().toString());
        m.put("duration_ms", r.durationMs());
        m.put("firmquery_version", Version.current());

        Map<String, Object> ids = new LinkedHashMap<>();
        ids.put("source", r.input());
        ids.put("sha256", r.inputSha256());
        ids.put("lines", r.ids().lines());
        ids.put("values", r.ids().values());
        ids.put("valid", r.ids().valid());
        ids.put("duplicates", r.ids().duplicates());
        ids.put("invalid", r.ids().invalid());
        ids.put("blank", r.ids().blank());
        List<Object> examples = new ArrayList<>();
        for (InvalidValue v : r.invalidExamples()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("line", v.line());
            e.put("value", v.value());
            e.put("reason", v.reason());
            examples.add(e);
        }
        ids.put("invalid_examples", examples);
        m.put("ids", ids);

        Map<String, Object> query = new LinkedHashMap<>();
        query.put("name", r.queryName());
        query.put("path", r.queryPath() == null ? null : BuiltInQueries.describe(r.queryPath()));
        query.put("sha256", r.querySha256());
        query.put("text_sha256", r.queryTextSha256());
        query.put("parameters", r.parameters()); // canonical text by name, as run.properties records them
        m.put("query", query);

        List<Object> columns = new ArrayList<>();
        for (Column c : r.columns()) {
            Map<String, Object> col = new LinkedHashMap<>();
            col.put("name", c.label());
            col.put("type", c.typeName());
            columns.add(col);
        }
        m.put("columns", columns);

        Map<String, Object> chunks = new LinkedHashMap<>();
        chunks.put("total", r.chunksTotal());
        chunks.put("succeeded", r.chunksSucceeded());
        chunks.put("failed", r.chunksFailed());
        chunks.put("not_run", r.chunksNotRun());
        chunks.put("retries", r.retries());
        m.put("chunks", chunks);

        m.put("rows", r.rows());
        m.put("missing_ids", r.missingIds());
        m.put("failed_ids", r.failedIds());
        m.put("not_run_ids", r.notRunIds());
        if (r.stopReason() != null) {
            m.put("stop_reason", r.stopReason());
        }
        if (r.xlsxCuts().count() > 0) {
            Map<String, Object> cut = new LinkedHashMap<>();
            cut.put("cells", r.xlsxCuts().count());
            cut.put("limit", XlsxResultWriter.CELL_TEXT_LIMIT);
            cut.put("first_sheet", r.xlsxCuts().sheet());
            cut.put("first_row", r.xlsxCuts().row());
            cut.put("first_column", r.xlsxCuts().column());
            cut.put("first_column_name", r.xlsxCuts().columnLabel());
            cut.put("first_cell", r.xlsxCuts().firstCell());
            cut.put("note", "the XLSX holds the first " + XlsxResultWriter.CELL_TEXT_LIMIT + " characters of these"
                    + " values (Excel's limit); the CSV holds them whole");
            m.put("xlsx_cut_cells", cut);
        }
        if (!r.warnings().isEmpty()) {
            m.put("warnings", r.warnings());
        }
        if (r.workDirectory() != null) {
            m.put("work_directory", r.workDirectory().toString());
            if (r.status() != RunStatus.COMPLETED) {
                m.put("resume_command", RunStore.resumeCommand(r.workDirectory()));
            }
        }

        List<Object> failures = new ArrayList<>();
        for (RunReport.ChunkFailure f : r.failures()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("chunk", f.chunk());
            fm.put("ids", f.ids());
            fm.put("attempts", f.attempts());
            fm.put("error", f.error());
            failures.add(fm);
        }
        m.put("failures", failures);

        List<Object> files = new ArrayList<>();
        for (RunReport.OutputFileInfo f : r.files()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("kind", f.kind());
            fm.put("path", f.path().toString());
            fm.put("bytes", f.bytes());
            files.add(fm);
        }
        m.put("files", files);
        return m;
    }

    /**
     * Replaces the report this run published with {@code report} in one rename, for a warning that
     * came up after it was written (the clean-up of the run directory). The new file gets
     * {@code permissions} before it takes the name.
     */
    static void replace(RunReport report, Path target, Set<PosixFilePermission> permissions) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        boolean posix = OutputFile.isPosix(dir);
        Path tmp = posix ? Files.createTempFile(dir, "." + target.getFileName() + ".tmp-", "",
                PosixFilePermissions.asFileAttribute(permissions))
                : Files.createTempFile(dir, "." + target.getFileName() + ".tmp-", "");
        try {
            if (posix) {
                Files.setPosixFilePermissions(tmp, permissions); // the creation mode was filtered by the umask
            }
            try (Writer w = new OutputStreamWriter(Files.newOutputStream(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS), StandardCharsets.UTF_8)) {
                Json.pretty(w).value(tree(report));
                w.write('\n');
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes the report (pretty-printed) under a temporary name and publishes it. */
    static Path write(RunReport report, Path target, Set<PosixFilePermission> permissions) throws IOException {
        return write(report, target, permissions, dev.firmquery.export.PublishHook.NONE);
    }

    /** {@link #write(RunReport, Path, Set)}, telling {@code hook} about the publishing. */
    static Path write(RunReport report, Path target, Set<PosixFilePermission> permissions,
                      dev.firmquery.export.PublishHook hook) throws IOException {
        try (OutputFile file = OutputFile.create(target, permissions)) {
            file.publishHook(hook);
            try (Writer w = new OutputStreamWriter(file.newOutputStream(), StandardCharsets.UTF_8)) {
                Json.pretty(w).value(tree(report));
                w.write('\n');
            }
            return file.publish();
        }
    }

    /** The label/value pairs of the XLSX {@code Summary} sheet. */
    static List<SummaryLine> summaryLines(RunReport r) {
        List<SummaryLine> l = new ArrayList<>();
        l.add(new SummaryLine("Status", r.status().label()));
        l.add(new SummaryLine("Run id", r.runId()));
        l.add(new SummaryLine("Started", r.started().toString()));
        l.add(new SummaryLine("Duration (s)", r.durationMs() / 1000.0));
        l.add(new SummaryLine("Query", r.queryName()));
        l.add(new SummaryLine("Query SHA-256", r.querySha256()));
        r.parameters().forEach((name, value) -> l.add(new SummaryLine("Parameter " + name, value)));
        l.add(new SummaryLine("ID input", r.input()));
        l.add(new SummaryLine("ID input SHA-256", r.inputSha256()));
        l.add(new SummaryLine("Values read", r.ids().values()));
        l.add(new SummaryLine("Valid IDs", r.ids().valid()));
        l.add(new SummaryLine("Duplicates dropped", r.ids().duplicates()));
        l.add(new SummaryLine("Invalid dropped", r.ids().invalid()));
        l.add(new SummaryLine("Chunks", r.chunksTotal()));
        l.add(new SummaryLine("Chunks succeeded", r.chunksSucceeded()));
        l.add(new SummaryLine("Chunks failed", r.chunksFailed()));
        l.add(new SummaryLine("Chunks not run", r.chunksNotRun()));
        l.add(new SummaryLine("Retries", r.retries()));
        l.add(new SummaryLine("Rows", r.rows()));
        l.add(new SummaryLine("Missing IDs", r.missingIds()));
        l.add(new SummaryLine("Failed IDs", r.failedIds()));
        l.add(new SummaryLine("Cells cut at " + String.format(java.util.Locale.ROOT, "%,d",
                XlsxResultWriter.CELL_TEXT_LIMIT) + " characters", r.xlsxCuts().count()));
        if (r.xlsxCuts().count() > 0) {
            l.add(new SummaryLine("First cut cell", r.xlsxCuts().firstCell() + "; the CSV holds the whole value"));
        }
        for (String w : r.warnings()) {
            l.add(new SummaryLine("Warning", w));
        }
        l.add(new SummaryLine("firmquery version", Version.current()));
        return l;
    }
}
