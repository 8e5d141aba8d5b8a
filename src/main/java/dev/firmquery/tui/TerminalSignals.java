package dev.firmquery.tui;

import dev.firmquery.exit.ExitCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * SIGTERM, SIGHUP (the SSH session dropped) and SIGINT (a {@code kill -INT}; Ctrl-C itself arrives as a
 * key) while the UI runs: the first one ends the UI gracefully (a run is cancelled, its finished
 * chunks are written, the terminal is restored); a second one restores the terminal and exits at
 * once. Uses {@code sun.misc.Signal}, as the headless CLI does, because a shutdown hook could neither
 * wait for the files nor choose the exit code.
 */
final class TerminalSignals implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TerminalSignals.class);

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    /**
     * @param graceful  called on the signal thread with the signal's name on the first signal
     * @param emergency called on the signal thread on the second signal, before the JVM halts as
     *                  {@link ExitCode#INTERRUPTED}
     */
    TerminalSignals(Consumer<String> graceful, Runnable emergency) {
        AtomicInteger count = new AtomicInteger();
        SignalHandler handler = sig -> {
            if (count.incrementAndGet() == 1) {
                log.warn("received SIG{}: ending the UI gracefully", sig.getName());
                graceful.accept("SIG" + sig.getName());
            } else {
                log.warn("received SIG{} again: restoring the terminal and exiting at once", sig.getName());
                try {
                    emergency.run();
                } finally {
                    ExitCode.INTERRUPTED.haltNow();
                }
            }
        };
        for (String name : new String[] {"TERM", "HUP", "INT"}) {
            try {
                Signal s = new Signal(name);
                previous.put(s, Signal.handle(s, handler));
            } catch (IllegalArgumentException e) {
                log.debug("signal {} cannot be handled here", name, e);
            }
        }
    }

    /** Puts the previous handlers back. */
    @Override
    public void close() {
        previous.forEach(Signal::handle);
        previous.clear();
    }
}
