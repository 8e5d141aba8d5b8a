package dev.firmquery.run;

import dev.firmquery.chunk.Chunk;
import dev.firmquery.chunk.ChunkPlan;
import dev.firmquery.db.Backoff;
import dev.firmquery.db.ConnectionSource;
import dev.firmquery.db.Database;
import dev.firmquery.db.ErrorKind;
import dev.firmquery.db.RunStoppingException;
import dev.firmquery.db.SqlErrors;
import dev.firmquery.export.ChunkSpool;
import dev.firmquery.export.Column;
import dev.firmquery.export.JdbcColumns;
import dev.firmquery.ids.IdList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
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
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/**
 * Runs a prepared {@link RunRequest}: {@code thread_count} workers take chunks in order, run each on
 * a pooled connection with retries, and spool its rows to a per-chunk file; the calling thread writes
 * the spools to the final files strictly in chunk order, so the output is the same whatever the
 * timing of the workers (issue #2, "Execution"). Spooling per chunk is also what the run journal and
 * {@code --resume} of issue #5 build on.
 *
 * <p>One engine runs one request; {@link #cancel()} may be called from any thread.
 */
public final class RunEngine {
    private static final Logger log = LoggerFactory.getLogger(RunEngine.class);

    /** How many chunks the workers may run ahead of the writer; bounds the spool on disk. */
    static final int LOOKAHEAD_CHUNKS = 64;

    private final ConnectionSource connections;
    private final RunListener listener;
    private final RandomGenerator jitter;
    private final Clock clock;

