package dev.firmquery.cli;

import dev.firmquery.chunk.ChunkPlanner;
import dev.firmquery.config.AppConfig;
import dev.firmquery.export.XlsxResultWriter;
import dev.firmquery.ids.IdLoadResult;
import dev.firmquery.ids.IdStats;
import dev.firmquery.ids.InvalidValue;
import dev.firmquery.kerberos.KerberosSession;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunStatus;
import dev.firmquery.run.Timings;
import dev.firmquery.run.TimingsText;
import dev.firmquery.run.store.RunStore;
import dev.firmquery.sql.BuiltInQueries;
import dev.firmquery.text.TerminalText;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;

import static dev.firmquery.text.TerminalText.printable;

/** The text a headless run prints before it starts (what was kept and why) and after it ends. */
final class Summary {
    private static final int EXAMPLES_SHOWN = 5;

    private Summary() {
    }

    /** What was loaded, what was dropped and why, and the plan. */
    static void preview(RunRequest request, AppConfig config, PrintStream err) {
        preview(request, config, null, err);
    }

    /**
     * What was loaded, what was dropped and why, the plan, and with Kerberos the principal and the
     * ticket's expiry.
     *
     * @param kerberos the logged-in session, or null with password authentication
     */
    static void preview(RunRequest request, AppConfig config, KerberosSession kerberos, PrintStream err) {
        IdLoadResult in = request.input();
        IdStats s = in.stats();
        err.printf(Locale.ROOT, "ids:   %s%s: %,d values on %,d lines -> %,d valid, %,d duplicates, %,d invalid, %,d blank%n",
                in.source(), in.sheet() == null ? "" : ", sheet '" + printable(in.sheet()) + "'", s.values(), s.lines(), s.valid(), s.duplicates(), s.invalid(), s.blank());
        int shown = 0;
        for (InvalidValue v : in.invalidExamples()) {
            if (shown++ == EXAMPLES_SHOWN) {
                break;
            }
            err.printf(Locale.ROOT, "       line %d: '%s': %s%n", v.line(), printable(v.value()), printable(v.reason()));
        }
        if (s.invalid() > EXAMPLES_SHOWN) {
            err.printf(Locale.ROOT, "       (%,d invalid in all; the first %d are in the report)%n", s.invalid(),
                    in.invalidExamples().size());
        }
        for (String w : in.warnings()) {
            err.println("       warning: " + printable(w));
        }
        err.printf(Locale.ROOT, "query: %s%s (sha256 %s)%n", request.template().name(),
                request.template().source() == null ? "" : " " + BuiltInQueries.describe(request.template().source()),
                request.template().sha256().substring(0, 12));
        for (var v : request.renderer().parameters().values()) {
            err.printf(Locale.ROOT, "       %s = %s%s%n", v.parameter().name(), printable(v.text()),
                    v.fromDefault() ? " (default)" : "");
        }
        err.printf(Locale.ROOT, "plan:  %s; %d workers, %s binding%n", ChunkPlanner.describe(request.plan()),
                request.settings().threadCount(), config.processing().idBinding().name().toLowerCase(Locale.ROOT));
        err.printf(Locale.ROOT, "db:    %s as %s (%s auth)%n", config.database().host() + ":" + config.database().port()
                + "/" + config.database().database(), kerberos == null ? config.database().user() : kerberos.databaseUser(),
                config.database().auth().name().toLowerCase(Locale.ROOT));
        if (kerberos != null) {
            err.printf(Locale.ROOT, "krb:   %s; %s%n", kerberos.status().describe(Instant.now(), ZoneId.systemDefault()),
                    kerberos.status().source());
        }
        err.printf(Locale.ROOT, "out:   %s/%s.*%n", request.output().directory(), request.output().baseName());
        if (request.isResume()) {
            err.printf(Locale.ROOT, "resume: run %s, %,d of %,d chunks done before; the rest runs now%n",
                    request.runId(), request.resume().journal().done().size(), request.plan().size());
        }
        err.flush();
    }

