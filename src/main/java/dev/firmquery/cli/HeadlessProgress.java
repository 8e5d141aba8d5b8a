package dev.firmquery.cli;

import dev.firmquery.chunk.Chunk;
import dev.firmquery.run.ChunkOutcome;
import dev.firmquery.run.RunProgress;
import dev.firmquery.run.RunListener;
import dev.firmquery.text.TerminalText;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress of a headless run on stderr: on a terminal one line rewritten in place at most ~5 times a
 * second; otherwise (cron, a pipe, a log file) a plain line every 10 seconds, so logs stay readable.
 * Retries and failures always get their own line.
 */
final class HeadlessProgress implements RunListener {
    private final PrintStream err;
    private final boolean terminal;
    private final long intervalNanos;
    private final Object lock = new Object();
    private long lastPrint;
    private boolean lineOpen;
    private RunProgress last;

    HeadlessProgress(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
        this.intervalNanos = terminal ? 200_000_000L : 10_000_000_000L;
        this.lastPrint = System.nanoTime();
    }

    @Override
    public void chunkRetrying(int worker, Chunk chunk, int attempt, String error, Duration delay) {
        line(String.format(Locale.ROOT, "retry: chunk %d attempt %d failed (%s); retrying in %.1f s",
                chunk.number(), attempt, error, delay.toMillis() / 1000.0));
    }

    @Override
    public void chunkFinished(int worker, ChunkOutcome outcome) {
        if (outcome.state() == ChunkOutcome.State.FAILED) {
            line("failed: " + outcome.error());
        }
    }

    @Override
    public void progress(RunProgress p) {
        synchronized (lock) {
            last = p;
            long now = System.nanoTime();
            boolean done = p.chunksDone() == p.chunksTotal();
            if (!done && now - lastPrint < intervalNanos) {
                return;
            }
            lastPrint = now;
            if (terminal) {
                String text = render(p);
                err.print("\r" + text + " ".repeat(Math.max(0, 79 - text.length())));
                lineOpen = true;
                if (done) {
                    err.println();
                    lineOpen = false;
                }
                err.flush();
            } else {
                err.println(render(p));
            }
        }
    }

    /** Ends an open progress line so the summary starts on a fresh line. */
    void close() {
        synchronized (lock) {
            if (lineOpen) {
                err.println();
                lineOpen = false;
            }
        }
    }

    /** Prints a line of its own; {@code text} may hold server text, so it is made printable first. */
    private void line(String raw) {
        String text = TerminalText.printable(raw);
        synchronized (lock) {
            if (lineOpen) {
                err.print("\r" + " ".repeat(79) + "\r");
                lineOpen = false;
            }
            err.println(text);
            if (last != null && terminal) {
                String t = render(last);
                err.print(t);
                lineOpen = true;
            }
            err.flush();
        }
    }

    /** Fits in 79 columns: {@code 37% 1480/4000 chunks 370,000 ids 1,120,334 rows 52k/s 0:41 eta 1:10}. */
    static String render(RunProgress p) {
        double pct = p.idsTotal() == 0 ? 100 : 100.0 * p.idsDone() / p.idsTotal();
        Duration eta = p.eta();
        return String.format(Locale.ROOT, "%3.0f%% %d/%d chunks %,d ids %,d rows %s/s %s eta %s%s", pct,
                p.chunksDone(), p.chunksTotal(), p.idsDone(), p.rowsWritten(), compact(p.rowsPerSecond()),
                clock(p.elapsed()), eta == null ? "-" : clock(eta),
                p.chunksFailed() > 0 ? " failed " + p.chunksFailed() : "");
    }

    static String compact(double n) {
        if (n >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1fM", n / 1_000_000);
        }
        if (n >= 10_000) {
            return String.format(Locale.ROOT, "%.0fk", n / 1000);
        }
        return String.format(Locale.ROOT, "%.0f", n);
    }

    static String clock(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
