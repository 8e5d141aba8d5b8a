package dev.firmquery.tui.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The UI's one executor for side work: named threads, counted per purpose, refused once closed. */
class BackgroundTest {
    private final Background background = Background.start();

    @AfterEach
    void close() {
        background.close();
    }

    /** Runs {@code n} tasks of {@code purpose} one after the other and returns their thread names. */
    private List<String> names(String purpose, int n) throws InterruptedException {
        List<String> names = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            CountDownLatch done = new CountDownLatch(1);
            background.run(purpose, () -> {
                names.add(Thread.currentThread().getName() + (Thread.currentThread().isDaemon() ? " daemon" : ""));
                done.countDown();
            });
            assertTrue(done.await(10, TimeUnit.SECONDS));
        }
        return names;
    }

    @Test
    @DisplayName("a task runs on a daemon thread named after it, numbered per purpose")
    void namedThreads() throws InterruptedException {
        assertEquals(List.of("firmquery-run-1 daemon", "firmquery-run-2 daemon"), names("run", 2));
        assertEquals(List.of("firmquery-load-1 daemon"), names("load", 1));
    }

    @Test
    @DisplayName("a long task (a run) does not hold up the others (a load beside it)")
    void tasksRunSideBySide() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch loaded = new CountDownLatch(1);
        background.run("run", () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        background.run("load", loaded::countDown);
        assertTrue(loaded.await(10, TimeUnit.SECONDS));
        release.countDown();
    }

    @Test
    @DisplayName("a task that throws is logged and the executor keeps working")
    void failingTask() throws InterruptedException {
        background.run("plan", () -> {
            throw new IllegalStateException("boom");
        });
        assertEquals(List.of("firmquery-results-1 daemon"), names("results", 1));
    }

    @Test
    @DisplayName("after a task, its pooled thread is named firmquery-ui-N again")
    void poolName() throws InterruptedException {
        Thread[] ran = new Thread[1];
        CountDownLatch done = new CountDownLatch(1);
        background.run("results", () -> {
            ran[0] = Thread.currentThread();
            done.countDown();
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ran[0].getName().startsWith("firmquery-results") && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertTrue(ran[0].getName().matches("firmquery-ui-\\d+"), ran[0].getName());
    }

    @Test
    @DisplayName("once closed, a new task is refused with a clear message and running ones finish")
    void closed() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        background.run("runs", () -> {
            try {
                release.await();
                finished.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        background.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> background.run("load", () -> { }));
        assertEquals("cannot start firmquery-load-1: the UI's background executor is closed (the UI has ended)",
                e.getMessage());
        release.countDown();
        assertTrue(finished.await(10, TimeUnit.SECONDS), "a running task is not interrupted by close");
        assertTrue(background.awaitTermination(Duration.ofSeconds(10)));
    }
}
