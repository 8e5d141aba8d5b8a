package dev.firmquery.tui.progress;

import dev.firmquery.chunk.Chunk;
import dev.firmquery.export.Column;
import dev.firmquery.run.ChunkOutcome;
import dev.firmquery.run.RunListener;
import dev.firmquery.run.RunProgress;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;
import dev.firmquery.tui.widget.Fmt;

import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The live state of one run, fed by the engine's events on its worker and writer threads and read by
 * the GUI thread as an immutable {@link ProgressView}. Every event only updates a few fields under
 * one lock and signals a {@link dev.firmquery.tui.core.Coalescer}, so the engine never waits for the screen.
 *
 */
final class LiveRun implements RunListener {
    /** Chunk events kept for the scrolling list. */
    static final int EVENTS_KEPT = 500;
    /** Columns of the rows-per-second sparkline: with its label and peak it fits a 60-column terminal. */
    static final int SPARK_WIDTH = 36;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    /** Where a run is. */
    enum Phase {
        /** Planning and naming the files. */
        PREPARING("preparing"),
        /** Connecting and describing the query. */
        CONNECTING("connecting"),
        RUNNING("running"),
        /** The database stopped answering; the workers wait while it is probed. */
        PAUSED("paused: database unreachable"),
        /** Waiting for the user to renew the Kerberos ticket. */
        TICKET("waiting for kinit"),
        /** Cancel requested; finishing the files. */
        CANCELLING("cancelling"),
        FINISHED("finished"),
        /** Stopped with an error before or while writing the files. */
        FAILED("failed");

        private final String label;

