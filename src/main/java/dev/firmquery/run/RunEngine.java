package dev.firmquery.run;

import dev.firmquery.threads.NamedThreads;
import dev.firmquery.chunk.Chunk;
import dev.firmquery.chunk.ChunkPlan;
import dev.firmquery.db.Backoff;
import dev.firmquery.db.ConnectionSource;
import dev.firmquery.db.ErrorKind;
import dev.firmquery.db.RunStoppingException;
import dev.firmquery.db.SqlErrors;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.export.Column;
import dev.firmquery.export.JdbcColumns;
import dev.firmquery.ids.IdList;
import dev.firmquery.run.store.ChunkWriter;
import dev.firmquery.run.store.NewRun;
import dev.firmquery.run.store.RunDirectory;
import dev.firmquery.run.store.RunEnd;
import dev.firmquery.run.store.RunSession;
import dev.firmquery.run.store.RunStore;
import dev.firmquery.run.store.RunStoreException;
import dev.firmquery.run.store.SpooledChunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Runs a prepared {@link RunRequest}: {@code thread_count} workers take chunks in order, run each on
 * the pooled connection they keep, with retries, append its rows (as CSV records and/or typed rows)
 * to their spool segments and hand a "done" record to the run journal; the calling thread writes the
 * spooled chunks to the final files strictly in chunk order, so the output is the same whatever the
 * timing of the workers (issue #2, "Execution").
 *
 * <p>Everything needed to finish the run lives in its {@link RunDirectory}: a run that is cancelled,
 * stopped, killed or loses its machine can be resumed, re-running only the chunks the journal does
 * not record as done, and gives byte-identical CSV files (issue #5).
 *
 * <p>One engine runs one request; {@link #cancel()} and {@link #stop} may be called from any thread.
 */
public final class RunEngine {
    private static final Logger log = LoggerFactory.getLogger(RunEngine.class);

    /** How many chunks the workers may run ahead of the writer; bounds what is waiting to be written. */
    static final int LOOKAHEAD_CHUNKS = 64;
    /** The ID column's name when neither --id-column-out nor the input names one. */
    static final String DEFAULT_ID_COLUMN = "firm_root_id";

    private final ConnectionSource connections;
    private final RunListener listener;
    private final RandomGenerator jitter;
    private final Clock clock;

    private final AtomicBoolean cancelled = new AtomicBoolean();
    /** Why the run was stopped by the engine itself (not the user); null if it was not. */
    private volatile String stopReason;
    private final CountDownLatch cancelSignal = new CountDownLatch(1);
    /** Bounds and cancels the describe and every chunk's statement; lives as long as {@link #execute}. */
    private volatile StatementWatch watch;
    private final AtomicBoolean used = new AtomicBoolean();
    private final AtomicBoolean genericPlansUnsupported = new AtomicBoolean();
    /** The first unexpected throwable of a worker or the writer; null while there is none. */
    private final AtomicReference<InternalFault> fault = new AtomicReference<>();
    /** Removes the folder of a completed run; a test seam, {@link RunStore#deleteCompleted} otherwise. */
    private WorkRemover workRemover = RunStore::deleteCompleted;

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
        if (cancelled.compareAndSet(false, true)) {
            log.info("run cancel requested; cancelling the running statements");
            cancelSignal.countDown();
            StatementWatch w = watch;
            if (w != null) {
                w.cancelAll();
            }
        }
    }

    /**
     * Stops the run like {@link #cancel()}, but as a partial run ({@code ExitCode.PARTIAL}) because of a condition the
     * user must fix (an expired Kerberos ticket, a database outage, a full disk); the reason goes
     * into the report. The run can be resumed.
     */
    public void stop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
        log.warn("run stopping: {}", reason);
        cancel();
    }

    /**
     * Stops the run because of an unexpected throwable (a bug, or the JVM failing) in a worker or the
     * writer: the first one is logged with its stack trace and becomes the stop reason, the run ends
     * as {@link RunStatus#INTERNAL_ERROR} and stays resumable.
     */
    private void fault(String where, Throwable t) {
        InternalFault f = new InternalFault(where, t);
        if (fault.compareAndSet(null, f)) {
            log.error("internal error {}; stopping the run", where, t);
            stop(f.describe());
        } else {
            log.error("another internal error {} while the run stops", where, t);
        }
    }

    /** Removes a completed run's folder. */
    @FunctionalInterface
    interface WorkRemover {
        void remove(Path runFolder) throws IOException;
    }

    /** Test seam: how the folder of a completed run is removed (a clean-up that fails, on NFS say). */
    void removeWorkWith(WorkRemover remover) {
        this.workRemover = remover;
    }

    /** Whether {@link #cancel()} or {@link #stop} was called. */
    public boolean isCancelled() {
        return cancelled.get();
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
            watch = w;
            return execute(request, started, startNanos);
        } finally {
            watch = null;
        }
    }

    private RunReport execute(RunRequest request, Instant started, long startNanos)
            throws RunException, InterruptedException {
        Described described = describe(request);
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
            report = run(request, described, runDir, session, started, startNanos);
        } catch (IOException e) {
            throw new RunException("cannot close the run journal in " + runDir.path() + ": " + e, ExitCode.USAGE, e);
        }
        report = removeWork(request, runDir.path(), report);
        log.info("run {} {}: {} rows, {} missing, {} failed chunks, {} not run, {} retries, {} ms{}", request.runId(),
                report.status().label(), report.rows(), report.missingIds(), report.chunksFailed(),
                report.chunksNotRun(), report.retries(), report.durationMs(),
                report.workDirectory() == null ? "" : "; resumable from " + report.workDirectory());
        listener.runFinished(report);
        return report;
    }

    /**
     * Removes the folder of a completed run, once the session is closed (journal and its thread, spool
     * segments, lock: on NFS a file removed while open becomes a {@code .nfsXXXX} file and its folder
     * cannot be removed). Failing to clean up does not undo the run: it stays completed, with a warning
     * in the report, the summary and the log.
     */
    private RunReport removeWork(RunRequest request, Path runFolder, RunReport report) {
        if (report.workDirectory() != null) {
            return report;
        }
        try {
            workRemover.remove(runFolder);
            return report;
        } catch (IOException | RuntimeException e) {
            String warning = "the run completed, but its working directory " + runFolder
                    + " could not be removed (" + e.getMessage() + "); it holds a copy of the IDs and results:"
                    + " delete it by hand (rm -r " + runFolder + ")";
            log.warn(warning, e);
            RunReport warned = report.withWarning(warning);
            try {
                ReportJson.replace(warned, request.output().reportJson(), request.output().permissions());
            } catch (IOException | RuntimeException re) {
                log.warn("could not add the clean-up warning to {}", request.output().reportJson(), re);
            }
            return warned;
        }
    }

    /** What the first session records in the run's folder. */
    private static NewRun newRun(RunRequest request) {
        OutputSpec o = request.output();
        return new NewRun(request.runId(), o.directory(), o.baseName(), o.formats(), o.csvGzip(), o.permissions(),
                request.idColumnOut(), request.template(), request.renderer().binding(), request.input(),
                request.plan(), request.effectiveConfig(), o.csvFormulaGuard(), o.csvDialect());
    }

    /** Why the run stops when its working files cannot be written, with the fix. */
    private static String cannotWriteWorkingFiles(Path runDir, IOException e) {
        return "cannot write the run's working files in " + runDir + " (" + e.getMessage() + "); free disk space "
                + "there, then finish the run with: " + RunStore.resumeCommand(runDir);
    }

    /** How the journal records that the run ended as {@code status}. */
    private static RunEnd journalled(RunStatus status) {
        return switch (status) {
            case COMPLETED -> RunEnd.COMPLETED;
            case PARTIAL -> RunEnd.PARTIAL;
            case FAILED -> RunEnd.FAILED;
            case CANCELLED -> RunEnd.CANCELLED;
            case INTERNAL_ERROR -> RunEnd.INTERNAL_ERROR;
        };
    }

    private RunReport run(RunRequest request, Described described, RunDirectory runDir, RunSession session,
                          Instant started, long startNanos)
            throws RunException, InterruptedException {
        int done = request.isResume() ? request.resume().journal().done().size() : 0;
        log.info("run {} {}: {} ids in {} chunks ({} done before), query {} ({} columns), {} workers, directory {}",
                request.runId(), request.isResume() ? "resumed" : "started", request.plan().idCount(),
                request.plan().size(), done, request.template().name(), described.columns().size(),
                request.settings().threadCount(), runDir.path());
        listener.runStarted(request, described.columns());

        Shared shared = new Shared(request, described, runDir, session);
        List<Thread> workers = startWorkers(shared);
        OutputAssembler assembler = new OutputAssembler(request, described, listener, startNanos, runDir);
        boolean interrupted = false;
        boolean workersJoined = false;
        try {
            assembler.open();
            for (int i = 0; i < request.plan().size(); i++) {
                ChunkOutcome outcome;
                try {
                    outcome = shared.await(i);
                } catch (InterruptedException e) {
                    interrupted = true;
                    cancel();
                    outcome = shared.awaitUninterruptibly(i);
                }
                assembler.write(outcome);
                shared.lookahead.release();
            }
            joinAll(workers);
            workersJoined = true;
            try {
                session.flush(); // every chunk durable before the files that contain it are published
            } catch (IOException e) {
                // The journal's failure handler has stopped the run; chunks it could not record run again on resume.
                log.warn("the run journal is incomplete: {}", e.getMessage());
            }
            RunReport report = assembler.finish(started, clock.instant(), shared.retries.get(), stopReason,
                    fault.get() != null);
            try {
                for (RunReport.OutputFileInfo f : report.files()) {
                    session.published(f.kind(), f.path());
                }
                session.finished(journalled(report.status()));
            } catch (IOException e) {
                // The files are written; only the record of it failed. Say so, rather than blame the output directory.
                throw new RunException("the result files are in " + request.output().directory() + " (see "
                        + request.output().reportJson().getFileName() + "), but the run journal in " + runDir.path()
                        + " could not record them: " + e.getMessage() + "; free disk space there. The run directory is"
                        + " kept: resume it to rebuild the files, or delete it", ExitCode.USAGE, e);
            }
            return report;
        } catch (RuntimeException | Error e) {
            // The writer's state is unknown: give up its files, keep the journal, so that a resume writes them again.
            fault("while writing the output files", e);
            if (!workersJoined) {
                joinAll(workers);
            }
            return abandon(request, assembler, session, started, shared);
        } catch (IOException e) {
            cancel();
            joinAll(workers);
            throw new RunException("cannot write the output files in " + request.output().directory() + ": "
                    + e.getMessage() + "; free space or fix permissions there, then finish the run with: "
                    + RunStore.resumeCommand(runDir.path()), ExitCode.USAGE, e);
        } finally {
            assembler.closeQuietly();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Ends a run whose writer failed unexpectedly: its result files are discarded, a report of what
     * was done is written (best effort) and the run is journalled as an internal error, resumable.
     */
    private RunReport abandon(RunRequest request, OutputAssembler assembler, RunSession session, Instant started,
                              Shared shared) {
        try {
            session.flush();
        } catch (IOException e) {
            log.warn("the run journal is incomplete: {}", e.getMessage());
        }
        RunReport report = assembler.abandon(started, clock.instant(), shared.retries.get(), stopReason);
        try {
            for (RunReport.OutputFileInfo f : report.files()) {
                session.published(f.kind(), f.path());
            }
            session.finished(RunEnd.INTERNAL_ERROR);
        } catch (IOException | RuntimeException e) {
            log.warn("could not journal the end of run {}", request.runId(), e);
        }
        return report;
    }

    /** The result columns and the index of the ID column, learnt from the server before any chunk runs. */
    record Described(List<Column> columns, int idColumn) {
    }

    /**
     * Describes the statement, retrying a transient failure (a killed backend, a lost connection, a
     * serialization error) as a chunk would, up to {@code processing.max_retries} times: the describe
     * is the first statement of a run, so a failover that a chunk would ride out must not end the run.
     */
    private Described describe(RunRequest request) throws RunException {
        Backoff backoff = Backoff.of(request.settings().retryDelay());
        int maxAttempts = request.settings().maxRetries() + 1;
        for (int attempt = 1; ; attempt++) {
            try {
                return describeOnce(request);
            } catch (TransientDescribeFailure e) {
                if (attempt >= maxAttempts || cancelled.get()) {
                    throw e.failure;
                }
                Duration delay = backoff.delay(attempt, jitter);
                log.warn("Describing the query {} failed (attempt {}/{}), retrying in {} ms: {}",
                        request.template().name(), attempt, maxAttempts, delay.toMillis(), e.getMessage());
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new RunException("the run was interrupted while the database described the query "
                            + request.template().name() + "; nothing was run", RunStatus.CANCELLED.exitCode(), ie);
                }
            }
        }
    }

    /** A describe failure worth another try; carries the error to report when the tries run out. */
    private static final class TransientDescribeFailure extends Exception {
        final RunException failure;

        TransientDescribeFailure(RunException failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }

    private Described describeOnce(RunRequest request) throws RunException, TransientDescribeFailure {
        Chunk first = request.plan().get(0);
        IdList ids = request.input().ids();
        String sql = request.renderer().sql(ids, first.from(), first.to());
        Duration timeout = request.settings().queryTimeout();
        try (Connection con = connections.getConnection();
             PreparedStatement ps = con.prepareStatement(sql);
             StatementWatch.Watched watched = watch.watch(con, ps, timeout, "describing the query")) {
            ResultSetMetaData md;
            try {
                if (cancelled.get()) {
                    throw new SQLException("run cancelled", "57014");
                }
                request.renderer().bind(ps, ids, first.from(), first.to());
                // Parse and Describe: bounded by the watch and the session's statement_timeout, and
                // cancellable like any chunk, since a statement can take long to plan.
                md = ps.getMetaData();
            } catch (SQLException e) {
                throw watched.translate(e);
            }
            if (md == null || md.getColumnCount() == 0) {
                throw new RunException("the query " + request.template().name() + " returns no columns; "
                        + "it must be a SELECT whose result includes the ID column", ExitCode.USAGE);
            }
            List<Column> columns = JdbcColumns.columnsOf(md);
            return new Described(columns, idColumn(request, columns));
        } catch (SQLException e) {
            if (cancelled.get()) {
                throw new RunException("the run was cancelled while the database described the query "
                        + request.template().name() + "; nothing was run", RunStatus.CANCELLED.exitCode(), e);
            }
            ErrorKind kind = SqlErrors.classify(e, false);
            if (kind == ErrorKind.TIMEOUT) {
                throw new RunException("the database did not describe the query " + request.template().name()
                        + " within database.query_timeout (" + timeout.toMillis() / 1000.0 + " s): "
                        + SqlErrors.describe(e) + "; check the database's load, or raise database.query_timeout"
                        + " if planning this statement legitimately takes that long", ExitCode.CONNECT, e);
            }
            String state = SqlErrors.sqlState(e);
            boolean connection = kind == ErrorKind.TRANSIENT || (state != null && state.startsWith("28"));
            if (connection) {
                RunException failure = new RunException("cannot connect to the database: " + SqlErrors.describe(e)
                        + "; check database.host/port/database/user and that the server is reachable "
                        + "(firmquery check diagnoses it)", ExitCode.CONNECT, e);
                if (kind == ErrorKind.TRANSIENT) {
                    throw new TransientDescribeFailure(failure);
                }
                throw failure;
            }
            throw new RunException("the database rejected the query " + request.template().name()
                    + (request.template().source() == null ? "" : " (" + request.template().source() + ")")
                    + ": " + SqlErrors.describe(e) + "; fix the template and run again", ExitCode.USAGE, e);
        }
    }

    /**
     * The result column that holds the ID, for the list of IDs that returned no rows: the one named by
     * {@code --id-column-out}, else the one named like the input's ID column, else {@code firm_root_id}.
     * Never a guess: with none of them in the result, the run is refused (a wrong column would list
     * every ID as missing, or none).
     */
    private static int idColumn(RunRequest request, List<Column> columns) throws RunException {
        String wanted = request.idColumnOut();
        if (wanted != null && !wanted.isBlank()) {
            int at = indexOf(columns, wanted);
            if (at >= 0) {
                return at;
            }
            throw new RunException("the query " + request.template().name() + " has no result column '" + wanted
                    + "' (--id-column-out); its columns are " + labels(columns)
                    + ". Name the column that holds the ID, or add it to the SELECT list", ExitCode.USAGE);
        }
        List<String> candidates = new ArrayList<>();
        String inputName = request.input().columnName();
        if (inputName != null && !inputName.isBlank()) {
            candidates.add(inputName);
        }
        if (!candidates.contains(DEFAULT_ID_COLUMN)) {
            candidates.add(DEFAULT_ID_COLUMN);
        }
        for (String name : candidates) {
            int at = indexOf(columns, name);
            if (at >= 0) {
                return at;
            }
        }
        throw new RunException("the query " + request.template().name() + " returns no column named "
                + String.join(" or ", candidates.stream().map(c -> "'" + c + "'").toList())
                + ", so firmquery cannot tell which IDs returned no rows; its columns are " + labels(columns)
                + ". Name the ID column with --id-column-out NAME (firmquery run), or alias it in the SELECT list"
                + " (... AS " + candidates.get(0) + ")", ExitCode.USAGE);
    }

    private static int indexOf(List<Column> columns, String label) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).label().equalsIgnoreCase(label)) {
                return i;
            }
        }
        return -1;
    }

    private static String labels(List<Column> columns) {
        List<String> l = new ArrayList<>();
        for (Column c : columns) {
            l.add(c.label());
        }
        return String.join(", ", l);
    }

    // ---------------------------------------------------------------------------------------------
    // Workers

    /** State shared by the workers and the writing thread. */
    private final class Shared {
        final RunRequest request;
        final Described described;
        final RunDirectory runDir;
        final RunSession session;
        final AtomicInteger next = new AtomicInteger();
        final AtomicReferenceArray<ChunkOutcome> outcomes;
        final AtomicInteger workersAlive;
        final AtomicLong retries = new AtomicLong();
        final Semaphore lookahead = new Semaphore(LOOKAHEAD_CHUNKS);
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        final Backoff backoff;
        final OutageGuard outage;

        Shared(RunRequest request, Described described, RunDirectory runDir, RunSession session) {
            this.request = request;
            this.described = described;
            this.runDir = runDir;
            this.session = session;
            this.outcomes = new AtomicReferenceArray<>(request.plan().size());
            this.workersAlive = new AtomicInteger(request.settings().threadCount());
            this.backoff = Backoff.of(request.settings().retryDelay());
            this.outage = new OutageGuard(connections, request.settings().outageWait(), request.settings().retryDelay(),
                    jitter, listener, cancelSignal);
            if (request.isResume()) {
                // Chunks an earlier session finished are not run again: their spools are written as they are.
                for (SpooledChunk d : request.resume().journal().done().values()) {
                    Chunk c = request.plan().get(d.chunk() - 1);
                    outcomes.set(d.chunk() - 1, new ChunkOutcome(c, ChunkOutcome.State.SUCCEEDED, d.rows(), d.attempts(),
                            null, d));
                }
            }
        }

        boolean alreadyDone(int index) {
            return request.isResume() && request.resume().journal().done().containsKey(index + 1);
        }

        void publish(int index, ChunkOutcome outcome) {
            lock.lock();
            try {
                outcomes.set(index, outcome);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void workerDone() {
            lock.lock();
            try {
                workersAlive.decrementAndGet();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** The outcome of chunk {@code index}, waiting for it; NOT_RUN if every worker stopped without it. */
        ChunkOutcome await(int index) throws InterruptedException {
            lock.lock();
            try {
                while (outcomes.get(index) == null && workersAlive.get() > 0) {
                    changed.await();
                }
                return outcomeOrNotRun(index);
            } finally {
                lock.unlock();
            }
        }

        ChunkOutcome awaitUninterruptibly(int index) {
            lock.lock();
            try {
                while (outcomes.get(index) == null && workersAlive.get() > 0) {
                    changed.awaitUninterruptibly();
                }
                return outcomeOrNotRun(index);
            } finally {
                lock.unlock();
            }
        }

        private ChunkOutcome outcomeOrNotRun(int index) {
            ChunkOutcome o = outcomes.getAndSet(index, null);
            return o != null ? o : notRun(request.plan().get(index), 0);
        }
    }

    private List<Thread> startWorkers(Shared shared) {
        List<Thread> threads = new ArrayList<>();
        NamedThreads workers = NamedThreads.numbered("firmquery-worker"); // firmquery-worker-1, -2, ...
        for (int w = 1; w <= shared.request.settings().threadCount(); w++) {
            int worker = w;
            Thread t = workers.newThread(() -> workerLoop(shared, worker));
            threads.add(t);
            t.start();
        }
        return threads;
    }

    private void workerLoop(Shared shared, int worker) {
        HeldConnection held = null;
        ChunkPlan plan = shared.request.plan();
        int current = -1; // the chunk this worker owns and has not published
        try {
            held = new HeldConnection(shared.request.settings().genericPlans());
            while (!cancelled.get()) {
                try {
                    // Polled so that a cancel is seen even while the writer is stuck (disk full).
                    while (!shared.lookahead.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                        if (cancelled.get()) {
                            return;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                int index = shared.next.getAndIncrement();
                while (index < plan.size() && shared.alreadyDone(index)) {
                    index = shared.next.getAndIncrement();
                }
                if (index >= plan.size() || cancelled.get()) {
                    shared.lookahead.release();
                    return;
                }
                current = index;
                ChunkOutcome outcome = runChunk(shared, worker, held, plan.get(index));
                if (outcome.state() != ChunkOutcome.State.NOT_RUN) {
                    listener.chunkFinished(worker, outcome);
                }
                shared.publish(index, outcome);
                current = -1;
            }
        } catch (RuntimeException | Error e) {
            // Not a database or disk error (those are handled per chunk): a bug, or the JVM failing. Stop the
            // run rather than die silently, which left the writer waiting for this chunk for ever.
            fault("in worker " + worker + (current < 0 ? "" : " on chunk " + (current + 1) + "/" + plan.size()), e);
            if (current >= 0) {
                shared.publish(current, notRun(plan.get(current), 0));
            }
        } finally {
            if (held != null) {
                held.release();
            }
            shared.workerDone();
        }
    }

    /**
     * The pooled connection a worker keeps from one chunk to the next. Checking a connection out of
     * c3p0 and back for every chunk cost about 0.7 s of the 1M-ID benchmark's 12 s (proxies, resets,
     * check-in on c3p0's helper threads). Every chunk still runs in its own read-only transaction;
     * after any failure the connection goes back to the pool (which discards a broken one) and the
     * next attempt takes a fresh one. It is also given back every {@value #HOLD_CHUNKS} chunks or
     * {@value #HOLD_SECONDS} s, so that the pool's idle test and {@code max_connection_age} still apply.
     */
    private final class HeldConnection {
        static final int HOLD_CHUNKS = 256;
        static final int HOLD_SECONDS = 60;
        private final boolean genericPlans;
        private Connection connection;
        private int uses;
        private long since;

        HeldConnection(boolean genericPlans) {
            this.genericPlans = genericPlans;
        }

        Connection get() throws SQLException {
            if (connection != null && (uses >= HOLD_CHUNKS
                    || System.nanoTime() - since > TimeUnit.SECONDS.toNanos(HOLD_SECONDS))) {
                release();
            }
            if (connection == null) {
                Connection c = connections.getConnection();
                try {
                    if (genericPlans) {
                        preferGenericPlans(c);
                    }
                    c.setAutoCommit(false); // pgjdbc streams with a cursor (fetch size) only outside autocommit
                    c.setReadOnly(true);    // issue #2: queries run in read-only transactions, allow_writes or not
                } catch (SQLException | RuntimeException e) {
                    closeQuietly(c);
                    throw e;
                }
                connection = c;
                uses = 0;
                since = System.nanoTime();
            }
            uses++;
            return connection;
        }

        /**
         * {@code processing.generic_plans}: the chunk statement is the same text for every full chunk
         * and server-prepared by pgjdbc, but PostgreSQL's {@code plan_cache_mode = auto} re-plans it for
         * every chunk when a custom plan looks cheaper, as it does for 250-parameter IN lists (about 18 %
         * of the server's CPU in the benchmark). Session-wide, in autocommit, before the first chunk.
         */
        private void preferGenericPlans(Connection c) throws SQLException {
            try (Statement st = c.createStatement()) {
                st.execute("SET plan_cache_mode = force_generic_plan");
            } catch (SQLException e) {
                if (SqlErrors.isConnectionBroken(e)) {
                    throw e;
                }
                if (genericPlansUnsupported.compareAndSet(false, true)) {
                    log.info("the server does not accept plan_cache_mode ({}); chunks are planned as it decides",
                            SqlErrors.describe(e));
                }
            }
        }

        /** Gives the connection back to the pool (rolling back anything open); the next chunk takes another. */
        void release() {
            if (connection != null) {
                closeQuietly(connection);
                connection = null;
            }
        }

        private void closeQuietly(Connection c) {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                log.debug("giving a connection back to the pool failed (it may be broken)", e);
            }
        }
    }

    private ChunkOutcome runChunk(Shared shared, int worker, HeldConnection held, Chunk chunk) {
        RunRequest request = shared.request;
        int total = request.plan().size();
        RetryPolicy policy = new RetryPolicy(request.settings().maxRetries());
        try {
            shared.session.prepareWorker(worker);
        } catch (IOException e) {
            return diskTrouble(shared, chunk, 0, e);
        }
        boolean split = false;
        int attempts = 0;
        int counted = 0;
        while (true) {
            if (cancelled.get()) {
                return notRun(chunk, attempts);
            }
            attempts++;
            counted++;
            listener.chunkStarted(worker, chunk, attempts);
            try {
                SpooledChunk done = fetch(shared, chunk, worker, held, split, attempts);
                shared.session.done(done);
                shared.outage.success();
                return new ChunkOutcome(chunk, ChunkOutcome.State.SUCCEEDED, done.rows(), attempts, null, done);
            } catch (RunStoppingException e) {
                stop("chunk " + chunk.number() + "/" + total + ": " + e.getMessage());
                return notRun(chunk, attempts);
            } catch (SQLException e) {
                ErrorKind kind = SqlErrors.classify(e, cancelled.get());
                OutageGuard.Verdict outage = OutageGuard.Verdict.NO_OUTAGE;
                if (RetryPolicy.asksOutageGuard(kind, SqlErrors.isConnectionBroken(e))) {
                    try {
                        outage = shared.outage.failure(e);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return notRun(chunk, attempts);
                    }
                }
                String error = SqlErrors.describe(e);
                Optional<ChunkOutcome> end = switch (policy.decide(kind, outage, split, counted)) {
                    case NOT_RUN -> Optional.of(notRun(chunk, attempts));
                    case STOP_RUN -> {
                        if (!cancelled.get()) {
                            stop("the database was unreachable for longer than processing.outage_wait ("
                                    + request.settings().outageWait().toSeconds() + " s): "
                                    + shared.outage.lastError());
                        }
                        yield Optional.of(notRun(chunk, attempts));
                    }
                    case RETRY_AFTER_OUTAGE -> {
                        counted--; // an outage is not the chunk's fault: it does not use up its retries
                        shared.retries.incrementAndGet();
                        yield Optional.empty();
                    }
                    case SPLIT -> {
                        // A chunk that is too slow is usually too big: try once more in two halves.
                        split = true;
                        counted--;
                        shared.retries.incrementAndGet();
                        log.warn("chunk {}/{} ran longer than query_timeout; retrying it split in two halves: {}",
                                chunk.number(), total, error);
                        listener.chunkRetrying(worker, chunk, attempts, error + "; retrying split in two halves",
                                Duration.ZERO);
                        yield Optional.empty();
                    }
                    case RETRY -> {
                        Duration delay = shared.backoff.delay(counted, jitter);
                        shared.retries.incrementAndGet();
                        log.warn("chunk {}/{} attempt {}/{} failed with a transient error, retrying in {} ms: {}",
                                chunk.number(), total, counted, policy.maxAttempts(), delay.toMillis(), error);
                        listener.chunkRetrying(worker, chunk, attempts, error, delay);
                        yield backOff(delay) ? Optional.empty() : Optional.of(notRun(chunk, attempts));
                    }
                    case FAIL -> {
                        String message = failureMessage(chunk, total, attempts, kind, error, split, request);
                        log.error(message, e);
                        try {
                            shared.session.failed(chunk.number(), attempts, message);
                        } catch (IOException io) {
                            yield Optional.of(diskTrouble(shared, chunk, attempts, io));
                        }
                        yield Optional.of(new ChunkOutcome(chunk, ChunkOutcome.State.FAILED, 0, attempts, message,
                                null));
                    }
                };
                if (end.isPresent()) {
                    return end.get();
                }
            } catch (IOException e) {
                return diskTrouble(shared, chunk, attempts, e);
            }
        }
    }

    /**
     * Waits {@code delay} before a retry.
     *
     * @return false if the run was cancelled (or this worker interrupted) meanwhile: do not retry
     */
    private boolean backOff(Duration delay) {
        try {
            return !cancelSignal.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The spool or the journal cannot be written: stop cleanly, keep the run resumable. */
    private ChunkOutcome diskTrouble(Shared shared, Chunk chunk, int attempts, IOException e) {
        stop(cannotWriteWorkingFiles(shared.runDir.path(), e));
        log.error("chunk {} could not be spooled or journalled", chunk.number(), e);
        return notRun(chunk, attempts);
    }

    private static String failureMessage(Chunk chunk, int total, int attempts, ErrorKind kind, String error,
                                         boolean split, RunRequest request) {
        String head = "chunk " + chunk.number() + "/" + total + " (" + chunk.size() + " ids) failed"
                + (attempts > 1 ? " after " + attempts + " tries" : "") + ": " + error;
        return switch (kind) {
            case TIMEOUT -> head + "; it ran longer than database.query_timeout ("
                    + request.settings().queryTimeout().toSeconds() + " s)"
                    + (split ? " even split in two halves" : "") + ": lower processing.chunk_size or raise "
                    + "database.query_timeout";
            case TRANSIENT -> head + "; the error is transient: raise processing.max_retries or "
                    + "processing.retry_delay, or check the database's health";
            // CANCELLED never fails a chunk (RetryPolicy leaves it not run); listed for exhaustiveness.
            case PERMANENT, CANCELLED -> head + "; retrying cannot help: fix the query or the data it reads";
        };
    }

    /**
     * Runs the chunk (or its two halves) and appends its rows to the worker's segments: CSV records
     * and/or typed rows, whichever the run writes. The ranges are complete (not yet forced: the
     * journal does that) on return; a failed attempt cuts the segments back, leaving nothing.
     */
    private SpooledChunk fetch(Shared shared, Chunk chunk, int worker, HeldConnection held, boolean split,
                               int attempts) throws SQLException, IOException {
        connections.beforeChunk();
        try (ChunkWriter spool = shared.session.openChunk(worker, chunk.number(), attempts)) {
            Column idColumn = shared.described.columns().get(shared.described.idColumn());
            Sink sink = new Sink(spool, new IdMatcher(shared.request.input().ids(), chunk,
                    IdMatcher.isBlankPadded(idColumn.typeName())), new BitSet(chunk.size()), shared.described.idColumn());
            if (split && chunk.size() > 1) {
                int mid = chunk.from() + chunk.size() / 2;
                fetchRange(shared, chunk, chunk.from(), mid, sink, held);
                fetchRange(shared, chunk, mid, chunk.to(), sink, held);
            } else {
                fetchRange(shared, chunk, chunk.from(), chunk.to(), sink, held);
            }
            BitSet missing = new BitSet(chunk.size());
            missing.set(0, chunk.size());
            missing.andNot(sink.found);
            return spool.finish(missing);
        }
    }

    /** Where a chunk's rows go: its spool, and the record of which of its IDs came back. */
    private static final class Sink {
        final ChunkWriter spool;
        final IdMatcher matcher;
        final BitSet found;
        final int idColumn;

        Sink(ChunkWriter spool, IdMatcher matcher, BitSet found, int idColumn) {
            this.spool = spool;
            this.matcher = matcher;
            this.found = found;
            this.idColumn = idColumn;
        }

        void row(Object[] row) throws IOException {
            spool.row(row);
            matcher.mark(row[idColumn], found);
        }
    }

    private void fetchRange(Shared shared, Chunk chunk, int from, int to, Sink out, HeldConnection held)
            throws SQLException, IOException {
        RunRequest request = shared.request;
        int n = shared.described.columns().size();
        String sql = request.renderer().sql(request.input().ids(), from, to);
        Connection con = held.get();
        boolean ended = false;
        try {
            try (PreparedStatement ps = con.prepareStatement(sql);
                 StatementWatch.Watched watched = watch.watch(con, ps, request.settings().queryTimeout(),
                         "chunk " + chunk.number() + "/" + request.plan().size())) {
                try {
                    if (cancelled.get()) {
                        throw new SQLException("run cancelled", "57014");
                    }
                    // No setQueryTimeout: it covers only executeQuery, not the rows streamed after it;
                    // the watch bounds both, from here to the last row.
                    ps.setFetchSize(request.settings().fetchSize());
                    request.renderer().bind(ps, request.input().ids(), from, to);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.getMetaData().getColumnCount() != n) {
                            throw new SQLException("chunk " + chunk.number() + " returned "
                                    + rs.getMetaData().getColumnCount() + " columns, the first chunk " + n
                                    + "; the query must return the same columns for every chunk", "42000");
                        }
                        Object[] row = new Object[n];
                        List<Column> columns = shared.described.columns();
                        while (rs.next()) {
                            if (watched.timedOut() || cancelled.get()) {
                                // The cancel may have met the backend idle between two fetches.
                                watched.checkDeadline();
                                throw new SQLException("run cancelled", "57014");
                            }
                            JdbcColumns.readRow(rs, columns, row);
                            out.row(row);
                        }
                    }
                } catch (SQLException e) {
                    throw watched.translate(e);
                }
            }
            // Rolled back, not committed: the transaction is read-only, so nothing is lost, and whatever
            // the template changed in the session inside it (set_config(..., false), SET search_path
            // from a function) is undone before the next chunk runs on this connection. Same round trip
            // as a COMMIT (docs/reliability.md, "Shared host").
            con.rollback();
            ended = true;
        } finally {
            if (!ended) {
                held.release(); // a retry, or the next chunk, gets a fresh connection
            }
        }
    }

    private static ChunkOutcome notRun(Chunk chunk, int attempts) {
        return new ChunkOutcome(chunk, ChunkOutcome.State.NOT_RUN, 0, attempts, null, null);
    }

    private static void joinAll(List<Thread> threads) {
        boolean interrupted = false;
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
