package dev.firmquery.tui.progress;

import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Window;
import dev.firmquery.app.JobsRecord;
import dev.firmquery.app.Preparation;
import dev.firmquery.app.RunExecutor;
import dev.firmquery.app.RunService;
import dev.firmquery.config.AppConfig;
import dev.firmquery.run.RunException;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.store.BatchRecord;
import dev.firmquery.tui.core.Action;
import dev.firmquery.tui.core.Coalescer;
import dev.firmquery.tui.core.Dialogs;
import dev.firmquery.tui.core.Frame;
import dev.firmquery.tui.core.GuiThread;
import dev.firmquery.tui.core.UiContext;
import dev.firmquery.tui.core.View;
import dev.firmquery.tui.core.WindowController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The progress window (F8) and the life cycle of the run it shows, one run at a time: prepare it and
 * run it through the {@link RunService} (which audits every outcome, as for {@code firmquery run}) on the
 * background executor ({@code firmquery-run-N}), show its events (coalesced to at most ten repaints a
 * second), ask before cancelling or quitting, ask for a fresh Kerberos ticket, and hand the finished run
 * to the results window. Public methods run on the GUI thread unless they say otherwise; the run itself
 * never does.
 */
public final class ProgressController implements WindowController {
    private static final Logger log = LoggerFactory.getLogger(ProgressController.class);

    /**
     * What the rest of the UI hears about runs; called on the GUI thread.
     *
     * @param runEnded      a run ended with a report (completed, partial, cancelled or stopped)
     * @param activeChanged a run started or ended (Run is enabled or disabled)
     */
    public record Listener(Consumer<FinishedRun> runEnded, Runnable activeChanged) {
    }

    /** A run in progress. */
    private record ActiveRun(int number, LiveRun live, RunExecutor engine, CountDownLatch ended) {
    }

    private final UiContext ui;
    private final GuiThread gui;
    private final Frame frame;
    private final RunExecutor.Factory runners;
    private final RunService service;
    private final Supplier<AppConfig> config;
    private final Listener listener;
    private final ProgressScreen screen;

    private volatile ActiveRun active;
    private LiveRun shownRun;
    private int runCount;
    private Window cancelQuestion;
    private boolean quitWhenRunEnds;
    /** The jobs of several marked queries while they run, or null for a single run; GUI thread. */
    private MarkedJobs jobs;

    /**
     * @param runners  runs a request: the engine on the session's one connection pool
     * @param service  prepares, executes and audits the runs
     * @param config   the configuration the next run uses (read on the GUI thread when it starts)
     * @param listener hears when runs start and end
     */
    public ProgressController(UiContext ui, Frame frame, RunExecutor.Factory runners, RunService service,
                              Supplier<AppConfig> config, Listener listener) {
        this.ui = ui;
        this.gui = ui.onGui();
        this.frame = frame;
        this.runners = runners;
        this.service = service;
        this.config = config;
        this.listener = listener;
        this.screen = new ProgressScreen(ui.glyphs(), this::cancel, () -> frame.show(View.RESULTS), () -> {
            LiveRun shown = shownRun;
            if (shown != null && active == null) {
                ChunkPlanDialog.show(ui, runners, shown, () -> frame.show(View.PROGRESS));
            }
        });
    }

    @Override
    public Panel root() {
        return screen.root();
    }

    @Override
    public void shown() {
        refresh();
    }

    @Override
    public Interactable defaultFocus() {
        return screen.defaultFocus();
    }

    @Override
    public List<Action> keys() {
        return active != null ? List.of(Action.CANCEL, Action.RESULTS, Action.INPUT, Action.QUIT)
                : List.of(Action.RESULTS, Action.INPUT, Action.QUIT);
    }

    // ---------------------------------------------------------------------------------------------
    // State, from any thread

    /** Whether a run is active; from any thread. */
    public boolean isActive() {
        return active != null;
    }

