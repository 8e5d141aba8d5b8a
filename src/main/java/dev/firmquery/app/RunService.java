package dev.firmquery.app;

import dev.firmquery.audit.AuditLog;
import dev.firmquery.run.store.RunStore;
import dev.firmquery.run.store.UnfinishedRun;
import java.io.IOException;
import java.util.Optional;
import dev.firmquery.config.AppConfig;
import dev.firmquery.run.RunException;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunSetup;

import dev.firmquery.exit.ExitCode;
import dev.firmquery.ids.IdLoadResult;
import dev.firmquery.sql.QueryTemplate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both front ends call to run something: prepare a new run, a resume or a retry of failed
 * chunks ({@link Preparation}), connect, execute, and write the audit line of every outcome, refusals
 * included. The CLI runs one request per process; the UI one at a time on its run thread, each with
 * the configuration of that moment. Cancelling is {@link RunExecutor#cancel()}, from any thread.
 *
 * <pre>
 * RunRequest request = service.prepare(config, Preparation.newRun(choices)); // refused: audited, thrown
 * try (DatabaseSession db = service.connect(request, config, env)) {          // failed: audited, thrown
 *     RunReport report = service.execute(request, db.create(listener, tickets));
 * }
 * </pre>
 *
 * <p>Thread-safe: the audit log is, and the set of runs in progress is concurrent.
 */
public final class RunService {
    private static final Logger LOG = LoggerFactory.getLogger(RunService.class);
    /** Opens the database session of a run: {@link DatabaseSession#open} (a seam for the audit tests). */
    @FunctionalInterface
    interface Connector {
        DatabaseSession open(AppConfig config, Map<String, String> environment) throws SessionException;
    }

    private final List<Path> queryRoots;
    private final AuditLog audit;
    /** Where each connected run goes (host, port, database, user, principal), for its audit lines. */
    private final Map<String, AuditLog.Target> targets = new java.util.concurrent.ConcurrentHashMap<>();
    private final Clock clock;
    private final Connector connector;
    /** Where the folders of executed runs are remembered for the run history; null: nowhere. */
    private final OutputFolders outputFolders;
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    /**
     * @param queryRoots where named queries are looked up ({@link RunSetup#queryRoots})
     * @param audit      the audit trail
     * @param clock      wall clock for run ids and file names
     */
    public RunService(List<Path> queryRoots, AuditLog audit, Clock clock) {
        this(queryRoots, audit, clock, DatabaseSession::open, null);
    }

    /**
     * A service that also adds the output folder of every run it executes to {@code outputFolders}, so
     * the UI's run history finds the runs of headless and UI sessions alike.
     */
    public RunService(List<Path> queryRoots, AuditLog audit, Clock clock, OutputFolders outputFolders) {
        this(queryRoots, audit, clock, DatabaseSession::open, Objects.requireNonNull(outputFolders, "outputFolders"));
    }

    RunService(List<Path> queryRoots, AuditLog audit, Clock clock, Connector connector) {
        this(queryRoots, audit, clock, connector, null);
    }

    private RunService(List<Path> queryRoots, AuditLog audit, Clock clock, Connector connector,
                       OutputFolders outputFolders) {
        this.queryRoots = List.copyOf(queryRoots);
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.outputFolders = outputFolders;
    }

    /** The named-query folders this service prepares runs with. */
    public List<Path> queryRoots() {
        return queryRoots;
    }

    /**
     * Builds the request of {@code preparation} with {@code config}. A refusal (unusable input,
     * template, output folder or run directory) is written to the audit log - with the choices of a
     * new run, else with the preparation's description - and rethrown for the front end to show.
     */
    public RunRequest prepare(AppConfig config, Preparation preparation) throws RunException {
        try {
            return preparation.preparer().prepare(new RunSetup(config, queryRoots, clock));
        } catch (RunException e) {
            if (preparation.choices() != null) {
                audit.refused(preparation.choices(), e.getMessage());
            } else {
                audit.refused(preparation.description(), e.getMessage());
            }
            throw e;
        }
    }

    /**
     * One job of several: a new run with its own choices (query, parameter values, ID source).
     *
     * @param label    how messages and the summary name it, e.g. {@code job 2/3 firm_details}
     * @param origin   where it is written ({@code batch.yaml:7}), put before its refusals, or null
     * @param choices  the run's choices
     * @param fileName its output file name pattern instead of {@code output.filename_pattern}, or null
     */
    public record Job(String label, String origin, RunSetup.Choices choices, String fileName) {
        public Job {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(choices, "choices");
        }
    }

    /**
     * A job ready to be {@link #prepare prepared} with its configuration, just before it runs (so its file
     * names are picked after the files of the jobs before it exist: the same name stem in the same second
     * gets {@code _2}).
     */
    public record ReadyJob(Job job, AppConfig config, Preparation preparation) {
    }

    /**
     * The jobs of several queries over one ID input ({@code firmquery run --query A --query B}): each job
     * takes from {@code choices.params()} the values its template declares; a value that no template
     * declares is refused. Then as {@link #prepareJobs(AppConfig, List)}.
     *
     * @throws RunException (audited) a template, a parameter value or the ID input cannot be used
     */
    public List<ReadyJob> prepareJobs(AppConfig config, RunSetup.Choices choices, List<String> queries)
            throws RunException {
        return prepareJobs(config, choices, queries, null);
    }

    /**
     * As {@link #prepareJobs(AppConfig, RunSetup.Choices, List)}, over IDs already loaded and cleaned from
     * {@code choices}' source (the UI's input window loaded them for its preview), or null to load them.
     *
     * @throws RunException (audited) a template or a parameter value cannot be used
     */
    public List<ReadyJob> prepareJobs(AppConfig config, RunSetup.Choices choices, List<String> queries,
                                      IdLoadResult loaded) throws RunException {
        RunSetup setup = new RunSetup(config, queryRoots, clock);
        Set<String> declared = new java.util.HashSet<>();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            String query = queries.get(i);
            QueryTemplate template;
            try {
                template = setup.loadTemplate(query);
            } catch (RunException e) {
                audit.refused(choices.withQuery(query), e.getMessage());
                throw e;
            }
            choices.params().keySet().stream().filter(n -> template.parameter(n).isPresent()).forEach(declared::add);
            jobs.add(new Job(String.format(java.util.Locale.ROOT, "job %d/%d %s", i + 1, queries.size(), query), null,
                    choices.withQuery(query).withParams(own(template, choices.params())), null));
        }
        List<String> unknown = choices.params().keySet().stream().filter(n -> !declared.contains(n)).toList();
        if (!unknown.isEmpty()) {
            RunException e = new RunException("--param " + String.join(", ", unknown) + ": no query of "
                    + String.join(", ", queries) + " declares " + (unknown.size() == 1 ? "it" : "them")
                    + "; check the names with firmquery queries show NAME", ExitCode.USAGE);
            audit.refused(choices, e.getMessage());
            throw e;
        }
        return prepareJobs(config, jobs, loaded);
    }

    /**
     * The jobs of a batch: every template is loaded and its parameter values checked first (milliseconds,
     * where a million IDs take seconds), then each ID source is loaded and cleaned once for all the jobs
     * that read it - standard input can only be read once anyway.
     *
     * @throws RunException (audited) a template, a parameter value or an ID source cannot be used; the
     *                      message starts with the job's {@link Job#origin()}
     */
    public List<ReadyJob> prepareJobs(AppConfig config, List<Job> jobs) throws RunException {
        return prepareJobs(config, jobs, null);
    }

    private List<ReadyJob> prepareJobs(AppConfig config, List<Job> jobs, IdLoadResult loaded) throws RunException {
        RunSetup setup = new RunSetup(config, queryRoots, clock);
        List<QueryTemplate> templates = new ArrayList<>();
        for (Job job : jobs) {
            try {
                QueryTemplate template = setup.loadTemplate(job.choices().query());
                RunSetup.parameters(template, job.choices().params());
                templates.add(template);
            } catch (RunException e) {
                throw refused(job, e);
            }
        }
        Map<List<Object>, IdLoadResult> sources = new java.util.HashMap<>();
        List<ReadyJob> ready = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            Job job = jobs.get(i);
            RunSetup.Choices c = job.choices();
            List<Object> source = java.util.Arrays.asList(c.ids(), c.sheet(), c.idColumn());
            IdLoadResult ids = loaded != null ? loaded : sources.get(source);
            if (ids == null) {
                try {
                    ids = setup.loadIds(c);
                } catch (RunException e) {
                    throw refused(job, e);
                }
                sources.put(source, ids);
            }
            AppConfig own = job.fileName() == null ? config : config.withFilenamePattern(job.fileName());
            ready.add(new ReadyJob(job, own, Preparation.newRun(c, ids, templates.get(i))));
        }
        return List.copyOf(ready);
    }

    private RunException refused(Job job, RunException e) {
        RunException located = job.origin() == null ? e
                : new RunException(job.origin() + ": " + job.choices().query() + ": " + e.getMessage(), e.exitCode(), e);
        audit.refused(job.choices(), located.getMessage());
        return located;
    }

    /** The values of {@code given} that {@code template} declares, in their order. */
    private static Map<String, String> own(QueryTemplate template, Map<String, String> given) {
        Map<String, String> mine = new LinkedHashMap<>();
        given.forEach((name, value) -> {
            if (template.parameter(name).isPresent()) {
                mine.put(name, value);
            }
        });
        return mine;
    }

    /**
     * Records that {@code request} runs on {@code session}, opened by {@link #connect} for an earlier job of
     * the same batch, so its audit lines name the same target.
     */
    public void sameSession(RunRequest request, AppConfig config, DatabaseSession session) {
        targets.put(request.runId(), AuditLog.Target.of(config.database(), session.kerberos().orElse(null)));
    }

    /**
     * Opens the database session for {@code request} ({@link DatabaseSession#open}); a failed login or
     * pool set-up is audited as the run's error and rethrown.
     */
    public DatabaseSession connect(RunRequest request, AppConfig config, Map<String, String> environment)
            throws SessionException {
        try {
            DatabaseSession session = connector.open(config, environment);
            targets.put(request.runId(), AuditLog.Target.of(config.database(), session.kerberos().orElse(null)));
            return session;
        } catch (SessionException e) {
            audit.failed(request, e.getMessage());
            throw e;
        }
    }

    /**
     * Executes {@code request} on {@code executor} and audits how it ended: the report of a run that
     * ended (any status), or the error of one that could not run or finish its files. While it runs,
     * its id is in {@link #running()}. An interrupt of the calling thread cancels the run (the engine
     * writes what finished) and is passed on, not audited as an error.
     */
    public RunReport execute(RunRequest request, RunExecutor executor) throws RunException, InterruptedException {
        running.add(request.runId());
        AuditLog target = Optional.ofNullable(targets.remove(request.runId())).map(audit::with).orElse(audit);
        try {
            RunReport report = executor.execute(request);
            target.finished(request, report);
            return report;
        } catch (RunException e) {
            target.failed(request, e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            target.failed(request, String.valueOf(e));
            throw e;
        } finally {
            running.remove(request.runId());
            remember(request.output().directory());
        }
    }

    /**
     * The run's folder goes first in the list of folders used, whatever the run's end (a run that did not
     * finish leaves its working folder there for the history's resume). Not remembering it costs only that
     * folder's place in a later session's history, so a failure is logged, not thrown.
     */
    private void remember(Path folder) {
        if (outputFolders == null) {
            return;
        }
        try {
            outputFolders.remember(folder);
        } catch (IOException | RuntimeException e) {
            LOG.warn("the output folder {} is not added to the list of folders used ({}): {}", folder,
                    outputFolders.file(), e.getMessage());
        }
    }

    /**
     * The ids of the runs this service is executing now: never listed as unfinished, their locks never
     * probed, never deleted. A live, read-only view.
     */
    public Set<String> running() {
        return Collections.unmodifiableSet(running);
    }

    /**
     * Deletes an unfinished run's folder ({@link RunStore#delete}) and audits it, whether it worked or not.
     *
     * @throws IOException if the folder could not be deleted (the audit line carries the error)
     */
    public void deleteUnfinished(UnfinishedRun run) throws IOException {
        try {
            RunStore.delete(run);
            audit.deleted(run.directory(), run.runId(), null);
        } catch (IOException e) {
            audit.deleted(run.directory(), run.runId(), e.getMessage());
            throw e;
        }
    }
}
