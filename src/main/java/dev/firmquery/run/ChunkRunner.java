package dev.firmquery.run;

import dev.firmquery.chunk.Chunk;
import dev.firmquery.db.Backoff;
import dev.firmquery.db.ErrorKind;
import dev.firmquery.db.RunStoppingException;
import dev.firmquery.db.SqlErrors;
import dev.firmquery.run.store.ChunkTiming;
import dev.firmquery.run.store.SpooledChunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one chunk to its end with its retries: each attempt through {@link ChunkFetch}, each failure
 * decided by {@link RetryPolicy} (not run, stop the run, retry after an outage, split, retry after a
 * backoff, fail) and the {@link OutageGuard} shared by all workers; the chunk's end goes into the
 * journal. Shared by the run's workers; thread-safe.
 */
final class ChunkRunner {
    // The engine's one logger: its lines read as one component in firmquery.log whichever class logs them.
    private static final Logger log = LoggerFactory.getLogger(RunEngine.class);

    private final RunContext run;
    private final ChunkFetch fetch;
    private final Backoff backoff;
    private final OutageGuard outage;
    private final AtomicLong retries = new AtomicLong();
    /** Retried attempts by SQLState of chunks that did not succeed; a succeeded chunk's are in its journal line. */
    private final Map<String, LongAdder> unfinishedRetries = new ConcurrentHashMap<>();

    ChunkRunner(RunContext run) {
        this.run = run;
        this.fetch = new ChunkFetch(run);
        RunRequest request = run.request();
        this.backoff = Backoff.of(request.settings().retryDelay());
        this.outage = new OutageGuard(run.connections(), request.settings().outageWait(),
                request.settings().retryDelay(), run.jitter(), run.listener(), run.control().cancelSignal());
    }

    /** The retries of every chunk so far (an outage's, a split's and a backoff's), for the report. */
    long retries() {
        return retries.get();
    }

    /** Retried attempts by SQLState of the chunks of this session that failed or were not run. */
    Map<String, Long> unfinishedRetriesBySqlState() {
        Map<String, Long> out = new java.util.TreeMap<>();
        unfinishedRetries.forEach((state, n) -> out.put(state, n.sum()));
        return out;
    }

    /** Where a worker hands each chunk's outcome as soon as it has it. */
    interface Outcomes {
        void publish(ChunkOutcome outcome);
    }

    /**
     * Runs {@code group} (chunks in order, claimed by {@code worker}) in one round trip when it holds
     * more than one ({@link GroupFetch}), then each chunk that did not come back whole on its own
     * through {@link #run}; every chunk's outcome goes to {@code outcomes} once, as soon as it is known.
     */
    void runGroup(int worker, HeldConnection held, List<Chunk> group, GroupSize size, GroupFetch groups,
                  Outcomes outcomes) {
        long started = System.nanoTime();
        if (group.size() == 1) {
            ChunkOutcome outcome = run(worker, held, group.get(0));
            size.sent(1, System.nanoTime() - started);
            outcomes.publish(outcome);
            return;
        }
        MDC.put(RunEngine.MDC_RUN_ID, run.request().runId()); // the worker's thread: ends with the run
        Set<Chunk> published = new HashSet<>();
        Outcomes once = o -> {
            published.add(o.chunk());
            outcomes.publish(o);
        };
        RunListener listener = run.listener();
        int total = run.request().plan().size();
        GroupFetch.Rest rest;
        try {
            run.session().prepareWorker(worker);
            rest = groups.fetch(group, worker, held, new GroupFetch.Spooling() {
                @Override
                public void starting(Chunk chunk) {
                    listener.chunkStarted(worker, chunk, 1);
                }

                @Override
                public void done(Chunk chunk, SpooledChunk spooled) throws IOException {
                    run.session().done(spooled);
                    outage.success();
                    if (log.isDebugEnabled()) {
                        log.debug("chunk {}/{} done: {} ids, {} rows, {} ms, attempt 1, one of {} sent in one round trip",
                                chunk.number(), total, chunk.size(), spooled.rows(), spooled.timing().micros() / 1000,
                                group.size());
                    }
                    once.publish(new ChunkOutcome(chunk, ChunkOutcome.State.SUCCEEDED, spooled.rows(), 1, null,
                            spooled));
                }
            });
        } catch (IOException e) {
            size.sent(group.size(), System.nanoTime() - started);
            boolean first = true;
            for (Chunk chunk : group) {
                if (!published.contains(chunk)) {
                    once.publish(first ? diskTrouble(chunk, 0, e) : ChunkOutcome.notRun(chunk, 0));
                    first = false;
                }
            }
            return;
        }
        size.sent(group.size(), System.nanoTime() - started);
        if (rest.chunks().isEmpty()) {
            return;
        }
        size.fellBack();
        if (!run.control().isCancelled()) {
            log.debug("{} sent in one round trip did not all come back whole ({}): {} run on their own, and"
                    + " this worker sends its next chunks one by one for a while", GroupFetch.label(group, total),
                    rest.reason(), GroupFetch.label(rest.chunks(), total));
        }
        for (Chunk chunk : rest.chunks()) {
            once.publish(run.control().isCancelled() ? ChunkOutcome.notRun(chunk, 0) : run(worker, held, chunk));
        }
    }

