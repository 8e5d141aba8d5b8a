package dev.firmquery.run;

import dev.firmquery.chunk.Chunk;
import dev.firmquery.run.store.SpooledChunk;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-off between the workers and the writer: which chunk is next to run, the outcomes
 * published by chunk index, and the bound on how far the workers run ahead of the writer
 * ({@value #LOOKAHEAD_CHUNKS} chunks, so that what waits to be written stays bounded). The writer
 * takes the outcomes strictly in chunk order; an outcome nobody will publish (every worker stopped)
 * reads as not run.
 */
final class ChunkBoard {
    /** How many chunks the workers may run ahead of the writer; bounds what is waiting to be written. */
    static final int LOOKAHEAD_CHUNKS = 64;

    private final RunRequest request;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicReferenceArray<ChunkOutcome> outcomes;
    private final AtomicInteger workersAlive;
    private final Semaphore lookahead = new Semaphore(LOOKAHEAD_CHUNKS);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    ChunkBoard(RunRequest request) {
        this.request = request;
        this.outcomes = new AtomicReferenceArray<>(request.plan().size());
        this.workersAlive = new AtomicInteger(request.settings().threadCount());
        if (request.isResume()) {
            // Chunks an earlier session finished are not run again: their spools are written as they are.
            for (SpooledChunk d : request.resume().journal().done().values()) {
                Chunk c = request.plan().get(d.chunk() - 1);
                outcomes.set(d.chunk() - 1, new ChunkOutcome(c, ChunkOutcome.State.SUCCEEDED, d.rows(), d.attempts(),
                        null, d));
            }
        }
    }

    /** Waits up to {@code timeout} for room to run one more chunk ahead of the writer. */
    boolean reserveSlot(long timeout, TimeUnit unit) throws InterruptedException {
        return lookahead.tryAcquire(timeout, unit);
    }

    /** Takes room to run one more chunk ahead of the writer if there is some now, without waiting. */
    boolean tryReserveSlot() {
        return lookahead.tryAcquire();
    }

    /** Gives back the room of one chunk: the writer wrote it, or a worker took none. */
    void releaseSlot() {
        lookahead.release();
    }

    /** The index of the next chunk to run, skipping those an earlier session finished; plan size when none is left. */
    int claimNext() {
        int index = next.getAndIncrement();
        while (index < request.plan().size() && alreadyDone(index)) {
            index = next.getAndIncrement();
        }
        return index;
    }

    private boolean alreadyDone(int index) {
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

    /** A worker ends; once none is left, the outcomes still missing read as not run. */
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

    /** {@link #await}, for a writer already interrupted (the run is cancelled: the wait is short). */
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
        return o != null ? o : ChunkOutcome.notRun(request.plan().get(index), 0);
    }
}
