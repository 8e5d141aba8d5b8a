package dev.firmquery.run;

import dev.firmquery.chunk.ChunkPlan;
import dev.firmquery.threads.NamedThreads;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The run's {@code processing.thread_count} worker threads ({@code firmquery-worker-1}, -2, ...):
 * each takes the next chunk in order from the {@link ChunkBoard} while there is room ahead of the
 * writer, runs it on the connection it keeps ({@link HeldConnection}) through the
 * {@link ChunkRunner}, and publishes the outcome. An unexpected throwable in a worker stops the run
 * as an internal error rather than leave the writer waiting for that worker's chunk.
 */
final class Workers {
    /** How often a worker waiting for room ahead of the writer looks at the cancel (the writer may be stuck: disk full). */
    private static final long CANCEL_POLL_MS = 200;

    private final RunContext run;
    private final ChunkBoard board;
    private final ChunkRunner runner;
    /** Shared by the workers' connections, so that a server without plan_cache_mode is logged once. */
    private final AtomicBoolean genericPlansUnsupported = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    Workers(RunContext run, ChunkBoard board, ChunkRunner runner) {
        this.run = run;
        this.board = board;
        this.runner = runner;
    }

    /** Starts the workers. */
    void start() {
        NamedThreads factory = NamedThreads.numbered("firmquery-worker"); // firmquery-worker-1, -2, ...
        for (int w = 1; w <= run.request().settings().threadCount(); w++) {
            int worker = w;
            Thread t = factory.newThread(() -> loop(worker));
            threads.add(t);
            t.start();
        }
    }

    /** Waits for every worker to end; an interrupt meanwhile is kept for the caller, not lost. */
    void join() {
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

    private void loop(int worker) {
        RunControl control = run.control();
        HeldConnection held = null;
        ChunkPlan plan = run.request().plan();
        int current = -1; // the chunk this worker owns and has not published
        try {
            held = new HeldConnection(run.connections(), run.planCacheMode(),
                    genericPlansUnsupported);
            while (!control.isCancelled()) {
                try {
                    // Polled so that a cancel is seen even while the writer is stuck (disk full).
                    while (!board.reserveSlot(CANCEL_POLL_MS, TimeUnit.MILLISECONDS)) {
                        if (control.isCancelled()) {
                            return;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                int index = board.claimNext();
                if (index >= plan.size() || control.isCancelled()) {
                    board.releaseSlot();
                    return;
                }
                current = index;
                ChunkOutcome outcome = runner.run(worker, held, plan.get(index));
                if (outcome.state() != ChunkOutcome.State.NOT_RUN) {
                    run.listener().chunkFinished(worker, outcome);
                }
                board.publish(index, outcome);
                current = -1;
            }
        } catch (RuntimeException | Error e) {
            // Not a database or disk error (those are handled per chunk): a bug, or the JVM failing. Stop the
            // run rather than die silently, which left the writer waiting for this chunk for ever.
            control.fault("in worker " + worker + (current < 0 ? "" : " on chunk " + (current + 1) + "/" + plan.size()),
                    e);
            if (current >= 0) {
                board.publish(current, ChunkOutcome.notRun(plan.get(current), 0));
            }
        } finally {
            if (held != null) {
                held.release();
            }
            board.workerDone();
        }
    }
}
