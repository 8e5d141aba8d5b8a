package dev.firmquery.tui.core;

import dev.firmquery.threads.NamedThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one executor for all of the UI's side work: runs, input loads, replanning, reading result files
 * back, listing and deleting unfinished runs. None of it may run on the GUI thread ({@link GuiThread});
 * results go back there with {@link GuiThread#execute}.
 *
 * <p>Its threads come from {@link NamedThreads} ({@code firmquery-ui-N}, grown on demand: a run holds one
 * for its whole length while a load or a listing runs beside it, so a fixed pool could starve them).
 * While a task runs, its thread is named after the task, e.g. {@code firmquery-run-2} or
 * {@code firmquery-load-3}, as the log's {@code [%thread]} shows.
 */
public final class Background implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Background.class);
    private static final Duration IDLE = Duration.ofSeconds(30);

    private final ExecutorService executor;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    private Background(ExecutorService executor) {
        this.executor = executor;
    }

    /** A new executor; close it when the UI ends. */
    public static Background start() {
        return new Background(new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE.toMillis(),
                TimeUnit.MILLISECONDS, new SynchronousQueue<>(), NamedThreads.numbered("firmquery-ui")));
    }

    /**
     * Runs {@code task} on a background thread named {@code firmquery-<purpose>-N} while it runs (N
     * counts the tasks of that purpose: {@code run} tasks are numbered like the session's runs).
     * An exception that escapes the task is logged.
     *
     * @param purpose e.g. {@code run}, {@code load}, {@code results}, {@code runs}, {@code plan}
     * @throws IllegalStateException when the executor was closed (the UI has ended)
     */
    public void run(String purpose, Runnable task) {
        String name = "firmquery-" + purpose + "-" + counts.computeIfAbsent(purpose, p -> new AtomicInteger())
                .incrementAndGet();
        try {
            executor.execute(() -> {
                Thread t = Thread.currentThread();
                String pooled = t.getName();
                t.setName(name);
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("{} failed", name, e);
                } finally {
                    t.setName(pooled);
                }
            });
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("cannot start " + name + ": the UI's background executor is closed "
                    + "(the UI has ended)", e);
        }
    }

    /**
     * Refuses new tasks and lets the running ones finish (a run's files, a deletion): the threads are
     * daemons and do not hold the process once the UI has returned.
     */
    @Override
    public void close() {
        executor.shutdown();
    }

    /** Waits for the running tasks to end after {@link #close}; for tests. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
