package dev.firmquery.tui;

import org.slf4j.Logger;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Where {@code System.out} and {@code System.err} point while the UI owns the terminal: a library
 * that prints (a JDBC driver warning through java.util.logging, a stray stack trace) would otherwise
 * write over the screen. Each line goes to the application log instead.
 */
final class LogStream extends OutputStream {
    private static final int MAX_LINE = 8192;

    private final Logger log;
    private final String name;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LogStream(Logger log, String name) {
        this.log = log;
        this.name = name;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            flushLine();
        } else if (line.size() < MAX_LINE) {
            line.write(b);
        }
    }

    @Override
    public synchronized void flush() {
        // Partial lines wait for their end of line; print() without a newline is rare and harmless.
    }

    @Override
    public synchronized void close() {
        flushLine();
    }

    private void flushLine() {
        if (line.size() > 0) {
            String text = line.toString(StandardCharsets.UTF_8).stripTrailing();
            if (!text.isEmpty()) {
                log.warn("{} while the UI ran: {}", name, text);
            }
            line.reset();
        }
    }
}
