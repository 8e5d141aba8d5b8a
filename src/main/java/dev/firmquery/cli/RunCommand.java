package dev.firmquery.cli;

import dev.firmquery.app.BatchFile;
import dev.firmquery.app.DatabaseSession;
import dev.firmquery.app.JobsRecord;
import dev.firmquery.app.OutputFolders;
import dev.firmquery.app.Preparation;
import dev.firmquery.app.RunExecutor;
import dev.firmquery.app.RunService;
import dev.firmquery.app.SessionMetrics;
import dev.firmquery.audit.AuditLog;
import dev.firmquery.config.AppConfig;
import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.exit.CommandFailure;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.exit.FirmqueryException;
import dev.firmquery.kerberos.HeadlessExpiredTicketHandler;
import dev.firmquery.run.BatchReport;
import dev.firmquery.run.RunException;
import dev.firmquery.run.RunStatus;
import dev.firmquery.run.store.BatchRecord;
import dev.firmquery.run.store.RunStore;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunSetup;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
    private final OutputFolders outputFolders;

    /**
     * @param env           the process environment (the audit line's host name)
     * @param queryRoots    where named queries are looked up
     * @param terminal      whether stderr is a terminal (the progress line is rewritten in place; SIGHUP cancels)
     * @param outputFolders the user's list of output folders used, which each run adds its folder to
     */
    RunCommand(Map<String, String> env, PrintStream out, PrintStream err, List<Path> queryRoots, boolean terminal,
               OutputFolders outputFolders) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.queryRoots = queryRoots;
        this.terminal = terminal;
        this.outputFolders = outputFolders;
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
        RunService service = new RunService(queryRoots, new AuditLog(env), Clock.systemDefaultZone(), outputFolders);
        RunRequest request = service.prepare(config, preparation);
        try (DatabaseSession db = service.connect(request, config, environment)) {
            Summary.preview(request, config, db.kerberos().orElse(null), err);
            HeadlessProgress progress = new HeadlessProgress(err, terminal);
            RunReport report;
            try (SessionMetrics metrics = SessionMetrics.start(config.metrics(), db)) {
                RunExecutor run = metrics.runners(db).create(progress, expiredTickets(config, progress));
                try (Signals.Installed signals = Signals.install(run::cancel, err, terminal)) {
                    report = service.execute(request, run);
                }
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
     * The choices shared by the jobs of {@code run --query A --query B ...}: the IDs, output folder,
     * formats, ID columns and parameter values of a new run; {@link #queries} names the jobs' queries.
     * Null when fewer than two {@code --query} are given (a single run, {@link #preparation}).
     *
     * @throws UsageException several queries with {@code --resume} or {@code --retry-failed} (those take
     *                        the query from the run directory), or no {@code --ids}
     */
    static RunSetup.Choices jobChoices(Args a, Path cwd, InputStream in) throws UsageException {
        if (queries(a).size() < 2) {
            return null;
        }
        if (a.value("resume") != null || a.value("retry-failed") != null) {
            throw new UsageException("--resume and --retry-failed take the query from the run directory; drop"
                    + " --query. Several queries resume as a whole with firmquery batch --resume <out>/.firmquery/batch-<id>"
                    + " (the summary prints the command), or each job's run directory on its own");
        }
        String ids = a.required("ids", "--ids firm_ids.csv (or --ids - for standard input)");
        Path out = a.value("out") == null ? null : cwd.resolve(a.value("out"));
        return RunSetup.Choices.of(ids.equals("-") ? null : cwd.resolve(ids), queries(a).get(0), out)
                .withStdin(in).withFormats(formats(a.value("format"))).withIdColumn(a.value("id-column"))
                .withIdColumnOut(a.value("id-column-out")).withSheet(a.value("sheet")).withParams(params(a));
    }

    /**
     * The {@code --query} options in the order given; a query named twice is refused (its two jobs would
     * write the same results twice).
     */
    static List<String> queries(Args a) throws UsageException {
        List<String> queries = a.all("query");
        if (new java.util.HashSet<>(queries).size() < queries.size()) {
            throw new UsageException("--query " + String.join(" --query ", queries) + ": a query is named twice;"
                    + " name each query once");
        }
        return queries;
    }

    /**
     * Runs several queries over one ID input, one after the other on one database session
     * ({@link RunService#prepareJobs}): each job is a run of its own, with its own run directory, result
     * files, missing list, report and summary; then one line per job. Ctrl-C cancels the job running and
     * the jobs after it are not started. A job that cannot be prepared or finish its files is reported
     * and the next one runs. The jobs are recorded as a batch ({@link BatchRecord#createForCommand}, their
     * batch file {@link BatchFile#text}), so that {@code firmquery batch --resume DIR} goes on with an
     * interrupted command where it stopped; not when the IDs come from standard input, which cannot be
     * read again (each job's run directory then resumes on its own).
     *
     * @return the worst of the jobs' exit codes ({@link ExitCode#worst})
     * @throws FirmqueryException a template, parameter value or the IDs cannot be used (before any job
     *                            runs), the database cannot be reached, or the thread was interrupted
     */
    ExitCode runJobs(AppConfig config, Map<String, String> environment, RunSetup.Choices choices,
                     List<String> queries, boolean keepWork) throws FirmqueryException {
        RunService service = new RunService(queryRoots, new AuditLog(env), Clock.systemDefaultZone(), outputFolders);
        List<RunService.ReadyJob> ready = service.prepareJobs(config, choices, queries);
        Path out = JobsRecord.outputFolder(choices.outDir(), config);
        java.util.Optional<BatchRecord> recorded = JobsRecord.create("firmquery run --query "
                + String.join(" --query ", queries) + ", recorded for firmquery batch --resume", out, choices.formats(),
                ready.stream().map(RunService.ReadyJob::job).toList(), queryRoots, Clock.systemDefaultZone());
        if (recorded.isEmpty()) {
            err.println("firmquery: the IDs come from standard input, which " + JobsRecord.NOT_RECORDED
                    + " (the summary prints the commands)");
            return runJobs(service, environment, ready, keepWork, "standard input", null);
        }
        BatchRecord record = recorded.get();
        try (BatchRecord r = record) {
            return runJobs(service, environment, ready, keepWork, choices.ids().toString(), r);
        } catch (IOException e) {
            throw new CommandFailure("cannot close the batch record " + record.directory() + ": " + e.getMessage(),
                    ExitCode.USAGE, e);
        }
    }

    /**
     * {@code firmquery batch FILE.yaml}, or its {@code --resume}: the jobs of the batch file
     * ({@link BatchFile}), as {@code run --query A --query B} runs them, recorded in a {@link BatchRecord}
     * so that an interrupted batch resumes where it stopped.
     *
     * @param resumed the record of the batch being resumed, or null for a new batch
     */
    ExitCode runBatch(AppConfig config, Map<String, String> environment, BatchFile batch, BatchRecord resumed,
                      boolean keepWork) throws FirmqueryException {
        RunService service = new RunService(queryRoots, new AuditLog(env), Clock.systemDefaultZone(), outputFolders);
        Set<Format> formats = formats(batch.formats());
        List<RunService.Job> jobs = new java.util.ArrayList<>();
        for (int i = 0; i < batch.jobs().size(); i++) {
            BatchFile.Job j = batch.jobs().get(i);
            RunSetup.Choices c = RunSetup.Choices.of(j.ids(), j.query(), batch.out()).withFormats(formats)
                    .withIdColumn(j.idColumn()).withIdColumnOut(j.idColumnOut()).withSheet(j.sheet()).withParams(j.params());
            jobs.add(new RunService.Job(String.format(Locale.ROOT, "job %d/%d %s", i + 1, batch.jobs().size(),
                    j.query()), batch.file() + ":" + j.line(), c, j.name()));
        }
        List<RunService.ReadyJob> ready = service.prepareJobs(config, jobs);
        BatchRecord record = resumed;
        if (record == null) {
            Path out = JobsRecord.outputFolder(batch.out(), config);
            try {
                record = BatchRecord.create(out, JobsRecord.newBatchId(Clock.systemDefaultZone()), batch.file(),
                        batch.sha256());
            } catch (IOException e) {
                throw new CommandFailure("cannot record the batch in " + out + ": " + e.getMessage()
                        + "; check that the output folder is writable", ExitCode.USAGE, e);
            }
        }
        // A command line's jobs read back from their record: over their ID file, as when they started.
        String over = record.recordsCommand() ? batch.jobs().get(0).ids().toString() : batch.file().toString();
        try (BatchRecord r = record) {
            return runJobs(service, environment, ready, keepWork, over, r);
        } catch (IOException e) {
            throw new CommandFailure("cannot close the batch record " + record.directory() + ": " + e.getMessage(),
                    ExitCode.USAGE, e);
        }
    }

    /**
     * {@code firmquery batch --resume DIR}: the batch recorded in {@code DIR}, from its batch file, which must
     * be as it was (its SHA-256); jobs that ended are not run again.
     */
    ExitCode resumeBatch(AppConfig config, Map<String, String> environment, Path dir, boolean keepWork)
            throws FirmqueryException {
        BatchRecord record;
        try {
            record = BatchRecord.open(dir, java.util.Arrays.stream(RunStatus.values()).map(Enum::name)
                    .collect(java.util.stream.Collectors.toSet()));
        } catch (IOException e) {
            throw new CommandFailure("cannot read the batch record " + dir + ": " + e.getMessage(), ExitCode.USAGE, e);
        }
        BatchFile batch = BatchFile.read(record.batchFile());
        if (!batch.sha256().equals(record.sha256())) {
            throw new UsageException("the batch file " + batch.file() + " changed since the batch started (SHA-256 "
                    + record.sha256() + ", now " + batch.sha256() + "); put it back as it was to resume, or run the"
                    + " edited file as a new batch");
        }
        return runBatch(config, environment, batch, record, keepWork);
    }

    private ExitCode runJobs(RunService service, Map<String, String> environment, List<RunService.ReadyJob> jobs,
                             boolean keepWork, String over, BatchRecord record) throws FirmqueryException {
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<RunExecutor> current = new java.util.concurrent.atomic.AtomicReference<>();
        List<String> lines = new java.util.ArrayList<>();
        List<BatchReport.Job> entries = new java.util.ArrayList<>();
        Path reportDir = null;
        Set<java.nio.file.attribute.PosixFilePermission> permissions = dev.firmquery.export.OutputFile.OWNER_READ_WRITE;
        ExitCode worst = ExitCode.COMPLETED;
        DatabaseSession db = null;
        SessionMetrics metrics = null;
        if (record != null) {
            // Printed first: a kill or a lost session leaves no summary to print it in.
            err.println("firmquery: jobs recorded in " + record.directory() + "; after an interruption: "
                    + resumeCommand(record));
        }
        try (Signals.Installed signals = Signals.install(() -> {
            cancelled.set(true);
            RunExecutor run = current.get();
            if (run != null) {
                run.cancel();
            }
        }, err, terminal)) {
            for (int i = 0; i < jobs.size(); i++) {
                RunService.ReadyJob job = jobs.get(i);
                String name = job.job().label();
                AppConfig config = job.config();
                BatchRecord.JobState state = record == null ? new BatchRecord.JobState(null, null, null) : record.job(i);
                Preparation preparation = job.preparation();
                if (state.runId() != null && state.ended() == null) {
                    Path runDir = RunStore.pathOf(state.result().getParent(), state.runId());
                    if (java.nio.file.Files.exists(runDir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        preparation = Preparation.resume(runDir, job.job().choices().params()); // went on where it stopped
                    } else if (java.nio.file.Files.exists(state.result(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        // Completed: its report is written and its run folder deleted, but the end was not recorded.
                        record.ended(i, RunStatus.COMPLETED.name());
                        state = record.job(i);
                    }
                }
                if (state.ended() != null) {
                    RunStatus ended = RunStatus.valueOf(state.ended()); // BatchRecord.open admits only these names
                    lines.add(name + ": " + ended.label() + " earlier, not run again (" + ended.exitCode() + ")");
                    entries.add(new BatchReport.Job(name, job.job().choices().query(), ended.label() + " earlier",
                            ended.exitCode(), state.runId(), state.result()));
                    reportDir = reportDir != null ? reportDir : state.result().getParent();
                    worst = worst.worst(ended.exitCode());
                    continue;
                }
                if (cancelled.get()) {
                    lines.add(name + ": not run (cancelled)");
                    entries.add(new BatchReport.Job(name, job.job().choices().query(), "not run", ExitCode.INTERRUPTED,
                            null, null));
                    worst = worst.worst(ExitCode.INTERRUPTED);
                    continue;
                }
                RunRequest request;
                try {
                    request = service.prepare(config, preparation.keepingWork(keepWork));
                } catch (RunException e) {
                    err.println("firmquery: " + name + ": " + e.getMessage());
                    lines.add(name + ": refused, " + e.exitCode());
                    entries.add(new BatchReport.Job(name, job.job().choices().query(), "refused", e.exitCode(), null, null));
                    worst = worst.worst(e.exitCode());
                    continue;
                }
                if (db == null) {
                    db = service.connect(request, config, environment);
                    metrics = SessionMetrics.start(config.metrics(), db);
                } else {
                    service.sameSession(request, config, db);
                }
                err.println("firmquery: " + name);
                Summary.preview(request, config, db.kerberos().orElse(null), err);
                HeadlessProgress progress = new HeadlessProgress(err, terminal);
                RunExecutor run = metrics.runners(db).create(progress, expiredTickets(config, progress));
                current.set(run);
                if (cancelled.get()) {
                    run.cancel(); // the signal came between the check above and current.set
                }
                if (record != null) {
                    JobsRecord.started(record, i, request);
                }
                reportDir = reportDir != null ? reportDir : request.output().directory();
                permissions = request.output().permissions();
                RunReport report;
                try {
                    report = service.execute(request, run);
                } catch (RunException e) {
                    err.println("firmquery: " + name + ": " + e.getMessage());
                    lines.add(name + ": failed, " + e.exitCode() + "; run directory " + request.runId());
                    entries.add(new BatchReport.Job(name, job.job().choices().query(), "failed", e.exitCode(),
                            request.runId(), null));
                    worst = worst.worst(e.exitCode());
                    continue;
                } finally {
                    current.set(null);
                    progress.close();
                }
                if (record != null) {
                    JobsRecord.ended(record, i, report);
                }
                out.println("firmquery: " + name);
                Summary.print(report, out);
                entries.add(new BatchReport.Job(name, job.job().choices().query(), report.status().label(),
                        report.exitCode(), report.runId(), request.output().reportJson()));
                lines.add(name + ": " + report.status().label() + ", " + report.exitCode()
                        + report.outputs().files().stream().findFirst().map(f -> ", " + f.path()).orElse(""));
                worst = worst.worst(report.exitCode());
            }
        } catch (IOException e) {
            throw new CommandFailure("cannot record the batch in " + record.directory() + ": " + e.getMessage()
                    + "; the jobs that ended are kept", ExitCode.USAGE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("interrupted; files of the finished chunks and jobs are kept"
                    + (record == null ? "" : "; go on with " + resumeCommand(record)), ExitCode.INTERRUPTED, e);
        } finally {
            try {
                if (metrics != null) {
                    metrics.close();
                }
            } catch (IOException e) {
                err.println("firmquery: the metrics: " + e.getMessage());
            } finally {
                if (db != null) {
                    db.close();
                }
            }
        }
        out.printf(Locale.ROOT, "firmquery: %d jobs over %s, %s%n", jobs.size(), over, worst);
        for (String line : lines) {
            out.println("  " + printableLine(line));
        }
        if (reportDir != null && java.nio.file.Files.isDirectory(reportDir)) {
            try {
                out.println("  report   " + BatchReport.write(reportDir, java.time.LocalDateTime.now(), over, entries,
                        worst, permissions));
            } catch (IOException e) {
                err.println("firmquery: cannot write the combined report in " + reportDir + ": " + e.getMessage()
                        + "; each job's own report is written");
            }
        }
        if (record != null) {
            if (record.allEnded(jobs.size())) {
                try {
                    record.delete();
                } catch (IOException e) {
                    err.println("firmquery: cannot delete the batch record " + record.directory() + ": " + e.getMessage());
                }
            } else {
                out.println("  resume   " + resumeCommand(record));
            }
        }
        out.flush();
        return worst;
    }

    /** The command that goes on with the batch of {@code record}: {@code firmquery batch --resume DIR}. */
    static String resumeCommand(BatchRecord record) {
        return JobsRecord.resumeCommand(record);
    }

    private static String printableLine(String line) {
        return dev.firmquery.text.TerminalText.printable(line);
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

    /**
     * With Kerberos every chunk first checks the ticket: renewed past half-life; expired for good -> wait
     * for kinit ({@code kerberos.expired_wait}), then stop as a resumable partial run. The wait's lines
     * go to stderr below a closed progress line.
     */
    private HeadlessExpiredTicketHandler expiredTickets(AppConfig config, HeadlessProgress progress) {
        return new HeadlessExpiredTicketHandler(line -> {
            progress.close();
            err.println(line);
        }, config.kerberos().expiredWait(), Clock.systemUTC());
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