    /** Runs {@code chunk} on {@code worker}'s connection until it succeeds, fails for good or the run stops. */
    ChunkOutcome run(int worker, HeldConnection held, Chunk chunk) {
        MDC.put(RunEngine.MDC_RUN_ID, run.request().runId()); // the worker's thread: ends with the run
        RetryPolicy policy = new RetryPolicy(run.request().settings().maxRetries());
        try {
            run.session().prepareWorker(worker);
        } catch (IOException e) {
            return diskTrouble(chunk, 0, e);
        }
        List<String> retried = new ArrayList<>();
        ChunkOutcome outcome = attempt(worker, held, chunk, policy, retried);
        if (outcome.state() != ChunkOutcome.State.SUCCEEDED) {
            for (String state : retried) {
                unfinishedRetries.computeIfAbsent(state, k -> new LongAdder()).increment();
            }
        }
        return outcome;
    }

    private ChunkOutcome attempt(int worker, HeldConnection held, Chunk chunk, RetryPolicy policy,
                                 List<String> retried) {
        RunRequest request = run.request();
        RunControl control = run.control();
        RunListener listener = run.listener();
        int total = request.plan().size();
        boolean split = false;
        int attempts = 0;
        int counted = 0;
        while (true) {
            if (control.isCancelled()) {
                return ChunkOutcome.notRun(chunk, attempts);
            }
            attempts++;
            counted++;
            listener.chunkStarted(worker, chunk, attempts);
            try {
                AttemptClock clock = new AttemptClock();
                SpooledChunk done = fetch.fetch(chunk, worker, held, split, attempts, clock)
                        .withTiming(new ChunkTiming(clock.elapsedMicros(), clock.databaseMicros(), clock.poolMicros(),
                                worker, retried));
                run.session().done(done);
                outage.success();
                if (log.isDebugEnabled()) {
                    log.debug("chunk {}/{} done: {} ids, {} rows, {} ms, attempt {}", chunk.number(), total,
                            chunk.size(), done.rows(), done.timing().micros() / 1000, attempts);
                }
                return new ChunkOutcome(chunk, ChunkOutcome.State.SUCCEEDED, done.rows(), attempts, null, done);
            } catch (RunStoppingException e) {
                control.stop("chunk " + chunk.number() + "/" + total + ": " + e.getMessage());
                return ChunkOutcome.notRun(chunk, attempts);
            } catch (SQLException e) {
                ErrorKind kind = SqlErrors.classify(e, control.isCancelled());
                OutageGuard.Verdict verdict = OutageGuard.Verdict.NO_OUTAGE;
                if (RetryPolicy.asksOutageGuard(kind, SqlErrors.isConnectionBroken(e))) {
                    try {
                        verdict = outage.failure(e);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return ChunkOutcome.notRun(chunk, attempts);
                    }
                }
                String error = SqlErrors.describe(e);
                String state = ChunkTiming.stateToken(e.getSQLState());
                Optional<ChunkOutcome> end = switch (policy.decide(kind, verdict, split, counted)) {
                    case NOT_RUN -> Optional.of(ChunkOutcome.notRun(chunk, attempts));
                    case STOP_RUN -> {
                        if (!control.isCancelled()) {
                            control.stop("the database was unreachable for longer than processing.outage_wait ("
                                    + request.settings().outageWait().toSeconds() + " s): " + outage.lastError());
                        }
                        yield Optional.of(ChunkOutcome.notRun(chunk, attempts));
                    }
                    case RETRY_AFTER_OUTAGE -> {
                        counted--; // an outage is not the chunk's fault: it does not use up its retries
                        retries.incrementAndGet();
                        retried.add(state);
                        listener.attemptFailed(worker, chunk, attempts, e.getSQLState());
                        yield Optional.empty();
                    }
                    case SPLIT -> {
                        // A chunk that is too slow is usually too big: try once more in two halves.
                        split = true;
                        counted--;
                        retries.incrementAndGet();
                        retried.add(state);
                        listener.attemptFailed(worker, chunk, attempts, e.getSQLState());
                        log.warn("chunk {}/{} ran longer than query_timeout; retrying it split in two halves: {}",
                                chunk.number(), total, error);
                        listener.chunkRetrying(worker, chunk, attempts, error + "; retrying split in two halves",
                                Duration.ZERO);
                        yield Optional.empty();
                    }
                    case RETRY -> {
                        Duration delay = backoff.delay(counted, run.jitter());
                        retries.incrementAndGet();
                        retried.add(state);
                        listener.attemptFailed(worker, chunk, attempts, e.getSQLState());
                        log.warn("chunk {}/{} attempt {}/{} failed with a transient error, retrying in {} ms: {}",
                                chunk.number(), total, counted, policy.maxAttempts(), delay.toMillis(), error);
                        listener.chunkRetrying(worker, chunk, attempts, error, delay);
                        yield control.backOff(delay) ? Optional.empty()
                                : Optional.of(ChunkOutcome.notRun(chunk, attempts));
                    }
                    case FAIL -> {
                        String message = failureMessage(chunk, total, attempts, kind, error, split, request);
                        log.error(message, e);
                        try {
                            run.session().failed(chunk.number(), attempts, message);
                        } catch (IOException io) {
                            yield Optional.of(diskTrouble(chunk, attempts, io));
                        }
                        yield Optional.of(new ChunkOutcome(chunk, ChunkOutcome.State.FAILED, 0, attempts, message,
                                null));
                    }
                };
                if (end.isPresent()) {
                    return end.get();
                }
            } catch (IOException e) {
                return diskTrouble(chunk, attempts, e);
            }
        }
    }

    /** The spool or the journal cannot be written: stop cleanly, keep the run resumable. */
    private ChunkOutcome diskTrouble(Chunk chunk, int attempts, IOException e) {
        run.control().stop(RunEngine.cannotWriteWorkingFiles(run.runDir().path(), e));
        log.error("chunk {} could not be spooled or journalled", chunk.number(), e);
        return ChunkOutcome.notRun(chunk, attempts);
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
}
