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
        m.put("started", r.run().started().toString());
        m.put("finished", r.run().finished().toString());
        m.put("duration_ms", r.durationMs());
        m.put("firmquery_version", Version.current());
        m.put("server", server(r.run()));

        Map<String, Object> ids = new LinkedHashMap<>();
        ids.put("source", r.source().input());
        ids.put("sha256", r.source().sha256());
        if (r.source().sheet() != null) {
            ids.put("sheet", r.source().sheet());
        }
        ids.put("lines", r.source().ids().lines());
        ids.put("values", r.source().ids().values());
        ids.put("valid", r.source().ids().valid());
        ids.put("duplicates", r.source().ids().duplicates());
        ids.put("invalid", r.source().ids().invalid());
        ids.put("blank", r.source().ids().blank());
        List<Object> examples = new ArrayList<>();
        for (InvalidValue v : r.source().invalidExamples()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("line", v.line());
            e.put("value", v.value());
            e.put("reason", v.reason());
            examples.add(e);
        }
        ids.put("invalid_examples", examples);
        m.put("ids", ids);

        Map<String, Object> query = new LinkedHashMap<>();
        query.put("name", r.query().name());
        query.put("path", r.query().path() == null ? null : BuiltInQueries.describe(r.query().path()));
        query.put("sha256", r.query().sha256());
        query.put("text_sha256", r.query().textSha256());
        query.put("parameters", r.query().parameters()); // canonical text by name, as run.properties records them
        m.put("query", query);

        List<Object> columns = new ArrayList<>();
        for (Column c : r.query().columns()) {
            Map<String, Object> col = new LinkedHashMap<>();
            col.put("name", c.label());
            col.put("type", c.typeName());
            columns.add(col);
        }
        m.put("columns", columns);

        Map<String, Object> chunks = new LinkedHashMap<>();
        chunks.put("total", r.chunks().total());
        chunks.put("succeeded", r.chunks().succeeded());
        chunks.put("failed", r.chunks().failed());
        chunks.put("not_run", r.chunks().notRun());
        chunks.put("retries", r.chunks().retries());
        m.put("chunks", chunks);

        m.put("rows", r.counts().rows());
        m.put("missing_ids", r.counts().missingIds());
        m.put("failed_ids", r.counts().failedIds());
        m.put("not_run_ids", r.counts().notRunIds());
        if (r.run().stopReason() != null) {
            m.put("stop_reason", r.run().stopReason());
        }
        if (r.outputs().xlsxCuts().count() > 0) {
            Map<String, Object> cut = new LinkedHashMap<>();
            cut.put("cells", r.outputs().xlsxCuts().count());
            cut.put("limit", XlsxResultWriter.CELL_TEXT_LIMIT);
            cut.put("first_sheet", r.outputs().xlsxCuts().sheet());
            cut.put("first_row", r.outputs().xlsxCuts().row());
            cut.put("first_column", r.outputs().xlsxCuts().column());
            cut.put("first_column_name", r.outputs().xlsxCuts().columnLabel());
            cut.put("first_cell", r.outputs().xlsxCuts().firstCell());
            cut.put("note", "the XLSX holds the first " + XlsxResultWriter.CELL_TEXT_LIMIT + " characters of these"
                    + " values (Excel's limit); the CSV holds them whole");
            m.put("xlsx_cut_cells", cut);
        }
        if (!r.outputs().warnings().isEmpty()) {
            m.put("warnings", r.outputs().warnings());
        }
        if (r.run().workDirectory() != null) {
            m.put("work_directory", r.run().workDirectory().toString());
            if (r.status() != RunStatus.COMPLETED) {
                m.put("resume_command", RunStore.resumeCommand(r.run().workDirectory()));
            }
        }

        List<Object> failures = new ArrayList<>();
        for (RunReport.ChunkFailure f : r.outputs().failures()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("chunk", f.chunk());
            fm.put("ids", f.ids());
            fm.put("attempts", f.attempts());
            fm.put("error", f.error());
            failures.add(fm);
        }
        m.put("failures", failures);

        List<Object> files = new ArrayList<>();
        for (RunReport.OutputFileInfo f : r.outputs().files()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("kind", f.kind());
            fm.put("path", f.path().toString());
            fm.put("bytes", f.bytes());
            files.add(fm);
        }
        m.put("files", files);
        m.put("timings", timings(r.timings()));
        return m;
    }

    /** The report's "timings" object: times in milliseconds (three decimals), rates in rows per second. */
    private static Map<String, Object> timings(Timings t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chunks_timed", t.chunksTimed());
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("p50_ms", ms(t.latency().p50Micros()));
        latency.put("p90_ms", ms(t.latency().p90Micros()));
        latency.put("p99_ms", ms(t.latency().p99Micros()));
        latency.put("max_ms", ms(t.latency().maxMicros()));
        m.put("chunk_latency", latency);
        m.put("rows_per_second", Math.round(t.rowsPerSecond() * 10) / 10.0);
        List<Object> workers = new ArrayList<>();
        for (Timings.WorkerRate w : t.workers()) {
            Map<String, Object> wm = new LinkedHashMap<>();
            wm.put("worker", w.worker());
            wm.put("chunks", w.chunks());
            wm.put("rows", w.rows());
            wm.put("busy_ms", ms(w.busyMicros()));
            wm.put("rows_per_second", Math.round(w.rowsPerSecond() * 10) / 10.0);
            workers.add(wm);
        }
        m.put("workers", workers);
        Map<String, Object> split = new LinkedHashMap<>();
        split.put("database_ms", ms(t.split().databaseMicros()));
        split.put("decode_spool_ms", ms(t.split().spoolMicros()));
        split.put("pool_wait_ms", ms(t.split().poolWaitMicros()));
        split.put("writer_ms", ms(t.split().writerMicros()));
        m.put("time", split);
        m.put("retries_by_sqlstate", new LinkedHashMap<String, Object>(t.retriesBySqlStateSorted()));
        List<Object> slowest = new ArrayList<>();
        for (Timings.SlowChunk c : t.slowest()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("chunk", c.chunk());
            cm.put("first_id", c.firstId());
            cm.put("last_id", c.lastId());
            cm.put("ids", c.ids());
            cm.put("rows", c.rows());
            cm.put("ms", ms(c.micros()));
            cm.put("attempts", c.attempts());
            slowest.add(cm);
        }
        m.put("slowest_chunks", slowest);
        return m;
    }

    private static double ms(long micros) {
        return micros / 1000.0;
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

    /** The recognised server and what the run set on it. */
    private static Map<String, Object> server(RunReport.Run run) {
        Map<String, Object> s = new LinkedHashMap<>();
        DatabaseServer server = run.server();
        s.put("kind", switch (server.kind()) {
            case POSTGRESQL -> "postgresql";
            case COCKROACHDB -> "cockroachdb";
            case OTHER -> "other";
        });
        s.put("version", server.major() + "." + server.minor());
        s.put("version_text", server.version());
        s.put("plan_cache_mode", run.planCacheMode().label());
        return s;
    }

    /** The label/value pairs of the XLSX {@code Summary} sheet. */
    static List<SummaryLine> summaryLines(RunReport r) {
        List<SummaryLine> l = new ArrayList<>();
        l.add(new SummaryLine("Status", r.status().label()));
        l.add(new SummaryLine("Run id", r.runId()));
        l.add(new SummaryLine("Started", r.run().started().toString()));
        l.add(new SummaryLine("Duration (s)", r.durationMs() / 1000.0));
        l.add(new SummaryLine("Server", r.run().server().label()));
        l.add(new SummaryLine("plan_cache_mode", r.run().planCacheMode().label()));
        l.add(new SummaryLine("Query", r.query().name()));
        l.add(new SummaryLine("Query SHA-256", r.query().sha256()));
        r.query().parameters().forEach((name, value) -> l.add(new SummaryLine("Parameter " + name, value)));
        l.add(new SummaryLine("ID input", r.source().input()));
        if (r.source().sheet() != null) {
            l.add(new SummaryLine("ID sheet", r.source().sheet()));
        }
        l.add(new SummaryLine("ID input SHA-256", r.source().sha256()));
        l.add(new SummaryLine("Values read", r.source().ids().values()));
        l.add(new SummaryLine("Valid IDs", r.source().ids().valid()));
        l.add(new SummaryLine("Duplicates dropped", r.source().ids().duplicates()));
        l.add(new SummaryLine("Invalid dropped", r.source().ids().invalid()));
        l.add(new SummaryLine("Chunks", r.chunks().total()));
        l.add(new SummaryLine("Chunks succeeded", r.chunks().succeeded()));
        l.add(new SummaryLine("Chunks failed", r.chunks().failed()));
        l.add(new SummaryLine("Chunks not run", r.chunks().notRun()));
        l.add(new SummaryLine("Retries", r.chunks().retries()));
        l.add(new SummaryLine("Rows", r.counts().rows()));
        l.add(new SummaryLine("Missing IDs", r.counts().missingIds()));
        l.add(new SummaryLine("Failed IDs", r.counts().failedIds()));
        if (r.timings().chunksTimed() > 0) {
            Timings t = r.timings();
            l.add(new SummaryLine("Chunk latency", TimingsText.latency(t)));
            l.add(new SummaryLine("Rows per second", TimingsText.rates(t)));
            l.add(new SummaryLine("Time spent", TimingsText.split(t)));
            l.add(new SummaryLine("Retries by SQLState", TimingsText.retries(t)));
            for (Timings.SlowChunk c : t.slowest()) {
                l.add(new SummaryLine("Slow chunk", TimingsText.slow(c)));
            }
        }
        l.add(new SummaryLine("Cells cut at " + String.format(java.util.Locale.ROOT, "%,d",
                XlsxResultWriter.CELL_TEXT_LIMIT) + " characters", r.outputs().xlsxCuts().count()));
        if (r.outputs().xlsxCuts().count() > 0) {
            l.add(new SummaryLine("First cut cell", r.outputs().xlsxCuts().firstCell() + "; the CSV holds the whole value"));
        }
        for (String w : r.outputs().warnings()) {
            l.add(new SummaryLine("Warning", w));
        }
        l.add(new SummaryLine("firmquery version", Version.current()));
        return l;
    }
}