        Phase(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    private final int number;
    private final LongSupplier nanoTime;
    private final Supplier<LocalTime> wallClock;
    private final Runnable changed;
    private final long startNanos;

    private final Object lock = new Object();
    private Phase phase = Phase.PREPARING;
    private RunRequest request;
    private RunProgress progress;
    private final List<Worker> workers = new ArrayList<>();
    private final Deque<String> events = new ArrayDeque<>();
    private final BitSet succeeded = new BitSet();
    private final BitSet failed = new BitSet();
    private long finishedNanos = -1;
    private RunReport report;
    private final RunCharts charts = new RunCharts();
    /** Which job of several marked queries this run is ({@code job 1/2 NAME}), or null for a single run. */
    private volatile String job;

    /**
     * @param number    the run's number in this session (1, 2, ...)
     * @param nanoTime  monotonic clock
     * @param wallClock time of day for the event list
     * @param changed   called (on the engine's threads) after every change; must be cheap
     */
    LiveRun(int number, LongSupplier nanoTime, Supplier<LocalTime> wallClock, Runnable changed) {
        this.number = number;
        this.nanoTime = nanoTime;
        this.wallClock = wallClock;
        this.changed = changed;
        this.startNanos = nanoTime.getAsLong();
    }

    int number() {
        return number;
    }

    /** Names the job of several this run is ({@code job 1/2 NAME}; null: a single run), for the title. */
    LiveRun job(String label) {
        this.job = label;
        return this;
    }

    /** The request, once prepared; null before. */
    RunRequest request() {
        synchronized (lock) {
            return request;
        }
    }

    Phase phase() {
        synchronized (lock) {
            return phase;
        }
    }

    /** The plan is ready; the engine is about to connect. */
    void prepared(RunRequest r) {
        synchronized (lock) {
            request = r;
            if (phase == Phase.PREPARING) {
                phase = Phase.CONNECTING;
            }
            event("run " + number + ": " + Fmt.plural(r.plan().idCount(), "ID", "IDs") + " in "
                    + Fmt.plural(r.plan().size(), "chunk", "chunks") + ", " + r.settings().threadCount()
                    + " workers; connecting");
        }
        changed.run();
    }

    /** The user asked to cancel. */
    void cancelling() {
        synchronized (lock) {
            if (phase != Phase.FINISHED && phase != Phase.FAILED) {
                phase = Phase.CANCELLING;
                event("cancel requested: stopping running statements, writing the finished chunks");
            }
        }
        changed.run();
    }

    /** The run stopped with an error (cannot connect, query rejected, files not writable). */
    void failed(String message) {
        synchronized (lock) {
            phase = Phase.FAILED;
            finishedNanos = nanoTime.getAsLong();
            event("run failed: " + message);
        }
        changed.run();
    }

    /** The phase and, once chunks are written, the share of IDs done: {@code running 62%}. */
    String status() {
        synchronized (lock) {
            long total = request == null ? 0 : request.plan().idCount();
            return phase.label() + (total > 0 && progress != null ? " " + Fmt.percent(progress.idsDone(), total) : "");
        }
    }

    /** A line in the event list from outside the engine (Kerberos renewals, questions asked). */
    void note(String text) {
        synchronized (lock) {
            event(text);
        }
        changed.run();
    }

    /** Waiting for the user's kinit ({@code true}), or not any more. */
    void waitingForTicket(boolean waiting) {
        synchronized (lock) {
            if (waiting && phase == Phase.RUNNING) {
                phase = Phase.TICKET;
            } else if (!waiting && phase == Phase.TICKET) {
                phase = Phase.RUNNING;
            }
        }
        changed.run();
    }

    /** The run's report once it finished, else null. */
    RunReport report() {
        synchronized (lock) {
            return report;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // RunListener: engine threads

    @Override
    public void runStarted(RunRequest r, List<Column> columns) {
        synchronized (lock) {
            request = r;
            if (phase != Phase.CANCELLING) {
                phase = Phase.RUNNING;
            }
            workers.clear();
            for (int w = 1; w <= r.settings().threadCount(); w++) {
                workers.add(new Worker(w));
            }
            event("query " + r.template().name() + " described: " + Fmt.plural(columns.size(), "column", "columns")
                    + "; writing " + r.output().directory().resolve(r.output().baseName()) + ".*");
        }
        changed.run();
    }

    @Override
    public void chunkStarted(int worker, Chunk chunk, int attempt) {
        synchronized (lock) {
            Worker w = worker(worker);
            if (w != null) {
                w.chunk = chunk;
                w.attempt = attempt;
                w.since = nanoTime.getAsLong();
                w.retryAt = -1;
                w.state = "running";
            }
        }
        changed.run();
    }

    @Override
    public void chunkRetrying(int worker, Chunk chunk, int attempt, String error, Duration delay) {
        synchronized (lock) {
            Worker w = worker(worker);
            if (w != null) {
                w.retryAt = nanoTime.getAsLong() + delay.toNanos();
                w.state = "retry";
            }
            event(String.format(Locale.ROOT, "chunk %s retrying after attempt %d of %d in %s: %s",
                    chunkLabel(chunk), attempt, maxAttempts(), Fmt.seconds(delay), error));
        }
        changed.run();
    }

    @Override
    public void chunkFinished(int worker, ChunkOutcome outcome) {
        synchronized (lock) {
            Worker w = worker(worker);
            long took = 0;
            if (w != null) {
                took = nanoTime.getAsLong() - w.since;
                w.chunk = null;
                w.retryAt = -1;
                // Until it takes the next chunk: usually at once, or when the writer catches up.
                w.state = "waiting";
                w.done++;
            }
            int n = outcome.chunk().number();
            if (outcome.state() == ChunkOutcome.State.SUCCEEDED) {
                succeeded.set(n);
                charts.chunk(took);
                event(String.format(Locale.ROOT, "chunk %s done: %s, %s in %s%s (worker %d)",
                        chunkLabel(outcome.chunk()), Fmt.plural(outcome.chunk().size(), "ID", "IDs"),
                        Fmt.plural(outcome.rows(), "row", "rows"), Fmt.seconds(Duration.ofNanos(took)),
                        outcome.retries() > 0 ? " after " + Fmt.plural(outcome.retries(), "retry", "retries") : "",
                        worker));
            } else if (outcome.state() == ChunkOutcome.State.FAILED) {
                failed.set(n);
                event("chunk " + chunkLabel(outcome.chunk()) + " FAILED: " + outcome.error());
            }
        }
        changed.run();
    }

    @Override
    public void runPaused(String reason) {
        synchronized (lock) {
            if (phase == Phase.RUNNING || phase == Phase.TICKET) {
                phase = Phase.PAUSED;
            }
            event("paused: " + reason);
        }
        changed.run();
    }

    @Override
    public void runResumed() {
        synchronized (lock) {
            if (phase == Phase.PAUSED) {
                phase = Phase.RUNNING;
            }
            event("the database answers again; the workers carry on");
        }
        changed.run();
    }

    @Override
    public void progress(RunProgress p) {
        synchronized (lock) {
            progress = p;
            charts.rows(nanoTime.getAsLong() - startNanos, p.rowsWritten());
        }
        changed.run();
    }

    @Override
    public void runFinished(RunReport r) {
        synchronized (lock) {
            report = r;
            phase = Phase.FINISHED;
            finishedNanos = nanoTime.getAsLong();
            for (Worker w : workers) {
                w.chunk = null;
                w.retryAt = -1;
                w.state = "done";
            }
            event("run " + number + " " + r.status().label() + ": " + Fmt.plural(r.counts().rows(), "row", "rows") + ", "
                    + Fmt.count(r.counts().missingIds()) + " missing, " + Fmt.count(r.chunks().failed()) + " failed chunks in "
                    + Fmt.clock(Duration.ofMillis(r.durationMs())));
        }
        changed.run();
    }

    // ---------------------------------------------------------------------------------------------

    /** The picture of the run now. */
    ProgressView view() {
        synchronized (lock) {
            long now = nanoTime.getAsLong();
            Duration elapsed = Duration.ofNanos((finishedNanos >= 0 ? finishedNanos : now) - startNanos);
            int chunksTotal = request == null ? 0 : request.plan().size();
            long idsTotal = request == null ? 0 : request.plan().idCount();
            int chunksDone = progress == null ? 0 : progress.chunksDone();
            long idsDone = progress == null ? 0 : progress.idsDone();
            Duration eta = null;
            if (idsDone > 0 && idsDone < idsTotal && phase == Phase.RUNNING && request != null && !request.isResume()) {
                eta = Duration.ofNanos((long) (elapsed.toNanos() * ((double) (idsTotal - idsDone) / idsDone)));
            } else if (idsTotal > 0 && idsDone >= idsTotal) {
                eta = Duration.ZERO;
            }
            List<ProgressView.WorkerRow> rows = new ArrayList<>();
            for (Worker w : workers) {
                rows.add(w.row(now, chunksTotal, maxAttempts()));
            }
            return new ProgressView(phase, title(), chunksTotal, chunksDone, succeeded.cardinality() + failed.cardinality(),
                    progress == null ? 0 : progress.chunksFailed(), idsTotal, idsDone,
                    progress == null ? 0 : progress.rowsWritten(), progress == null ? 0 : progress.retries(), elapsed,
                    eta, rows, new ArrayList<>(events), charts.picture(SPARK_WIDTH, elapsed.toNanos()));
        }
    }

    private String title() {
        String run = "run " + number + (job == null ? "" : " (" + job + ")");
        if (request == null) {
            return run + ": preparing";
        }
        return run + ": " + request.template().name() + " over " + source(request.input().source())
                + (request.isResume() ? " (re-run of " + request.runId() + ")" : "");
    }

    private static String source(String s) {
        return "-".equals(s) ? "pasted IDs" : s;
    }

    private Worker worker(int n) {
        return n >= 1 && n <= workers.size() ? workers.get(n - 1) : null;
    }

    private int maxAttempts() {
        return request == null ? 1 : request.settings().maxRetries() + 1;
    }

    private String chunkLabel(Chunk c) {
        return c.number() + "/" + (request == null ? "?" : Integer.toString(request.plan().size()));
    }

    private void event(String text) {
        events.addLast(TIME.format(wallClock.get()) + " " + text);
        while (events.size() > EVENTS_KEPT) {
            events.removeFirst();
        }
    }

    /** A worker's current chunk; guarded by {@code lock}. */
    private static final class Worker {
        final int number;
        Chunk chunk;
        int attempt;
        long since;
        long retryAt = -1;
        String state = "starting";
        int done;

        Worker(int number) {
            this.number = number;
        }

        ProgressView.WorkerRow row(long now, int total, int maxAttempts) {
            if (chunk == null) {
                return new ProgressView.WorkerRow(number, "", "", "", "",
                        state + (done > 0 ? " (" + Fmt.count(done) + " done)" : ""));
            }
            String s = retryAt >= 0
                    ? "retry in " + Fmt.seconds(Duration.ofNanos(Math.max(0, retryAt - now)))
                    : state;
            return new ProgressView.WorkerRow(number, chunk.number() + "/" + total, Fmt.count(chunk.size()),
                    attempt + "/" + maxAttempts, Fmt.seconds(Duration.ofNanos(now - since)), s);
        }
    }
}
