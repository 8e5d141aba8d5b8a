package dev.firmquery.audit;

import dev.firmquery.config.AppConfig;
import dev.firmquery.export.Json;
import dev.firmquery.kerberos.KerberosSession;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunSetup;
import dev.firmquery.run.Version;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit trail: one JSON line per action in {@code audit.log} (Logback logger {@code firmquery.audit},
 * a file only its owner can read, see {@link PrivateRollingFileAppender}). A run ({@code "action":
 * "run"}): who ran which query (name and SHA-256) over which input (path and SHA-256) against which
 * database (host, port, database, database user, Kerberos principal), the counts, the outcome and the
 * files. A run folder deleted from the UI ({@code "action": "delete"}): which, and whether it went. It
 * never holds passwords, tickets or the IDs themselves.
 */
public final class AuditLog {
    /** The Logback logger of the audit trail ({@link LogFiles} gives it the file). */
    static final String LOGGER = "firmquery.audit";
    private static final Logger audit = LoggerFactory.getLogger(LOGGER);
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    private final Map<String, String> environment;
    private final Target target;

    /** @param environment the process environment, for the host name */
    public AuditLog(Map<String, String> environment) {
        this(environment, null);
    }

    private AuditLog(Map<String, String> environment, Target target) {
        this.environment = Map.copyOf(environment);
        this.target = target;
    }

    /**
     * Where the runs go and as whom: recorded on every line.
     *
     * @param host              {@code database.host}
     * @param port              {@code database.port}
     * @param database          {@code database.database}
     * @param databaseUser      the user the database sees (with Kerberos: from the principal unless set)
     * @param kerberosPrincipal the logged-in principal, or null with password authentication
     */
    public record Target(String host, int port, String database, String databaseUser, String kerberosPrincipal) {

        /** The target of {@code db}, as {@code kerberos}'s principal when it is not null. */
        public static Target of(AppConfig.Database db, KerberosSession kerberos) {
            return kerberos == null ? new Target(db.host(), db.port(), db.database(), db.user(), null)
                    : new Target(db.host(), db.port(), db.database(), kerberos.databaseUser(),
                            kerberos.status().principal());
        }
    }

    /** This audit log, recording {@code target} on every line. */
    public AuditLog with(Target target) {
        return new AuditLog(environment, target);
    }

    /** A run that ended (any status). */
    public void finished(RunRequest request, RunReport report) {
        Map<String, Object> m = base(report.runId(), "run", report.status().label());
        m.put("query", request.template().name());
        m.put("query_sha256", request.template().sha256());
        m.put("query_text_sha256", report.query().textSha256());
        putParameters(m, request);
        m.put("input", report.source().input());
        m.put("input_sha256", report.source().sha256());
        if (report.source().sheet() != null) {
            m.put("input_sheet", report.source().sheet());
        }
        m.put("ids_valid", report.source().ids().valid());
        m.put("ids_invalid", report.source().ids().invalid());
        m.put("ids_duplicates", report.source().ids().duplicates());
        m.put("chunks", report.chunks().total());
        m.put("chunks_failed", report.chunks().failed());
        m.put("retries", report.chunks().retries());
        m.put("rows", report.counts().rows());
        m.put("missing_ids", report.counts().missingIds());
        m.put("failed_ids", report.counts().failedIds());
        m.put("duration_ms", report.durationMs());
        List<String> files = new ArrayList<>();
        for (RunReport.OutputFileInfo f : report.outputs().files()) {
            files.add(f.path().toString());
        }
        m.put("files", files);
        if (report.run().stopReason() != null) {
            m.put("stop_reason", report.run().stopReason());
        }
        if (!report.outputs().warnings().isEmpty()) {
            m.put("warnings", report.outputs().warnings());
        }
        write(m);
    }

    /**
     * The values bound for the query's parameters ({@code "params": {"since": "2026-01-01"}}), canonical
     * text as the manifest records them; absent for a query without parameters.
     */
    private static void putParameters(Map<String, Object> m, RunRequest request) {
        if (!request.renderer().parameters().isEmpty()) {
            m.put("params", request.renderer().parameters().asText());
        }
    }

    /** A run that was prepared but could not run (cannot connect, query rejected). */
    public void failed(RunRequest request, String error) {
        Map<String, Object> m = base(request.runId(), "run", "error");
        m.put("query", request.template().name());
        m.put("query_sha256", request.template().sha256());
        m.put("query_text_sha256", request.template().textSha256());
        putParameters(m, request);
        m.put("input", request.input().source());
        m.put("input_sha256", request.input().sha256());
        if (request.input().sheet() != null) {
            m.put("input_sheet", request.input().sheet());
        }
        m.put("ids_valid", request.input().stats().valid());
        m.put("error", error);
        write(m);
    }

    /** A run refused before it was prepared (bad input or template). */
    public void refused(RunSetup.Choices choices, String error) {
        Map<String, Object> m = base(null, "run", "refused");
        m.put("query", choices.query());
        if (!choices.params().isEmpty()) {
            m.put("params", choices.params()); // as given: the refusal may be that they do not parse
        }
        m.put("input", choices.ids() == null ? "-" : choices.ids().toString());
        if (choices.sheet() != null) {
            m.put("input_sheet", choices.sheet()); // as given: the refusal may be that the workbook has no such sheet
        }
        m.put("error", error);
        write(m);
    }

    /** A resume or retry refused before it started (damaged directory, changed query...). */
    public void refused(String what, String error) {
        Map<String, Object> m = base(null, "run", "refused");
        m.put("input", what);
        m.put("error", error);
        write(m);
    }

    /**
     * A run folder deleted from the UI's list of unfinished runs (or the attempt).
     *
     * @param directory the run folder
     * @param runId     its run id
     * @param error     why it could not be deleted, or null when it was
     */
    public void deleted(Path directory, String runId, String error) {
        Map<String, Object> m = base(runId, "delete", error == null ? "deleted" : "error");
        m.put("directory", directory.toString());
        if (error != null) {
            m.put("error", error);
        }
        write(m);
    }

    private Map<String, Object> base(String runId, String action, String outcome) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", Instant.now().toString());
        m.put("action", action);
        m.put("run_id", runId);
        m.put("outcome", outcome);
        m.put("os_user", System.getProperty("user.name"));
        m.put("host", hostName());
        m.put("firmquery_version", Version.current());
        if (target != null) {
            m.put("db_host", target.host());
            m.put("db_port", target.port());
            m.put("db_database", target.database());
            m.put("db_user", target.databaseUser());
            m.put("kerberos_principal", target.kerberosPrincipal());
        }
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
