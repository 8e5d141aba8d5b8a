package dev.firmquery.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C / SIGTERM handling for headless runs: the first signal cancels the run gracefully (running
 * statements are cancelled, finished chunks are written, exit 130); a second one quits at once.
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

    static void install(Runnable cancel, PrintStream err, boolean terminal) {
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
                Runtime.getRuntime().halt(130);
            }
        };
        for (String name : new String[] {"INT", "TERM"}) {
            handle(name, handler);
        }
        if (terminal) {
            handle("HUP", handler);
        } else {
            handle("HUP", sig -> log.warn("received SIGHUP with output not on a terminal: carrying on"));
        }
    }

    private static void handle(String name, sun.misc.SignalHandler handler) {
        try {
            Signal.handle(new Signal(name), handler);
        } catch (IllegalArgumentException e) {
            log.debug("signal {} cannot be handled here", name, e);
        }
    }
}
