package dev.firmquery.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether, and why, one run is stopping: the user's cancel, a stop the engine decided itself (an
 * expired ticket, an outage, a full disk) and the first internal fault. Shared by the engine, the
 * describe, the workers and the writer; every method is safe from any thread (a signal handler, the
 * UI).
 */
final class RunControl {
    // The engine's one logger: its lines read as one component in firmquery.log whichever class logs them.
    private static final Logger log = LoggerFactory.getLogger(RunEngine.class);

    private final AtomicBoolean cancelled = new AtomicBoolean();
    /** Why the run was stopped by the engine itself (not the user); null if it was not. */
    private volatile String stopReason;
    private final CountDownLatch cancelSignal = new CountDownLatch(1);
    /** Bounds and cancels the describe and every chunk's statement; set while the run executes. */
    private volatile StatementWatch watch;
    /** The first unexpected throwable of a worker or the writer; null while there is none. */
    private final AtomicReference<InternalFault> fault = new AtomicReference<>();

    /** Stops the run: no new chunk starts, running statements are cancelled. Idempotent. */
    void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            log.info("run cancel requested; cancelling the running statements");
            cancelSignal.countDown();
            StatementWatch w = watch;
            if (w != null) {
                w.cancelAll();
            }
        }
    }

    /** Stops the run as partial because of a condition the user must fix; the first reason is kept. */
    void stop(String reason) {
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
    void fault(String where, Throwable t) {
        InternalFault f = new InternalFault(where, t);
        if (fault.compareAndSet(null, f)) {
            log.error("internal error {}; stopping the run", where, t);
            stop(f.describe());
        } else {
            log.error("another internal error {} while the run stops", where, t);
        }
    }

    boolean isCancelled() {
        return cancelled.get();
    }

    /** Why the engine stopped the run itself; null if it did not (a user's cancel has no reason). */
    String stopReason() {
        return stopReason;
    }

    /** Whether an internal fault stopped the run. */
    boolean faulted() {
        return fault.get() != null;
    }

    /** Counted down once, on the first cancel; what the outage guard's probes wait on. */
    CountDownLatch cancelSignal() {
        return cancelSignal;
    }

    /**
     * Waits {@code delay} before a retry.
     *
     * @return false if the run was cancelled (or this thread interrupted) meanwhile: do not retry
     */
    boolean backOff(Duration delay) {
        try {
            return !cancelSignal.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The statement watch of the executing run; null before and after it. */
    StatementWatch watch() {
        return watch;
    }

    void watchWith(StatementWatch w) {
        this.watch = w;
    }
}
