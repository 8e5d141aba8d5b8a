package dev.firmquery.threads;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one factory of firmquery's own threads (the engine's workers, journal and statement watch; the
 * UI's executor and timer): daemon threads named {@code <prefix>-N}, or exactly {@code <name>} for a
 * {@link #single} one, so that a thread dump or a log line says what a thread is and a thread left
 * running never keeps the JVM alive. An exception that escapes a thread is logged, never lost on a
 * standard error the UI has redirected.
 */
public final class NamedThreads implements ThreadFactory {
    private static final Logger log = LoggerFactory.getLogger(NamedThreads.class);
    private static final ThreadFactory PLATFORM = Executors.defaultThreadFactory();

    private final String prefix;
    private final boolean numbered;
    private final AtomicInteger count = new AtomicInteger();

    private NamedThreads(String prefix, boolean numbered) {
        this.prefix = prefix;
        this.numbered = numbered;
    }

    /** Threads named {@code prefix-1}, {@code prefix-2}... */
    public static NamedThreads numbered(String prefix) {
        return new NamedThreads(prefix, true);
    }

    /** A factory for a thread of its own named exactly {@code name}, e.g. {@code firmquery-journal}. */
    public static NamedThreads single(String name) {
        return new NamedThreads(name, false);
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread t = PLATFORM.newThread(task);
        t.setName(numbered ? prefix + "-" + count.incrementAndGet() : prefix);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) -> log.error("thread {} failed", thread.getName(), e));
        return t;
    }
}
