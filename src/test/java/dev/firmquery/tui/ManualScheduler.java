package dev.firmquery.tui;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Scheduler} for screen tests: delayed tasks run at once (repaints are still coalesced while
 * one is pending), periodic tasks run only when the test calls {@link #tick()}.
 */
final class ManualScheduler implements Scheduler {
    private final List<Runnable> periodic = new CopyOnWriteArrayList<>();

    @Override
    public void schedule(Duration delay, Runnable task) {
        task.run();
    }

    @Override
    public void repeat(Duration period, Runnable task) {
        periodic.add(task);
    }

    /** Runs every periodic task once, as the timer would. */
    void tick() {
        periodic.forEach(Runnable::run);
    }

    @Override
    public void close() {
        periodic.clear();
    }
}
