package dev.firmquery.cli;

import dev.firmquery.app.DatabaseSession;
import dev.firmquery.app.Preparation;
import dev.firmquery.app.RunExecutor;
import dev.firmquery.app.RunService;
import dev.firmquery.audit.AuditLog;
import dev.firmquery.config.AppConfig;
import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.exit.CommandFailure;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.exit.FirmqueryException;
import dev.firmquery.kerberos.HeadlessExpiredTicketHandler;
import dev.firmquery.metrics.MetricsExport;
import dev.firmquery.metrics.RunMetrics;
import dev.firmquery.run.RunListener;
import dev.firmquery.run.Version;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunSetup;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code firmquery run} (and {@code demo --headless}): one run through the {@link RunService}, without
 * a screen. The preview goes to stderr, then the progress line; the summary to stdout; Ctrl-C and
 * SIGTERM cancel the run (the files of the finished chunks are written).
 */
final class RunCommand {
    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final List<Path> queryRoots;
    private final boolean terminal;

    /**
     * @param env        the process environment (the audit line's host name)
     * @param queryRoots where named queries are looked up
     * @param terminal   whether stderr is a terminal (the progress line is rewritten in place; SIGHUP cancels)
     */
    RunCommand(Map<String, String> env, PrintStream out, PrintStream err, List<Path> queryRoots, boolean terminal) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.queryRoots = queryRoots;
        this.terminal = terminal;
    }

    /**
     * What {@code firmquery run} options ask for: a new run from {@code --ids} and {@code --query}, or
     * {@code --resume} / {@code --retry-failed} of a run directory, with {@code --keep-work}.
     *
     * @param cwd the directory relative paths are resolved against
     * @param in  standard input, for {@code --ids -}
     * @throws UsageException the options contradict each other or a required one is missing
     */
    static Preparation preparation(Args a, Path cwd, InputStream in) throws UsageException {
        String resume = a.value("resume");
        String retry = a.value("retry-failed");
        boolean keepWork = a.flag("keep-work");
        if (resume != null || retry != null) {
            if (resume != null && retry != null) {
                throw new UsageException("--resume and --retry-failed are alternatives; give one run directory");
            }
            if (a.value("ids") != null || a.value("query") != null || a.value("out") != null
                    || a.value("format") != null || a.value("sheet") != null) {
                throw new UsageException("--" + (resume != null ? "resume" : "retry-failed") + " takes the IDs, query "
                        + "and output files from the run directory; drop --ids, --sheet, --query, --out and --format");
            }
            Map<String, String> params = params(a);
            Preparation p = resume != null ? Preparation.resume(cwd.resolve(resume), params)
                    : Preparation.retryFailed(cwd.resolve(retry), params);
            return p.keepingWork(keepWork);
        }
        String ids = a.required("ids", "--ids firm_ids.csv (or --ids - for standard input)");
        String query = a.required("query", "--query firm_details (a name under sql/queries/) or --query my.sql");
        Path out = a.value("out") == null ? null : cwd.resolve(a.value("out"));
        RunSetup.Choices choices = RunSetup.Choices.of(ids.equals("-") ? null : cwd.resolve(ids), query, out)
                .withStdin(in).withFormats(formats(a.value("format"))).withIdColumn(a.value("id-column"))
                .withIdColumnOut(a.value("id-column-out")).withSheet(a.value("sheet")).withParams(params(a));
        return Preparation.newRun(choices).keepingWork(keepWork);
    }

    /**
     * Prepares, connects, executes and audits one run: preview on stderr, progress, summary on stdout.
     *
     * @param environment the environment for the database password or the Kerberos settings
     * @return how the run ended ({@link RunReport#exitCode()})
     * @throws FirmqueryException the run was refused, cannot connect, cannot finish its files, or the
     *                            thread was interrupted
     */
    ExitCode run(AppConfig config, Map<String, String> environment, Preparation preparation)
            throws FirmqueryException {
        RunService service = new RunService(queryRoots, new AuditLog(env), Clock.systemDefaultZone());
        RunRequest request = service.prepare(config, preparation);
        try (DatabaseSession db = service.connect(request, config, environment)) {
            Summary.preview(request, config, db.kerberos().orElse(null), err);
            HeadlessProgress progress = new HeadlessProgress(err, terminal);
            RunMetrics metrics = metrics(config, db);
            // With Kerberos every chunk first checks the ticket: renewed past half-life; expired for good
            // -> wait for kinit (kerberos.expired_wait), then stop as a resumable partial run.
            RunExecutor run = db.create(metrics == null ? progress : RunListener.all(progress, metrics),
                    new HeadlessExpiredTicketHandler(line -> {
                        progress.close();
                        err.println(line);
                    }, config.kerberos().expiredWait(), Clock.systemUTC()));
            RunReport report;
            try (MetricsExport export = metrics == null ? null : startExport(config, metrics);
                 Signals.Installed signals = Signals.install(run::cancel, err, terminal)) {
                report = service.execute(request, run);
            } catch (IOException e) {
                throw new CommandFailure("the metrics: " + e.getMessage(), ExitCode.USAGE, e);
            } finally {
                progress.close();
            }
            Summary.print(report, out);
            return report.exitCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("interrupted; files of the finished chunks are kept", ExitCode.INTERRUPTED, e);
        }
    }

    /**
     * The {@code --param NAME=VALUE} options by name, in the order given. The value is everything after the
     * first {@code =} (it may hold more); a name given twice is refused, since a list is one value
     * ({@code --param countries=DE,FR}).
     */
    static Map<String, String> params(Args a) throws UsageException {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        for (String given : a.all("param")) {
            int eq = given.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--param " + given + ": write NAME=VALUE, e.g. --param since=2026-01-01"
                        + " (firmquery queries show NAME lists a query's parameters)");
            }
            String name = given.substring(0, eq).strip();
            if (params.putIfAbsent(name, given.substring(eq + 1)) != null) {
                throw new UsageException("--param " + name + " is given twice; give each parameter once (a list is"
                        + " one value, comma-separated: --param " + name + "=A,B)");
            }
        }
        return params;
    }

    /** The run's metrics when {@code output.metrics_file} or {@code metrics.port} asks for them, else null. */
    private static RunMetrics metrics(AppConfig config, DatabaseSession db) {
        if (config.metrics().file() == null && config.metrics().port() == 0) {
            return null;
        }
        return new RunMetrics(Version.current(), db::poolState,
                db.kerberos().<Supplier<Instant>>map(k -> () -> k.status().expires()).orElse(null), Clock.systemUTC());
    }

    private static MetricsExport startExport(AppConfig config, RunMetrics metrics) throws CommandFailure {
        try {
            return MetricsExport.start(config.metrics(), metrics.registry());
        } catch (IOException e) {
            throw new CommandFailure(e.getMessage(), ExitCode.USAGE, e);
        }
    }

    /**
     * {@code --metrics-file PATH} and {@code --metrics-port N}, over {@code output.metrics_file} and
     * {@code metrics.port}.
     *
     * @throws UsageException the port is not a number from 1 to 65535
     */
    static AppConfig.Metrics metricsOptions(Args a, Path cwd, AppConfig.Metrics base) throws UsageException {
        String file = a.value("metrics-file");
        String port = a.value("metrics-port");
        Integer number = null;
        if (port != null) {
            try {
                number = Integer.parseInt(port.trim());
            } catch (NumberFormatException e) {
                number = -1;
            }
            if (number < 1 || number > 65_535) {
                throw new UsageException("--metrics-port " + port + ": expected a TCP port from 1 to 65535");
            }
        }
        return base.with(file == null ? null : cwd.resolve(file), number);
    }

    /** {@code --format csv,xlsx}: the formats named, or null when the option is not given. */
    static Set<Format> formats(String value) throws UsageException {
        if (value == null) {
            return null;
        }
        Set<Format> formats = EnumSet.noneOf(Format.class);
        for (String f : value.split(",")) {
            switch (f.trim().toLowerCase(Locale.ROOT)) {
                case "csv" -> formats.add(Format.CSV);
                case "xlsx", "excel" -> formats.add(Format.XLSX);
                case "jsonl" -> formats.add(Format.JSONL);
                case "" -> {
                }
                default -> throw new UsageException("--format " + value + ": unknown format '" + f.trim()
                        + "'; use csv, xlsx, jsonl or a list such as csv,xlsx");
            }
        }
        if (formats.isEmpty()) {
            throw new UsageException("--format " + value + ": name at least one format: csv, xlsx, jsonl or a list such as csv,xlsx");
        }
        return formats;
    }
}
