package dev.firmquery.run;

import dev.firmquery.db.ConnectionSource;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.export.Column;
import dev.firmquery.run.store.NewRun;
import dev.firmquery.run.store.RunDirectory;
import dev.firmquery.run.store.RunSession;
import dev.firmquery.run.store.RunStore;
import dev.firmquery.run.store.RunStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Runs a prepared {@link RunRequest}: {@code thread_count} workers take chunks in order, run each on
 * the pooled connection they keep, with retries, append its rows (as CSV records and/or typed rows)
 * to their spool segments and hand a "done" record to the run journal; the calling thread writes the
 * spooled chunks to the final files strictly in chunk order, so the output is the same whatever the
 * timing of the workers (docs/architecture.md, "The data path").
 *
 * <p>Everything needed to finish the run lives in its {@link RunDirectory}: a run that is cancelled,
 * stopped, killed or loses its machine can be resumed, re-running only the chunks the journal does
 * not record as done, and gives byte-identical CSV files (docs/reliability.md, "The run directory and
 * the journal").
 *
 * <p>The steps are classes of their own: {@link QueryDescriber} (the columns, before any chunk runs;
 * {@link IdColumnCheck}), {@link Workers} with {@link ChunkRunner} (a chunk and its retries),
 * {@link ChunkFetch} (one attempt) and {@link HeldConnection}; {@link ChunkBoard} (the hand-off to the
 * writer), {@link WriterLoop} (the files, in chunk order) and {@link WorkFolderCleanup}. They log
 * under this class's name, the engine's one logger. {@link RunControl} holds the stop state they share.
 *
 * <p>One engine runs one request; {@link #cancel()} and {@link #stop} may be called from any thread.
 */
public final class RunEngine {
    /** The MDC key of the run id: every line the run's threads log carries it (logging.format json). */
    public static final String MDC_RUN_ID = "run_id";

    private static final Logger log = LoggerFactory.getLogger(RunEngine.class);

    private final ConnectionSource connections;
    private final RunListener listener;
    private final RandomGenerator jitter;
    private final Clock clock;

    private final RunControl control = new RunControl();
    private final AtomicBoolean used = new AtomicBoolean();
    /** Removes the folder of a completed run; a test seam, {@link RunStore#deleteCompleted} otherwise. */
    private WorkFolderCleanup cleanup = new WorkFolderCleanup(RunStore::deleteCompleted);
    /** Failures injected at the steps of publishing the files; a test seam, {@link PublishFaults#NONE} otherwise. */
    private PublishFaults publishFaults = PublishFaults.NONE;

    /**
     * @param connections where workers get connections (the pool)
     * @param listener    receives progress events
     * @param jitter      randomness for the retry backoff; seed it in tests
     * @param clock       time source for the report
     */
    public RunEngine(ConnectionSource connections, RunListener listener, RandomGenerator jitter, Clock clock) {
        this.connections = connections;
        this.listener = listener;
        this.jitter = jitter;
        this.clock = clock;
    }

    /**
     * Stops the run: no new chunk starts, running statements are cancelled, and the chunks finished
     * so far are written. Idempotent; safe from any thread (a signal handler, the UI).
     */
    public void cancel() {
        control.cancel();
    }

    /**
     * Stops the run like {@link #cancel()}, but as a partial run ({@code ExitCode.PARTIAL}) because of a condition the
     * user must fix (an expired Kerberos ticket, a database outage, a full disk); the reason goes
     * into the report. The run can be resumed.
     */
    public void stop(String reason) {
        control.stop(reason);
    }

    /** Test seam: inject failures at the steps of publishing the files. */
    void publishFaultsWith(PublishFaults faults) {
        this.publishFaults = faults;
    }

    /** Test seam: how the folder of a completed run is removed (a clean-up that fails, on NFS say). */
    void removeWorkWith(WorkFolderCleanup.Remover remover) {
        this.cleanup = new WorkFolderCleanup(remover);
    }

    /** Whether {@link #cancel()} or {@link #stop} was called. */
    public boolean isCancelled() {
        return control.isCancelled();
    }

    /**
     * Runs the request and writes its files. Blocks until the files are in place.
     *
     * @return the report of the run (also written as {@code <base>_report.json})
     * @throws RunException         when the run cannot start (cannot connect: {@code CONNECT}; the
     *                              database rejects the query: {@code USAGE}) or its files cannot be
     *                              written ({@code USAGE}; the run stays resumable)
     * @throws InterruptedException if the calling thread is interrupted; the run is cancelled first
     *                              and what was finished is written
     */
    public RunReport execute(RunRequest request) throws RunException, InterruptedException {
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException("a RunEngine runs one request; create a new one");
        }
        if (request.plan().size() == 0) {
            throw new RunException("there are no valid IDs to query in " + request.input().source()
                    + "; check the input file (see the invalid examples above)", ExitCode.USAGE);
        }
        Instant started = request.isResume() ? request.resume().started() : clock.instant();
        long startNanos = System.nanoTime();
        try (StatementWatch w = new StatementWatch()) {
            control.watchWith(w);
            return execute(request, started, startNanos);
        } finally {
            control.watchWith(null);
        }
    }

    private RunReport execute(RunRequest request, Instant started, long startNanos)
            throws RunException, InterruptedException {
        MDC.put(MDC_RUN_ID, request.runId());
        try {
            return executeNamed(request, started, startNanos);
        } finally {
            MDC.remove(MDC_RUN_ID);
        }
    }

    private RunReport executeNamed(RunRequest request, Instant started, long startNanos)
            throws RunException, InterruptedException {
        ConnectionSource connections = new NamedConnections(this.connections, request.runId());
        Described described = new QueryDescriber(connections, jitter, control).describe(request);
        RunDirectory runDir;
        RunSession session;
        try {
            runDir = request.isResume() ? request.resume().directory()
                    : RunDirectory.create(request.output().directory(), request.runId());
            try {
                Consumer<IOException> onFailure = e -> stop(cannotWriteWorkingFiles(runDir.path(), e));
                session = request.isResume()
                        ? RunSession.resume(runDir, request.output().formats(), request.output().csvFormulaGuard(),
                                request.output().csvDialect(), described.columns(), onFailure)
                        : RunSession.start(runDir, newRun(request), described.columns(), onFailure);
            } catch (IOException e) {
                throw new RunException("cannot write the run's working directory " + runDir.path() + ": " + e
                        + "; check free space and permissions there, or choose another --out", ExitCode.USAGE, e);
            }
        } catch (RunStoreException e) {
            throw new RunException(e.getMessage(), ExitCode.USAGE, e);
        }
        RunReport report;
        try (session) {
            report = run(new RunContext(request, described, runDir, session, connections, listener, jitter, control),
                    started, startNanos);
        } catch (IOException e) {
            throw new RunException("cannot close the run journal in " + runDir.path() + ": " + e, ExitCode.USAGE, e);
        }
        report = cleanup.removeWork(request, runDir.path(), report);
        log.info("run {} {}: {} rows, {} missing, {} failed chunks, {} not run, {} retries, {} ms{}", request.runId(),
                report.status().label(), report.counts().rows(), report.counts().missingIds(), report.chunks().failed(),
                report.chunks().notRun(), report.chunks().retries(), report.durationMs(),
                report.run().workDirectory() == null ? "" : "; resumable from " + report.run().workDirectory());
        listener.runFinished(report);
        return report;
    }

    /** Starts the workers and writes what they finish, in chunk order, on this thread. */
    private RunReport run(RunContext run, Instant started, long startNanos) throws RunException {
        RunRequest request = run.request();
        int done = request.isResume() ? request.resume().journal().done().size() : 0;
        log.info("run {} {}: {} ids in {} chunks ({} done before), query {} ({} columns), {} workers, directory {}",
                request.runId(), request.isResume() ? "resumed" : "started", request.plan().idCount(),
                request.plan().size(), done, request.template().name(), run.described().columns().size(),
                request.settings().threadCount(), run.runDir().path());
        listener.runStarted(request, run.described().columns());

        ChunkBoard board = new ChunkBoard(request);
        ChunkRunner runner = new ChunkRunner(run);
        Workers workers = new Workers(run, board, runner);
        workers.start();
        return new WriterLoop(run, clock, board, workers, runner, publishFaults).write(started, startNanos);
    }

    /** What the first session records in the run's folder. */
    private static NewRun newRun(RunRequest request) {
        OutputSpec o = request.output();
        return new NewRun(request.runId(), o.directory(), o.baseName(), o.formats(), o.csvGzip(), o.permissions(),
                request.idColumnOut(), request.template(), request.renderer().binding(), request.input(),
                request.plan(), request.effectiveConfig(), o.csvFormulaGuard(), o.csvDialect(),
                request.renderer().parameters());
    }

    /** Why the run stops when its working files cannot be written, with the fix. */
    static String cannotWriteWorkingFiles(Path runDir, IOException e) {
        return "cannot write the run's working files in " + runDir + " (" + e.getMessage() + "); free disk space "
                + "there, then finish the run with: " + RunStore.resumeCommand(runDir);
    }

    /**
     * The result columns, the index of the ID column and the server (from {@code version()}), learnt
     * before any chunk runs.
     */
    record Described(List<Column> columns, int idColumn, DatabaseServer server) {
        Described(List<Column> columns, int idColumn) {
            this(columns, idColumn, DatabaseServer.UNKNOWN);
        }
    }
}
