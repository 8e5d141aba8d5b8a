package dev.firmquery.cli;

import dev.firmquery.exit.ExitCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C / SIGTERM handling for headless runs: the first signal cancels the run gracefully (running
 * statements are cancelled, finished chunks are written, {@link ExitCode#INTERRUPTED}); a second one quits at once.
 * SIGHUP (the SSH session dropped) cancels too when the output is a terminal; when it is not (nohup,
 * a redirect), the run carries on, which is what a user who redirected the output wants.
 *
 * <p>Uses {@code sun.misc.Signal} (module jdk.unsupported) rather than a shutdown hook because a
 * shutdown hook cannot choose the exit code or let the main thread finish writing the files.
 */
final class Signals {
    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    /**
     * Routes INT, TERM (and HUP on a terminal) to {@code cancel} until the returned handle is closed,
     * which restores the previous handlers, so a later Ctrl-C is not sent to a finished run.
     */
    static Installed install(Runnable cancel, PrintStream err, boolean terminal) {
        AtomicInteger count = new AtomicInteger();
        var handler = (sun.misc.SignalHandler) sig -> {
            if (count.incrementAndGet() == 1) {
                log.warn("received SIG{}: cancelling the run", sig.getName());
                err.println();
                err.println("firmquery: SIG" + sig.getName() + " received, cancelling: finishing the files with the "
                        + "chunks done so far (press Ctrl-C again to quit at once)");
                err.flush();
                cancel.run();
            } else {
                log.warn("received SIG{} again: exiting at once", sig.getName());
                ExitCode.INTERRUPTED.haltNow();
            }
        };
        Map<Signal, sun.misc.SignalHandler> previous = new LinkedHashMap<>();
        for (String name : new String[] {"INT", "TERM"}) {
            handle(name, handler, previous);
        }
        if (terminal) {
            handle("HUP", handler, previous);
        } else {
            handle("HUP", sig -> log.warn("received SIGHUP with output not on a terminal: carrying on"), previous);
        }
        return () -> previous.forEach(Signal::handle);
    }

    /** Restores the handlers that were in place before {@link #install}. */
    interface Installed extends AutoCloseable {
        @Override
        void close();
    }

    private static void handle(String name, sun.misc.SignalHandler handler, Map<Signal, sun.misc.SignalHandler> previous) {
        try {
            Signal signal = new Signal(name);
            previous.put(signal, Signal.handle(signal, handler));
        } catch (IllegalArgumentException e) {
            log.debug("signal {} cannot be handled here", name, e);
        }
    }
}
