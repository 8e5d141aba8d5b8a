package dev.firmquery.tui.core;

import dev.firmquery.threads.NamedThreads;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Delayed and periodic tasks for the UI (repaint coalescing, the status bar clock). Tasks run on a
 * timer thread and must hand anything touching components to the GUI thread. Tests substitute a
 * scheduler they drive by hand.
 */
public interface Scheduler extends AutoCloseable {

    /** Runs {@code task} once after {@code delay}. */
    void schedule(Duration delay, Runnable task);

    /** Runs {@code task} every {@code period}, starting after one period, until {@link #close()}. */
    void repeat(Duration period, Runnable task);

    /** Stops running tasks. */
    @Override
    void close();

    /** A scheduler on one daemon thread named {@code firmquery-ui-timer-1} (from {@link NamedThreads}). */
    static Scheduler onTimerThread() {
        ScheduledExecutorService executor =
                Executors.newSingleThreadScheduledExecutor(NamedThreads.numbered("firmquery-ui-timer"));
        return new Scheduler() {
            @Override
            public void schedule(Duration delay, Runnable task) {
                if (!executor.isShutdown()) {
                    executor.schedule(guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
                }
            }

            @Override
            public void repeat(Duration period, Runnable task) {
                if (!executor.isShutdown()) {
                    ScheduledFuture<?> ignored = executor.scheduleWithFixedDelay(guarded(task), period.toNanos(),
                            period.toNanos(), TimeUnit.NANOSECONDS);
                }
            }

            @Override
            public void close() {
                executor.shutdownNow();
            }
        };
    }

    /** A periodic task that throws must not be silently unscheduled: log and carry on. */
    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Scheduler.class).error("UI timer task failed", e);
            }
        };
    }
}
