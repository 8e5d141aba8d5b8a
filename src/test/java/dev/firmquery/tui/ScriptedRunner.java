package dev.firmquery.tui;

import dev.firmquery.app.RunExecutor;
import dev.firmquery.kerberos.ExpiredTicketHandler;
import dev.firmquery.kerberos.KerberosStatus;
import dev.firmquery.kerberos.TicketProbe;
import dev.firmquery.run.RunListener;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A fake engine driven by the test: {@code execute} runs on the UI's run thread and replays the
 * listener events the test {@link #emit}s, in order, until the test {@link #finish}es it with a
 * report. It records cancel requests instead of acting on them, so the test decides what a cancel
 * leads to.
 */
final class ScriptedRunner implements RunExecutor.Factory {
    private static final Object END = new Object();

    private final BlockingQueue<Object> steps = new LinkedBlockingQueue<>();
    private final AtomicInteger cancels = new AtomicInteger();
    private final BlockingQueue<RunRequest> started = new LinkedBlockingQueue<>();
    private volatile RunListener listener;
    private volatile ExpiredTicketHandler tickets;
    private volatile Function<RunRequest, RunReport> report;
    private volatile Thread executedOn;

    @Override
    public RunExecutor create(RunListener l, ExpiredTicketHandler t) {
        this.listener = l;
        this.tickets = t;
        return new RunExecutor() {
            @Override
            public RunReport execute(RunRequest r) throws InterruptedException {
                executedOn = Thread.currentThread();
                started.add(r);
                while (true) {
                    Object step = steps.take();
                    if (step == END) {
                        RunReport rep = report.apply(r);
                        listener.runFinished(rep);
                        return rep;
                    }
                    if (step instanceof TicketStep t) {
                        t.answer().add(tickets.awaitFreshTicket(t.expired(), t.probe()));
                        continue;
                    }
                    @SuppressWarnings("unchecked")
                    Consumer<RunListener> event = (Consumer<RunListener>) step;
                    event.accept(listener);
                }
            }

            @Override
            public void cancel() {
                cancels.incrementAndGet();
            }
        };
    }

    /** Waits until the UI calls execute for the next run, and returns the request it passed. */
    RunRequest awaitRequest() {
        try {
            RunRequest r = started.poll(ScreenHarness.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (r == null) {
                fail("the UI did not start a run");
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Sends one event to the UI's listener, from the run thread. */
    void emit(Consumer<RunListener> event) {
        steps.add(event);
    }

    /** What the engine's ticket guard does on an expired ticket: asks the UI's handler, on the run thread. */
    private record TicketStep(KerberosStatus expired, TicketProbe probe, BlockingQueue<Boolean> answer) {
    }

    /** Lets the UI's ticket handler wait for a fresh ticket; its answer arrives in the returned queue. */
    BlockingQueue<Boolean> expireTicket(KerberosStatus expired, TicketProbe probe) {
        BlockingQueue<Boolean> answer = new LinkedBlockingQueue<>();
        steps.add(new TicketStep(expired, probe, answer));
        return answer;
    }

    /** Ends the run with the report {@code make} builds from the request. */
    void finish(Function<RunRequest, RunReport> make) {
        this.report = make;
        steps.add(END);
    }

    /** The thread the UI called execute on, once it did. */
    Thread executedOn() {
        return executedOn;
    }

    int cancels() {
        return cancels.get();
    }

    static Duration seconds(double s) {
        return Duration.ofMillis((long) (s * 1000));
    }
}
