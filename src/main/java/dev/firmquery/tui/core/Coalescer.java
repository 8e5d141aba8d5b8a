package dev.firmquery.tui.core;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Turns a flood of "something changed" signals from any thread into at most one call of
 * {@code apply} per {@code interval} on the GUI thread. A 1,000,000-ID run reports 4,000 chunks and
 * many more worker events; the screen is repainted at most ~10 times a second however fast they come,
 * and never misses the last change: a signal arriving while a repaint is pending is covered by it,
 * because {@code apply} reads the state after clearing the pending flag.
 */
public final class Coalescer {
    /** The UI's repaint interval for live counts: at most ten repaints a second. */
    public static final Duration REPAINT_INTERVAL = Duration.ofMillis(100);

    private final Scheduler scheduler;
    private final Executor gui;
    private final LongSupplier nanoTime;
    private final long intervalNanos;
    private final Runnable apply;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile long lastApplied;

    /**
     * @param scheduler delays the repaint until the interval has passed
     * @param gui       runs a task on the GUI thread ({@code invokeLater})
     * @param nanoTime  the clock
     * @param interval  the shortest time between two calls of {@code apply}
     * @param apply     reads the current state and updates the components; runs on the GUI thread
     */
    public Coalescer(Scheduler scheduler, Executor gui, LongSupplier nanoTime, Duration interval, Runnable apply) {
        this.scheduler = scheduler;
        this.gui = gui;
        this.nanoTime = nanoTime;
        this.intervalNanos = interval.toNanos();
        this.apply = apply;
        this.lastApplied = nanoTime.getAsLong() - intervalNanos;
    }

    /** Something changed; safe from any thread, cheap when a repaint is already pending. */
    public void signal() {
        if (pending.compareAndSet(false, true)) {
            long wait = Math.max(0, lastApplied + intervalNanos - nanoTime.getAsLong());
            if (wait == 0) {
                gui.execute(this::run);
            } else {
                scheduler.schedule(Duration.ofNanos(wait), () -> gui.execute(this::run));
            }
        }
    }

    private void run() {
        pending.set(false);
        lastApplied = nanoTime.getAsLong();
        apply.run();
    }
}