    /** The active run's number in the session; from any thread. */
    public OptionalInt activeNumber() {
        ActiveRun a = active;
        return a == null ? OptionalInt.empty() : OptionalInt.of(a.number());
    }

    /** The active run's state for the status bar ({@code running 62%}, {@code cancelling}...). */
    public Optional<String> activeStatus() {
        ActiveRun a = active;
        return a == null ? Optional.empty() : Optional.of(a.live().status());
    }

    /** Deletes an unfinished run's folder through the service, which audits it; off the GUI thread. */
    public void deleteUnfinished(dev.firmquery.run.store.UnfinishedRun run) throws java.io.IOException {
        service.deleteUnfinished(run);
    }

    /** The ids of the runs this process is running ({@link RunService#running}, a live view); from any thread. */
    public Set<String> runningHere() {
        return service.running();
    }

    /**
     * Waits until no run is active, at most {@code timeout}; from any thread. The main loop calls it on
     * the GUI thread once the terminal is gone and nothing is drawn any more.
     */
    public boolean awaitRunEnd(Duration timeout) throws InterruptedException {
        ActiveRun a = active;
        return a == null || a.ended().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Cancels the active run at once, without asking (SIGTERM, SIGHUP, the terminal went away); from any
     * thread. Its finished chunks are still written.
     */
    public void cancelForShutdown() {
        ActiveRun a = active;
        if (a != null) {
            a.engine().cancel();
            a.live().cancelling();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The run's life cycle

    /** Prepares and runs {@code start} on the background executor and shows its progress. */
    public void start(Preparation start) {
        gui.checkOn("ProgressController.start");
        if (jobs != null) {
            return; // marked queries are being recorded (milliseconds); their first job starts next
        }
        begin(start, config.get(), null);
    }

    /**
     * Several queries over the one loaded input, one job after the other, as {@code firmquery run --query A
     * --query B} runs them ({@link RunService#prepareJobs}): each job is a run with its own files; the
     * progress window names the job ({@code job 1/2 NAME}) and the results window shows the last one
     * ended. Refused, with a message, when a template cannot be used or needs a parameter value: the
     * parameter form belongs to the single selected query. A job that fails does not stop the jobs after
     * it; a cancel does, without asking more. After the last one a summary shows every job
     * ({@link JobsSummaryDialog}). Over an ID file the jobs are recorded as a batch first ({@link JobsRecord},
     * on the background executor), so that {@code firmquery batch --resume DIR} goes on with them as a whole
     * after a cancel, a quit or a kill; pasted IDs cannot be read again, and the summary says so.
     *
     * @param choices the loaded input's choices (no parameter values)
     * @param queries the marked queries, at least two, in the list's order
     * @param ids     the IDs the input window loaded and cleaned for its preview
     */
    public void startJobs(dev.firmquery.run.RunSetup.Choices choices, List<String> queries,
                          dev.firmquery.ids.IdLoadResult ids) {
        gui.checkOn("ProgressController.startJobs");
        if (jobs != null || active != null) {
            return; // F5 again while the jobs are being recorded: they start once they are
        }
        List<RunService.ReadyJob> ready;
        try {
            // Templates only (the IDs are loaded): milliseconds, so on the GUI thread.
            ready = service.prepareJobs(config.get(), choices, queries, ids);
        } catch (RunException e) {
            ui.dialogs().message("Cannot run the marked queries", e.getMessage() + "\n\nSeveral marked queries"
                    + " run only when none needs a parameter value without a default: unmark such a query"
                    + " (Space) and run it alone, with its parameter form.", () -> frame.show(View.INPUT));
            return;
        }
        MarkedJobs marked = new MarkedJobs(ready);
        jobs = marked;
        if (choices.ids() == null) {
            marked.notRecorded("pasted IDs " + JobsRecord.NOT_RECORDED + " (above)");
            startNextJob();
            return;
        }
        BatchJobs.create(ui, service, choices, queries, ready, record -> {
            if (jobs == marked) { // else the UI is closing
                record.ifPresent(marked::recorded);
                startNextJob();
            }
        }, message -> {
            if (jobs == marked) {
                jobs = null;
                ui.dialogs().message("Cannot record the marked queries", message + "\n\nNothing ran. Choose another"
                        + " output folder (Output, or F7) and run again (F5).", () -> frame.show(View.INPUT));
            }
        });
    }

    private void startNextJob() {
        RunService.ReadyJob next = jobs.next();
        begin(next.preparation(), next.config(), next.job().label(),
                jobs.record() == null ? null : new BatchJobs.Slot(jobs.record(), jobs.index()));
    }

    private void begin(Preparation start, AppConfig cfg, String job) {
        begin(start, cfg, job, null);
    }

    private void begin(Preparation start, AppConfig cfg, String job, BatchJobs.Slot slot) {
        if (active != null) {
            throw new IllegalStateException("cannot start " + start.description() + ": run " + active.number()
                    + " is still active; the UI runs one at a time");
        }
        int number = ++runCount;
        Coalescer repaint = new Coalescer(ui.scheduler(), gui, ui.nanoTime(), Coalescer.REPAINT_INTERVAL,
                this::refresh);
        LiveRun live = new LiveRun(number, ui.nanoTime(), ui.timeOfDay(), repaint::signal).job(job);
        RunExecutor engine = runners.create(live, new UiTicketHandler(this::askOnGui, live));
        ActiveRun run = new ActiveRun(number, live, engine, new CountDownLatch(1));
        active = run;
        shownRun = live;
        log.info("UI run {} starting: {}", number, start.description());
        frame.show(View.PROGRESS);
        listener.activeChanged().run();
        ui.background().run("run", () -> {
            try {
                execute(run, cfg, start, slot);
            } finally {
                run.ended().countDown();
            }
        });
    }

    /**
     * The run thread: prepare and execute (the service audits both), hand the outcome to the GUI thread;
     * a job of a batch is recorded as started before it runs and as ended after (not when cancelled).
     */
    private void execute(ActiveRun run, AppConfig cfg, Preparation start, BatchJobs.Slot slot) {
        try {
            run(run, cfg, start, slot);
        } finally {
            if (slot != null) {
                slot.close();
            }
        }
    }

    private void run(ActiveRun run, AppConfig cfg, Preparation start, BatchJobs.Slot slot) {
        gui.checkOff("run " + run.number());
        int number = run.number();
        LiveRun live = run.live();
        RunRequest request;
        try {
            request = service.prepare(cfg, start);
        } catch (RunException e) {
            live.failed(e.getMessage());
            gui.execute(() -> runFailed(run, e.getMessage(), null));
            return;
        }
        live.prepared(request);
        String unrecorded = slot == null ? null : slot.started(request);
        if (unrecorded != null) {
            live.failed(unrecorded);
            gui.execute(() -> {
                if (jobs != null) {
                    jobs.cancel();
                }
                runFailed(run, unrecorded, null);
            });
            return;
        }
        try {
            RunReport report = service.execute(request, run.engine());
            if (slot != null) {
                slot.ended(report);
            }
            FinishedRun f = new FinishedRun(number, request, report);
            gui.execute(() -> runEnded(f));
        } catch (RunException e) {
            live.failed(e.getMessage());
            String resume = resumeCommand(request);
            gui.execute(() -> runFailed(run, e.getMessage(), resume));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            live.failed("interrupted");
            String resume = resumeCommand(request);
            gui.execute(() -> runFailed(run, "the run was interrupted; the files of the finished chunks are kept", resume));
        } catch (RuntimeException e) {
            log.error("run {} failed unexpectedly", number, e);
            live.failed(String.valueOf(e));
            String resume = resumeCommand(request);
            gui.execute(() -> runFailed(run, "unexpected error: " + e + " (details in the log)", resume));
        }
    }

    /**
     * The command that finishes a run that stopped with an error, when its run folder is there (the
     * engine makes it once the database described the query); null otherwise. Reads the disk: run thread.
     */
    private static String resumeCommand(RunRequest request) {
        java.nio.file.Path dir = dev.firmquery.run.store.RunStore.pathOf(request.output().directory(), request.runId());
        return java.nio.file.Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                ? Rerun.resumeCommand(dir) : null;
    }

    private void runEnded(FinishedRun f) {
        active = null;
        listener.runEnded().accept(f);
        closeCancelQuestion();
        refresh();
        listener.activeChanged().run();
        if (quitWhenRunEnds) {
            jobs = null;
            frame.close();
            return;
        }
        if (jobs != null) {
            jobs.ended(f);
            if (jobs.hasNext()) {
                startNextJob();
                return;
            }
        }
        // The results replace the progress the user was watching, but never a window they went to
        // meanwhile (a path half typed, a setting half edited): the status bar says F9 instead.
        if (frame.view() == View.PROGRESS || frame.view() == View.RESULTS) {
            frame.show(View.RESULTS);
        }
        showJobsSummary();
    }

    /**
     * A run stopped with an error and no report. Of several marked queries, the next job starts (as the
     * CLI goes on) unless a cancel came first, and the summary after the last one shows the error.
     *
     * @param resume the command that finishes it, or null when it left no run folder
     */
    private void runFailed(ActiveRun run, String message, String resume) {
        active = null;
        closeCancelQuestion();
        refresh();
        listener.activeChanged().run();
        if (quitWhenRunEnds) {
            jobs = null;
            frame.close();
            return;
        }
        if (jobs != null) {
            log.info("UI run {} ({} of several marked queries) failed: {}", run.number(), run.live().view().title(), message);
            jobs.failed(run.live().view().elapsed(), message, resume);
            if (jobs.hasNext()) {
                startNextJob();
                return;
            }
            if (frame.view() == View.PROGRESS || frame.view() == View.RESULTS) {
                frame.show(jobs.anyReport() ? View.RESULTS : View.PROGRESS);
            }
            showJobsSummary();
            return;
        }
        frame.show(View.PROGRESS);
        ui.dialogs().message("Run " + run.number() + " failed", message + (resume == null ? "" : "\n\nLater: " + resume)
                + "\n\nFix the cause and run again (F5); the log has the details.", () -> frame.show(View.INPUT));
    }

    /** After the last of several marked queries (or a cancel): what each job did. */
    private void showJobsSummary() {
        if (jobs == null) {
            return;
        }
        List<JobEnd> summary = jobs.summary();
        String batchLine = jobs.batchLine();
        BatchRecord record = jobs.record();
        if (record != null && batchLine == null) {
            BatchJobs.delete(ui, record); // every job ended: nothing to resume
        }
        jobs = null;
        JobsSummaryDialog.open(ui.gui(), ui.glyphs(), summary, batchLine, () -> { });
    }

    /** Shows the run's latest state; called at most ten times a second while it runs. */
    public void refresh() {
        gui.checkOn("ProgressController.refresh");
        LiveRun live = shownRun;
        if (live != null) {
            screen.show(live.view());
        }
        frame.refreshStatus();
    }

    /**
     * {@link #tick()} with the pool's connections by state, read on the timer thread with the status
     * bar's (null before the first read); GUI thread.
     */
    public void tick(dev.firmquery.db.ConnectionPool.PoolState pool) {
        gui.checkOn("ProgressController.tick");
        screen.showPool(pool);
        tick();
    }

    /** The status bar's clock: the elapsed time and ETA move on even when no event arrives. */
    public void tick() {
        gui.checkOn("ProgressController.tick");
        if (active != null) {
            refresh();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Cancel and quit

    /** Esc / Ctrl-C during a run: asks, then cancels. */
    public void cancel() {
        gui.checkOn("ProgressController.cancel");
        ActiveRun a = active;
        if (a == null) {
            return;
        }
        if (a.live().phase() == LiveRun.Phase.CANCELLING) {
            frame.show(View.PROGRESS);
            return;
        }
        if (cancelQuestion != null) {
            return;
        }
        frame.show(View.PROGRESS);
        cancelQuestion = ui.dialogs().choose("Cancel run " + a.number() + "?",
                "Running statements are stopped and no new chunk starts. The chunks finished so far are written "
                        + "to the files, and the results show what is missing. F6 can run the rest later.",
                List.of(new Dialogs.Choice("Yes, cancel the run (y)", 'y', () -> {
                    cancelQuestion = null;
                    cancelRun(a);
                }), new Dialogs.Choice("No, keep running (n)", 'n', () -> cancelQuestion = null)),
                () -> cancelQuestion = null, 1, true);
    }

    private void cancelRun(ActiveRun a) {
        log.info("UI run {}: cancel requested by the user", a.number());
        if (jobs != null) {
            jobs.cancel(); // the marked queries after it do not start
        }
        a.engine().cancel();
        a.live().cancelling();
    }

    private void closeCancelQuestion() {
        if (cancelQuestion != null) {
            cancelQuestion.close();
            cancelQuestion = null;
        }
    }

    /** q / F10 during a run: asks, then cancels the run and closes the UI once its files are written. */
    public void askQuit() {
        gui.checkOn("ProgressController.askQuit");
        ActiveRun a = active;
        if (a == null) {
            frame.close();
            return;
        }
        String later = jobs != null && jobs.record() != null ? " The marked queries go on later with "
                + JobsRecord.resumeCommand(jobs.record()) + "." : "";
        ui.dialogs().choose("Quit firmquery?", "Run " + a.number() + " is in progress. Quitting cancels it first: "
                        + "running statements are stopped and the finished chunks are written, then firmquery ends."
                        + later,
                List.of(new Dialogs.Choice("Cancel the run and quit (y)", 'y', () -> {
                    if (active == null) {
                        // The run ended while the question was open.
                        frame.close();
                        return;
                    }
                    quitWhenRunEnds = true;
                    cancelRun(a);
                    frame.show(View.PROGRESS);
                }), new Dialogs.Choice("Keep running (n)", 'n', () -> { })), () -> { }, 1, false);
    }

    /** A shutdown (SIGTERM...) while a run is active: close the UI once the cancelled run has written its files. */
    public void quitWhenRunEnds() {
        gui.checkOn("ProgressController.quitWhenRunEnds");
        quitWhenRunEnds = true;
    }

    /**
     * Asks about the expired ticket on the GUI thread ({@link UiTicketHandler}); called on the worker that
     * then waits for the answer, never on the GUI thread (it would wait for itself).
     *
     * @return closes the question if the run is cancelled meanwhile
     */
    private Runnable askOnGui(String title, String text, BlockingQueue<Boolean> answer) {
        gui.checkOff("waiting for the answer about an expired Kerberos ticket");
        AtomicReference<Window> shown = new AtomicReference<>();
        AtomicBoolean closed = new AtomicBoolean();
        gui.execute(() -> {
            if (closed.get()) {
                return;
            }
            frame.show(View.PROGRESS);
            shown.set(ui.dialogs().choose(title, text, List.of(
                    new Dialogs.Choice("Try again (t)", 't', () -> answer.offer(true)),
                    new Dialogs.Choice("Stop the run (s)", 's', () -> answer.offer(false))),
                    () -> answer.offer(true), 0, false));
        });
        return () -> gui.execute(() -> {
            closed.set(true);
            Window w = shown.get();
            if (w != null && w.getTextGUI() != null) {
                w.close();
            }
        });
    }
}
