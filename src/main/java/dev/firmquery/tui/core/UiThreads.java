package dev.firmquery.tui.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one factory of the UI's own threads (the background executor's and the timer's): daemon threads
 * named {@code <prefix>-N}, so that a thread dump or a log line says what a thread is, and a thread
 * left running never keeps the JVM alive after the UI has given the terminal back. An exception that
 * escapes a task is logged, never lost on a standard error the UI has redirected.
 */
public final class UiThreads implements ThreadFactory {
    private static final Logger log = LoggerFactory.getLogger(UiThreads.class);
    private static final ThreadFactory PLATFORM = Executors.defaultThreadFactory();

    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();

    /** Threads named {@code prefix-1}, {@code prefix-2}... */
    public UiThreads(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread t = PLATFORM.newThread(task);
        t.setName(prefix + "-" + count.incrementAndGet());
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) -> log.error("UI thread {} failed", thread.getName(), e));
        return t;
    }
}
