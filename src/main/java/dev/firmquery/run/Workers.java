package dev.firmquery.run;

import dev.firmquery.chunk.Chunk;
import dev.firmquery.chunk.ChunkPlan;
import dev.firmquery.threads.NamedThreads;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The run's {@code processing.thread_count} worker threads ({@code firmquery-worker-1}, -2, ...):
 * each takes the next chunks in order from the {@link ChunkBoard} while there is room ahead of the
 * writer (up to {@code processing.chunks_per_round_trip}, as {@link GroupSize} says), runs them on
 * the connection it keeps ({@link HeldConnection}) through the {@link ChunkRunner}, and publishes
 * each outcome. An unexpected throwable in a worker stops the run
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
        GroupSize size = new GroupSize(run.request().settings().chunksPerRoundTrip());
        GroupFetch groups = new GroupFetch(run);
        // The chunks this worker claimed and has not published; in claim order.
        Set<Integer> unpublished = new LinkedHashSet<>();
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
                List<Chunk> group = claim(size.next(), plan);
                if (group.isEmpty() || control.isCancelled()) {
                    // Nothing claimed holds the one slot reserved above; a claimed group gives its slots back unrun.
                    for (Chunk c : group) {
                        board.publish(c.number() - 1, ChunkOutcome.notRun(c, 0));
                    }
                    if (group.isEmpty()) {
                        board.releaseSlot();
                    }
                    return;
                }
                for (Chunk c : group) {
                    unpublished.add(c.number() - 1);
                }
                runner.runGroup(worker, held, group, size, groups, outcome -> {
                    if (outcome.state() != ChunkOutcome.State.NOT_RUN) {
                        run.listener().chunkFinished(worker, outcome);
                    }
                    int index = outcome.chunk().number() - 1;
                    board.publish(index, outcome);
                    unpublished.remove(index);
                });
                // Whatever runGroup did not publish (it publishes every chunk; a bug otherwise) reads as not run.
                for (int index : List.copyOf(unpublished)) {
                    board.publish(index, ChunkOutcome.notRun(plan.get(index), 0));
                }
                unpublished.clear();
            }
        } catch (RuntimeException | Error e) {
            // Not a database or disk error (those are handled per chunk): a bug, or the JVM failing. Stop the
            // run rather than die silently, which left the writer waiting for this worker's chunks for ever.
            control.fault("in worker " + worker + (unpublished.isEmpty() ? "" : " on chunk "
                    + (unpublished.iterator().next() + 1) + "/" + plan.size()), e);
            for (int index : unpublished) {
                board.publish(index, ChunkOutcome.notRun(plan.get(index), 0));
            }
        } finally {
            if (held != null) {
                held.release();
            }
            board.workerDone();
        }
    }

    /**
     * Claims up to {@code most} chunks in order, the first in the slot already reserved, each further one
     * only while the writer leaves room without waiting.
     */
    private List<Chunk> claim(int most, ChunkPlan plan) {
        List<Chunk> group = new ArrayList<>(most);
        while (group.size() < most) {
            if (!group.isEmpty() && !board.tryReserveSlot()) {
                break;
            }
            int index = board.claimNext();
            if (index >= plan.size()) {
                if (!group.isEmpty()) {
                    board.releaseSlot(); // the slot reserved for this claim; the first one's is the caller's
                }
                break;
            }
            group.add(plan.get(index));
        }
        return group;
    }
}