    /**
     * The outcome, counts and files; on stdout so scripts can keep it. Text from the server (errors, the
     * stop reason) is made {@link TerminalText#printable printable}, as the UI shows it.
     */
    static void print(RunReport r, PrintStream out) {
        out.printf(Locale.ROOT, "firmquery: %s in %s%n", r.status().label(),
                HeadlessProgress.clock(Duration.ofMillis(r.durationMs())));
        out.println("  server   " + printable(r.run().server().label()) + ", plan_cache_mode "
                + r.run().planCacheMode().label());
        if (!r.query().parameters().isEmpty()) {
            java.util.List<String> values = new java.util.ArrayList<>();
            r.query().parameters().forEach((name, value) -> values.add(name + "=" + value));
            out.println("  params   " + printable(String.join(", ", values)));
        }
        if (r.source().sheet() != null) {
            out.println("  ID sheet " + printable(r.source().sheet()));
        }
        out.printf(Locale.ROOT, "  ids      %,d valid (%,d duplicates, %,d invalid dropped)%n", r.source().ids().valid(),
                r.source().ids().duplicates(), r.source().ids().invalid());
        out.printf(Locale.ROOT, "  chunks   %,d: %,d succeeded, %,d failed%s, %,d retries%n", r.chunks().total(),
                r.chunks().succeeded(), r.chunks().failed(), r.chunks().notRun() > 0 ? ", " + r.chunks().notRun() + " not run" : "",
                r.chunks().retries());
        out.printf(Locale.ROOT, "  rows     %,d%n", r.counts().rows());
        out.printf(Locale.ROOT, "  missing  %,d ids returned no rows%n", r.counts().missingIds());
        if (r.counts().failedIds() > 0) {
            out.printf(Locale.ROOT, "  failed   %,d ids in failed chunks (listed in the _failed.csv file)%n", r.counts().failedIds());
        }
        if (r.counts().notRunIds() > 0) {
            out.printf(Locale.ROOT, "  not run  %,d ids (%s)%n", r.counts().notRunIds(),
                    r.run().stopReason() == null ? "cancelled before their chunk ran" : "stopped: " + printable(r.run().stopReason()));
        } else if (r.status() == RunStatus.INTERNAL_ERROR && r.run().stopReason() != null) {
            out.println("  stopped  " + printable(r.run().stopReason()));
        }
        if (r.outputs().xlsxCuts().count() > 0) {
            out.printf(Locale.ROOT, "  cut      %,d XLSX cells at Excel's %,d characters, the first at %s; the CSV holds"
                    + " them whole%n", r.outputs().xlsxCuts().count(), XlsxResultWriter.CELL_TEXT_LIMIT,
                    printable(r.outputs().xlsxCuts().firstCell()));
        }
        if (r.timings().chunksTimed() > 0) {
            Timings t = r.timings();
            out.println("  latency  " + TimingsText.latency(t));
            out.println("  rate     " + TimingsText.rates(t));
            out.println("  time     " + TimingsText.split(t));
            out.println("  retried  " + TimingsText.retries(t));
            for (Timings.SlowChunk c : t.slowest().subList(0, Math.min(3, t.slowest().size()))) {
                out.println("  slow     " + printable(TimingsText.slow(c)));
            }
        }
        String label = "  files";
        for (RunReport.OutputFileInfo f : r.outputs().files()) {
            out.printf(Locale.ROOT, "%-10s %s (%s)%n", label, f.path(), bytes(f.bytes()));
            label = "";
        }
        for (RunReport.ChunkFailure f : r.outputs().failures().subList(0, Math.min(3, r.outputs().failures().size()))) {
            out.println("  error    " + printable(f.error()));
        }
        for (String w : r.outputs().warnings()) {
            out.println("  warning  " + printable(w));
        }
        if (r.run().workDirectory() != null) {
            out.println(switch (r.status()) {
                case COMPLETED -> "  work     kept in " + r.run().workDirectory() + " (--keep-work)";
                case PARTIAL, FAILED -> "  resume   " + (r.chunks().notRun() > 0
                        ? RunStore.resumeCommand(r.run().workDirectory()) : RunStore.retryFailedCommand(r.run().workDirectory()));
                case CANCELLED, INTERNAL_ERROR -> "  resume   " + RunStore.resumeCommand(r.run().workDirectory());
            });
        }
        out.flush();
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", n / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GB", n / (1024.0 * 1024 * 1024));
    }
}
