package dev.firmquery.run;

import dev.firmquery.db.Backoff;
import dev.firmquery.db.ConnectionSource;
import dev.firmquery.db.SqlErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The circuit breaker for database outages (docs/reliability.md, "Faults and what happens": database
 * unreachable). Connection failures are counted across all workers; after {@link #THRESHOLD} in a row
 * the database is taken to be down: the run pauses (every worker waits), one worker probes the database
 * with backoff, and either the database answers again within {@code outage_wait} — the workers carry
 * on, and the failed attempts do not count against the chunks' retries — or it does not, and the run
 * stops as a resumable partial run. A success anywhere resets the count.
 */
final class OutageGuard {
    private static final Logger log = LoggerFactory.getLogger(OutageGuard.class);

    /** Consecutive connection failures that open the breaker. */
    static final int THRESHOLD = 3;

    /** What a worker should do after a connection failure. */
    enum Verdict {
        /** Not (yet) an outage, or the guard was not asked: the failure is the chunk's own. */
        NO_OUTAGE,
        /** There was an outage and the database is back: try the chunk again, without counting it. */
        RESUMED,
        /** The outage lasted longer than {@code outage_wait}: stop the run. */
        GIVE_UP
    }

    private enum State { CLOSED, OPEN, GAVE_UP }

    private final ConnectionSource connections;
    private final Duration outageWait;
    private final Backoff probeBackoff;
    private final RandomGenerator jitter;
    private final RunListener listener;
    private final CountDownLatch cancelSignal;

    private int consecutive;
    private State state = State.CLOSED;
    private String lastError;

    OutageGuard(ConnectionSource connections, Duration outageWait, Duration retryDelay, RandomGenerator jitter,
                RunListener listener, CountDownLatch cancelSignal) {
        this.connections = connections;
        this.outageWait = outageWait;
        Duration first = retryDelay.compareTo(Duration.ofMillis(200)) < 0 ? Duration.ofMillis(200) : retryDelay;
        this.probeBackoff = new Backoff(first, Duration.ofSeconds(30), 0.25);
        this.jitter = jitter;
        this.listener = listener;
        this.cancelSignal = cancelSignal;
    }

    /** A statement succeeded: the database is up. */
    synchronized void success() {
        consecutive = 0;
    }

    /** Why the run gave up, for the report. */
    synchronized String lastError() {
        return lastError;
    }

    /**
     * Records a connection-level failure and, if it makes an outage, waits it out.
     *
     * @throws InterruptedException if the worker is interrupted while waiting
     */
    Verdict failure(SQLException e) throws InterruptedException {
        boolean probe;
        synchronized (this) {
            lastError = SqlErrors.describe(e);
            if (state == State.GAVE_UP) {
                return Verdict.GIVE_UP;
            }
            if (state == State.CLOSED) {
                consecutive++;
                if (consecutive < THRESHOLD) {
                    return Verdict.NO_OUTAGE;
                }
                state = State.OPEN;
                probe = true;
            } else {
                probe = false;
            }
        }
        if (probe) {
            return probeUntilBack();
        }
        synchronized (this) {
            while (state == State.OPEN) {
                wait(200);
                if (cancelSignal.getCount() == 0) {
                    return Verdict.GIVE_UP;
                }
            }
            return state == State.CLOSED ? Verdict.RESUMED : Verdict.GIVE_UP;
        }
    }

    private Verdict probeUntilBack() throws InterruptedException {
        String reason = lastError();
        log.warn("database unreachable ({} connection failures in a row, last: {}); pausing the run and probing for"
                + " up to {} s", THRESHOLD, reason, outageWait.toSeconds());
        listener.runPaused("database unreachable: " + reason + "; retrying for up to " + outageWait.toSeconds()
                + " s (processing.outage_wait)");
        long deadline = System.nanoTime() + outageWait.toNanos();
        for (int probe = 1; ; probe++) {
            try (Connection c = connections.getConnection()) {
                if (c.isValid(5)) {
                    log.info("database answers again after {} probe(s); resuming the run", probe);
                    settle(State.CLOSED);
                    listener.runResumed();
                    return Verdict.RESUMED;
                }
            } catch (SQLException e) {
                synchronized (this) {
                    lastError = SqlErrors.describe(e);
                }
                log.info("probe {} failed: {}", probe, SqlErrors.describe(e));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                log.error("database still unreachable after {} s; stopping the run", outageWait.toSeconds());
                settle(State.GAVE_UP);
                return Verdict.GIVE_UP;
            }
            long pause = Math.min(left, probeBackoff.delay(Math.min(probe, 30), jitter).toNanos());
            if (cancelSignal.await(pause, TimeUnit.NANOSECONDS)) {
                settle(State.GAVE_UP);
                return Verdict.GIVE_UP;
            }
        }
    }

    private synchronized void settle(State s) {
        state = s;
        consecutive = 0;
        notifyAll();
    }
}
