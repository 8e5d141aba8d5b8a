package dev.firmquery.audit;

import dev.firmquery.export.Json;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunSetup;
import dev.firmquery.run.Version;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit trail: one JSON line per run in {@code audit.log} (Logback logger {@code firmquery.audit}):
 * who ran which query (name and SHA-256) over which input (path and SHA-256), the counts, the outcome
 * and the files. It never holds passwords, tickets or the IDs themselves.
 */
public final class AuditLog {
    private static final Logger audit = LoggerFactory.getLogger("firmquery.audit");
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    private final Map<String, String> environment;

    /** @param environment the process environment, for the host name */
    public AuditLog(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** A run that ended (any status). */
    public void finished(RunRequest request, RunReport report) {
        Map<String, Object> m = base(report.runId(), report.status().label());
        m.put("query", request.template().name());
        m.put("query_sha256", request.template().sha256());
        m.put("input", report.input());
        m.put("input_sha256", report.inputSha256());
        m.put("ids_valid", report.ids().valid());
        m.put("ids_invalid", report.ids().invalid());
        m.put("ids_duplicates", report.ids().duplicates());
        m.put("chunks", report.chunksTotal());
        m.put("chunks_failed", report.chunksFailed());
        m.put("retries", report.retries());
        m.put("rows", report.rows());
        m.put("missing_ids", report.missingIds());
        m.put("failed_ids", report.failedIds());
        m.put("duration_ms", report.durationMs());
        List<String> files = new ArrayList<>();
        for (RunReport.OutputFileInfo f : report.files()) {
            files.add(f.path().toString());
        }
        m.put("files", files);
        write(m);
    }

    /** A run that was prepared but could not run (cannot connect, query rejected). */
    public void failed(RunRequest request, String error) {
        Map<String, Object> m = base(request.runId(), "error");
        m.put("query", request.template().name());
        m.put("query_sha256", request.template().sha256());
        m.put("input", request.input().source());
        m.put("input_sha256", request.input().sha256());
        m.put("ids_valid", request.input().stats().valid());
        m.put("error", error);
        write(m);
    }

    /** A run refused before it was prepared (bad input or template). */
    public void refused(RunSetup.Choices choices, String error) {
        Map<String, Object> m = base(null, "refused");
        m.put("query", choices.query());
        m.put("input", choices.ids() == null ? "-" : choices.ids().toString());
        m.put("error", error);
        write(m);
    }

    /** A resume or retry refused before it started (damaged directory, changed query...). */
    public void refused(String what, String error) {
        Map<String, Object> m = base(null, "refused");
        m.put("input", what);
        m.put("error", error);
        write(m);
    }

    private Map<String, Object> base(String runId, String outcome) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", Instant.now().toString());
        m.put("run_id", runId);
        m.put("outcome", outcome);
        m.put("os_user", System.getProperty("user.name"));
        m.put("host", hostName());
        m.put("firmquery_version", Version.current());
        return m;
    }

    private String hostName() {
        String h = environment.get("HOSTNAME");
        if (h != null && !h.isBlank()) {
            return h;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            log.debug("host name lookup failed", e);
            return "unknown";
        }
    }

    private static void write(Map<String, Object> line) {
        audit.info(Json.toJson(line));
    }
}
