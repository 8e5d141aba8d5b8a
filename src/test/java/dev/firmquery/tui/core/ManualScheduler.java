package dev.firmquery.tui.core;

import dev.firmquery.threads.NamedThreads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A {@link Scheduler} for screen tests: delayed tasks run at once (repaints are still coalesced while
 * one is pending), periodic tasks run only when the test calls {@link #tick()}. Like the real timer,
 * tasks run on a thread of their own ({@code test-ui-timer-1}), never on the GUI thread, so the UI's
 * thread contract holds in tests too; the caller waits for each task, so a test stays step by step.
 */
public final class ManualScheduler implements Scheduler {
    private final List<Runnable> periodic = new CopyOnWriteArrayList<>();
    private final ExecutorService timer = Executors.newSingleThreadExecutor(NamedThreads.numbered("test-ui-timer"));
    private volatile Thread timerThread;

    @Override
    public void schedule(Duration delay, Runnable task) {
        onTimer(task);
    }

    @Override
    public void repeat(Duration period, Runnable task) {
        periodic.add(task);
    }

    /** Runs every periodic task once, as the timer would. */
    public void tick() {
        periodic.forEach(this::onTimer);
    }

    private void onTimer(Runnable task) {
        if (Thread.currentThread() == timerThread) {
            task.run();
            return;
        }
        Future<?> done = timer.submit(() -> {
            timerThread = Thread.currentThread();
            task.run();
        });
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for a timer task", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("timer task failed", e.getCause());
        }
    }

    @Override
    public void close() {
        periodic.clear();
        timer.shutdownNow();
    }
}
