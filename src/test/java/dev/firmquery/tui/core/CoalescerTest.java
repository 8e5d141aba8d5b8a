package dev.firmquery.tui.core;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** At most one repaint per interval, and never a lost last change. */
class CoalescerTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Runnable> guiQueue = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();
    private final List<Runnable> timers = new ArrayList<>();
    private final AtomicInteger applied = new AtomicInteger();

    private final Scheduler scheduler = new Scheduler() {
        @Override
        public void schedule(Duration delay, Runnable task) {
            delays.add(delay);
            timers.add(task);
        }

        @Override
        public void repeat(Duration period, Runnable task) {
        }

        @Override
        public void close() {
        }
    };

    private final Coalescer coalescer = new Coalescer(scheduler, guiQueue::add, now::get, Duration.ofMillis(100),
            applied::incrementAndGet);

    private void runGui() {
        List<Runnable> tasks = new ArrayList<>(guiQueue);
        guiQueue.clear();
        tasks.forEach(Runnable::run);
    }

    @Test
    @DisplayName("the first signal repaints at once; a thousand more while it is pending add nothing")
    void floodIsCoalesced() {
        for (int i = 0; i < 1000; i++) {
            coalescer.signal();
        }
        assertEquals(1, guiQueue.size());
        runGui();
        assertEquals(1, applied.get());
    }

    @Test
    @DisplayName("a signal within the interval after a repaint waits for the rest of the interval")
    void signalWithinIntervalIsDelayed() {
        coalescer.signal();
        runGui();
        now.addAndGet(30_000_000L);
        for (int i = 0; i < 500; i++) {
            coalescer.signal();
        }
        assertEquals(List.of(Duration.ofMillis(70)), delays);
        assertEquals(0, guiQueue.size());
        timers.get(0).run();
        runGui();
        assertEquals(2, applied.get());
    }

    @Test
    @DisplayName("a signal arriving after the pending flag is cleared gets its own repaint")
    void lastChangeIsNotLost() {
        coalescer.signal();
        runGui();
        now.addAndGet(200_000_000L);
        coalescer.signal();
        assertEquals(1, guiQueue.size());
        runGui();
        assertEquals(2, applied.get());
    }
}