    private final AtomicBoolean cancelled = new AtomicBoolean();
    /** Why the run was stopped by the engine itself (not the user); null if it was not. */
    private volatile String stopReason;
    private final CountDownLatch cancelSignal = new CountDownLatch(1);
    private final Set<Statement> activeStatements = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean used = new AtomicBoolean();

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
            log.info("run cancel requested; cancelling {} running statement(s)", activeStatements.size());
            cancelSignal.countDown();
            for (Statement s : activeStatements) {
                try {
                    s.cancel();
                } catch (SQLException | RuntimeException e) {
                    log.debug("statement cancel failed (it may have just finished)", e);
                }
            }
        }
    }

    /**
     * Stops the run like {@link #cancel()}, but as a partial run (exit 1) because of a condition the
     * user must fix, e.g. an expired Kerberos ticket; the reason goes into the report.
     */
    public void stop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
        log.warn("run stopping: {}", reason);
        cancel();
    }

    /** Whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        return cancelled.get();
    }

    /**
     * Runs the request and writes its files. Blocks until the files are in place.
     *
     * @return the report of the run (also written as {@code <base>_report.json})
     * @throws RunException         when the run cannot start (cannot connect: exit 3; the database
     *                              rejects the query: exit 2) or its files cannot be written
     * @throws InterruptedException if the calling thread is interrupted; the run is cancelled first
     *                              and what was finished is written
     */
    public RunReport execute(RunRequest request) throws RunException, InterruptedException {
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException("a RunEngine runs one request; create a new one");
        }
        if (request.plan().size() == 0) {
            throw new RunException("there are no valid IDs to query in " + request.input().source()
                    + "; check the input file (see the invalid examples above)", 2);
        }
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        Path workDir = WorkDirectory.create(request.output().directory(), request.runId());
        Described described = describe(request);
        log.info("run {} started: {} ids in {} chunks, query {} ({} columns), {} workers", request.runId(),
                request.plan().idCount(), request.plan().size(), request.template().name(),
                described.columns().size(), request.settings().threadCount());
        listener.runStarted(request, described.columns());

        Shared shared = new Shared(request, described, workDir);
        List<Thread> workers = startWorkers(shared);
        OutputAssembler assembler = new OutputAssembler(request, described.columns(), listener, startNanos);
        boolean interrupted = false;
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
            RunReport report = assembler.finish(started, clock.instant(), shared.retries.get(), stopReason);
            WorkDirectory.remove(workDir);
            log.info("run {} {}: {} rows, {} missing, {} failed chunks, {} retries, {} ms", request.runId(),
                    report.status().label(), report.rows(), report.missingIds(), report.chunksFailed(),
                    report.retries(), report.durationMs());
            listener.runFinished(report);
            return report;
        } catch (IOException e) {
            cancel();
            joinAll(workers);
            throw new RunException("cannot write the output files in " + request.output().directory() + ": "
                    + e.getMessage() + "; check free space and permissions there, or choose another --out", 2, e);
        } finally {
            assembler.closeQuietly();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The result columns and the index of the ID column, learnt from the server before any chunk runs. */
    record Described(List<Column> columns, int idColumn) {
    }

    private Described describe(RunRequest request) throws RunException {
        Chunk first = request.plan().get(0);
        IdList ids = request.input().ids();
        String sql = request.renderer().sql(ids, first.from(), first.to());
        try (Connection con = connections.getConnection();
             PreparedStatement ps = con.prepareStatement(sql)) {
            request.renderer().bind(ps, ids, first.from(), first.to());
            ResultSetMetaData md = ps.getMetaData();
            if (md == null || md.getColumnCount() == 0) {
                throw new RunException("the query " + request.template().name() + " returns no columns; "
                        + "it must be a SELECT whose result includes the ID column", 2);
            }
            List<Column> columns = JdbcColumns.columnsOf(md);
            return new Described(columns, idColumn(request, columns));
        } catch (SQLException e) {
            ErrorKind kind = SqlErrors.classify(e, false);
            String state = SqlErrors.sqlState(e);
            boolean connection = kind == ErrorKind.TRANSIENT || (state != null && state.startsWith("28"));
            if (connection) {
                throw new RunException("cannot connect to the database: " + SqlErrors.describe(e)
                        + "; check database.host/port/database/user and that the server is reachable "
                        + "(firmquery check diagnoses it)", 3, e);
            }
            throw new RunException("the database rejected the query " + request.template().name()
                    + (request.template().source() == null ? "" : " (" + request.template().source() + ")")
                    + ": " + SqlErrors.describe(e) + "; fix the template and run again", 2, e);
        }
    }

    private static int idColumn(RunRequest request, List<Column> columns) throws RunException {
        String wanted = request.idColumnOut();
        if (wanted != null && !wanted.isBlank()) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).label().equalsIgnoreCase(wanted)) {
                    return i;
                }
            }
            throw new RunException("the query " + request.template().name() + " has no result column '" + wanted
                    + "' (--id-column-out); its columns are " + labels(columns)
                    + ". Name the column that holds the ID, or add it to the SELECT list", 2);
        }
        String inputName = request.input().columnName() == null ? "firm_root_id" : request.input().columnName();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).label().equalsIgnoreCase(inputName)) {
                return i;
            }
        }
        return 0;
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
        final Path workDir;
        final AtomicInteger next = new AtomicInteger();
        final AtomicReferenceArray<ChunkOutcome> outcomes;
        final AtomicInteger workersAlive;
        final AtomicLong retries = new AtomicLong();
        final Semaphore lookahead = new Semaphore(LOOKAHEAD_CHUNKS);
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        final Backoff backoff;

        Shared(RunRequest request, Described described, Path workDir) {
            this.request = request;
            this.described = described;
            this.workDir = workDir;
            this.outcomes = new AtomicReferenceArray<>(request.plan().size());
            this.workersAlive = new AtomicInteger(request.settings().threadCount());
            this.backoff = Backoff.of(request.settings().retryDelay());
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
            return o != null ? o : new ChunkOutcome(request.plan().get(index), ChunkOutcome.State.NOT_RUN, 0, 0,
                    null, null, null);
        }
    }

    private List<Thread> startWorkers(Shared shared) {
        List<Thread> threads = new ArrayList<>();
        for (int w = 1; w <= shared.request.settings().threadCount(); w++) {
            int worker = w;
            Thread t = new Thread(() -> workerLoop(shared, worker), "firmquery-worker-" + w);
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, ex) -> log.error("worker {} died", th.getName(), ex));
            threads.add(t);
            t.start();
        }
        return threads;
    }

    private void workerLoop(Shared shared, int worker) {
        try {
            ChunkPlan plan = shared.request.plan();
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
                if (index >= plan.size() || cancelled.get()) {
                    shared.lookahead.release();
                    return;
                }
                ChunkOutcome outcome = runChunk(shared, worker, plan.get(index));
                if (outcome.state() != ChunkOutcome.State.NOT_RUN) {
                    listener.chunkFinished(worker, outcome);
                }
                shared.publish(index, outcome);
            }
        } finally {
            shared.workerDone();
        }
    }

    private ChunkOutcome runChunk(Shared shared, int worker, Chunk chunk) {
        RunRequest request = shared.request;
        int total = request.plan().size();
        int maxAttempts = request.settings().maxRetries() + 1;
        String sql = request.renderer().sql(request.input().ids(), chunk.from(), chunk.to());
        Path spool = shared.workDir.resolve(String.format(Locale.ROOT, "chunk-%07d.spool", chunk.number()));
        for (int attempt = 1; ; attempt++) {
            if (cancelled.get()) {
                return notRun(chunk, attempt - 1);
            }
            listener.chunkStarted(worker, chunk, attempt);
            BitSet found = new BitSet(chunk.size());
            try {
                long rows = fetch(shared, chunk, sql, spool, found);
                return new ChunkOutcome(chunk, ChunkOutcome.State.SUCCEEDED, rows, attempt, found, null, spool);
            } catch (RunStoppingException e) {
                deleteQuietly(spool);
                stop("chunk " + chunk.number() + "/" + total + ": " + e.getMessage());
                return notRun(chunk, attempt);
            } catch (SQLException e) {
                deleteQuietly(spool);
                ErrorKind kind = SqlErrors.classify(e, cancelled.get());
                if (kind == ErrorKind.CANCELLED) {
                    return notRun(chunk, attempt);
                }
                String error = SqlErrors.describe(e);
                if (kind == ErrorKind.TRANSIENT && attempt < maxAttempts) {
                    Duration delay = shared.backoff.delay(attempt, jitter);
                    shared.retries.incrementAndGet();
                    log.warn("chunk {}/{} attempt {}/{} failed with a transient error, retrying in {} ms: {}",
                            chunk.number(), total, attempt, maxAttempts, delay.toMillis(), error);
                    listener.chunkRetrying(worker, chunk, attempt, error, delay);
                    try {
                        if (cancelSignal.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
                            return notRun(chunk, attempt);
                        }
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return notRun(chunk, attempt);
                    }
                    continue;
                }
                String message = failureMessage(chunk, total, attempt, kind, error, request);
                log.error(message, e);
                return new ChunkOutcome(chunk, ChunkOutcome.State.FAILED, 0, attempt, null, message, null);
            } catch (IOException e) {
                deleteQuietly(spool);
                String message = "chunk " + chunk.number() + "/" + total + " could not be spooled to " + spool + ": "
                        + e.getMessage() + "; free disk space in " + request.output().directory()
                        + " or choose another --out";
                log.error(message, e);
                return new ChunkOutcome(chunk, ChunkOutcome.State.FAILED, 0, attempt, null, message, null);
            }
        }
    }

    private static String failureMessage(Chunk chunk, int total, int attempts, ErrorKind kind, String error,
                                         RunRequest request) {
        String head = "chunk " + chunk.number() + "/" + total + " (" + chunk.size() + " ids) failed"
                + (attempts > 1 ? " after " + attempts + " tries" : "") + ": " + error;
        return switch (kind) {
            case TIMEOUT -> head + "; it ran longer than database.query_timeout ("
                    + request.settings().queryTimeout().toSeconds() + " s): lower processing.chunk_size or raise "
                    + "database.query_timeout";
            case TRANSIENT -> head + "; the error is transient: raise processing.max_retries or "
                    + "processing.retry_delay, or check the database's health";
            default -> head + "; retrying cannot help: fix the query or the data it reads";
        };
    }

    private long fetch(Shared shared, Chunk chunk, String sql, Path spool, BitSet found)
            throws SQLException, IOException {
        RunRequest request = shared.request;
        List<Column> columns = shared.described.columns();
        int n = columns.size();
        int idColumn = shared.described.idColumn();
        IdMatcher matcher = new IdMatcher(request.input().ids(), chunk);
        try (Connection con = connections.getConnection()) {
            con.setAutoCommit(false); // pgjdbc streams with a cursor (fetch size) only outside autocommit
            con.setReadOnly(request.settings().readOnly());
            try (PreparedStatement ps = con.prepareStatement(sql)) {
                activeStatements.add(ps);
                try {
                    if (cancelled.get()) {
                        throw new SQLException("run cancelled", "57014");
                    }
                    ps.setQueryTimeout(Database.ceilSeconds(request.settings().queryTimeout()));
                    ps.setFetchSize(request.settings().fetchSize());
                    request.renderer().bind(ps, request.input().ids(), chunk.from(), chunk.to());
                    long rows = 0;
                    try (ResultSet rs = ps.executeQuery();
                         ChunkSpool.Writer out = ChunkSpool.Writer.open(spool, columns)) {
                        if (rs.getMetaData().getColumnCount() != n) {
                            throw new SQLException("chunk " + chunk.number() + " returned "
                                    + rs.getMetaData().getColumnCount() + " columns, the first chunk " + n
                                    + "; the query must return the same columns for every chunk", "42000");
                        }
                        Object[] row = new Object[n];
                        while (rs.next()) {
                            JdbcColumns.readRow(rs, columns, row);
                            matcher.mark(row[idColumn], found);
                            out.row(row);
                            rows++;
                        }
                        out.finish();
                    }
                    con.commit();
                    return rows;
                } finally {
                    activeStatements.remove(ps);
                }
            }
        }
    }

    private static ChunkOutcome notRun(Chunk chunk, int attempts) {
        return new ChunkOutcome(chunk, ChunkOutcome.State.NOT_RUN, 0, attempts, null, null, null);
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

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("could not delete {}", file, e);
        }
    }
}
