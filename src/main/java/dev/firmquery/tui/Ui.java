package dev.firmquery.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.BorderLayout;
import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import dev.firmquery.app.RunExecutor;
import dev.firmquery.app.RunService;
import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.run.RunSetup;
import dev.firmquery.tui.config.ConfigController;
import dev.firmquery.tui.config.SessionSettings;
import dev.firmquery.tui.core.Action;
import dev.firmquery.tui.core.Frame;
import dev.firmquery.tui.core.GuiThread;
import dev.firmquery.tui.core.UiContext;
import dev.firmquery.tui.core.View;
import dev.firmquery.tui.core.WindowController;
import dev.firmquery.tui.history.HistoryController;
import dev.firmquery.tui.input.InputController;
import dev.firmquery.tui.progress.FinishedRun;
import dev.firmquery.tui.profiles.ProfilesController;
import dev.firmquery.tui.progress.ProgressController;
import dev.firmquery.tui.results.ResultsController;
import dev.firmquery.tui.unfinished.UnfinishedRunsController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The frame of the full-screen UI: one full-screen window with the window tabs at the top, the current
 * window in the middle, and the key hints and the status bar at the bottom; dialogs on top. It routes
 * keys to the window controllers ({@code input}, {@code progress}, {@code results}, {@code config},
 * {@code unfinished}, {@code history}, {@code profiles}), which own their window's state and do everything
 * slow on the background executor; engine events reach the components only through the GUI thread,
 * coalesced to at most ~10 repaints a second.
 *
 * <p>Everything except {@link #requestShutdown}, {@link #isClosed()}, {@link #awaitRunEnd},
 * {@link #exitCode()} and {@link #ioErrors()} must be called on the GUI thread, and says so with an
 * {@link IllegalStateException} otherwise ({@link GuiThread#checkOn}).
 */
final class Ui implements Frame, KeyRouter.Target {
    private static final Logger log = LoggerFactory.getLogger(Ui.class);
    static final Duration TICK = Duration.ofMillis(500);
    private final UiContext ui;
    private final GuiThread gui;
    private final TuiSession session;
    private final BasicWindow window = new BasicWindow("firmquery");
    private final Panel middle = new Panel(new BorderLayout());
    private final FrameBars bars;
    private final HelpDialog helpDialog;
    private final UiErrors errors;
    private final ConfigController config;
    private final ProgressController progress;
    private final InputController input;
    private final ResultsController results;
    private final UnfinishedRunsController unfinished;
    private final HistoryController history;
    private final ProfilesController profiles;

    private View view = View.INPUT;
    private final QuitGuard quitGuard = new QuitGuard();
    private final AtomicReference<String> shutdownReason = new AtomicReference<>();
    private volatile boolean closed;
    private volatile ExitCode exitCode = ExitCode.COMPLETED;

    /**
     * @param ui        the GUI (its GUI thread is the caller's), the executor, the timer and the clocks
     * @param session   what the UI starts with
     * @param runners   runs a request: the engine on the session's one connection pool
     * @param poolState the pool's counts, for the status bar (called on the timer thread)
     * @param service   prepares, executes and audits the runs
     * @param sessions  replaces the database session when the user switches environment
     */
    Ui(UiContext ui, TuiSession session, RunExecutor.Factory runners, Supplier<ConnectionPool.PoolState> poolState,
       RunService service, ProfilesController.SessionSwitch sessions) {
        this.ui = ui;
        this.gui = ui.onGui();
        this.session = session;
        this.helpDialog = new HelpDialog(ui.gui(), ui.glyphs());
        this.errors = new UiErrors(ui.dialogs(), session.config().logging().directory().resolve("firmquery.log"));
        this.bars = new FrameBars(gui, ui.glyphs(), session.config().database(), session.profiles().start().label(),
                poolState, session.credentialsStatus());
        TuiSession.Preselection pre = session.preselect();
        SessionSettings initial = ConfigController.withChoices(SessionSettings.of(session.config()), pre.outDir(),
                pre.formats());
        this.config = new ConfigController(ui, session.config(), session.settings(), session.configWarnings(), initial,
                session.workingDirectory(), session.userHome(), this::replan);
        this.progress = new ProgressController(ui, this, runners, service, config::currentConfig,
                new ProgressController.Listener(this::runEnded, this::runActiveChanged));
        this.input = new InputController(ui, this, config, session.queryRoots(),
                RunSetup.approval(session.config().policy()), session.workingDirectory(), session.userHome(),
                progress::isActive, this::run);
        this.results = new ResultsController(ui, this, progress, this::newRun, this::quit);
        this.unfinished = new UnfinishedRunsController(ui, this, progress, config::outputFolder,
                new UnfinishedRunsController.Input(input::note, input::refocus));
        this.history = new HistoryController(ui, this, progress, config::outputFolder, session.userHome(), results, input);
        this.profiles = new ProfilesController(ui, session.profiles(), sessions, progress::isActive, this::switched);
        buildWindow();
    }

    // ---------------------------------------------------------------------------------------------
    // Life cycle

    /**
     * Shows the window, installs the exception handler and the timer, loads a preselected input, and
     * lists the output folder's unfinished runs (shown only if there are any).
     */
    void start() {
        gui.checkOn("Ui.start");
        ui.gui().getGUIThread().setExceptionHandler(errors);
        ui.gui().addWindow(window);
        TuiSession.Preselection pre = session.preselect();
        input.start(pre.query(), pre.ids());
        show(View.INPUT);
        refreshStatus();
        ui.scheduler().schedule(Duration.ZERO, this::tick);
        ui.scheduler().repeat(TICK, this::tick);
        if (pre.ids() != null) {
            input.load();
        }
        unfinished.listAtStart();
    }

    /** Whether the UI has closed; the main loop then ends. From any thread. */
    boolean isClosed() {
        return closed;
    }

    /** How the UI ended once closed: completed when the user quit, interrupted after a signal or a lost terminal. */
    ExitCode exitCode() {
        return exitCode;
    }

    /** Terminal I/O errors so far (the main loop gives up when they pile up). From any thread. */
    int ioErrors() {
        return errors.ioErrors();
    }

    /**
     * Ends the UI from any thread (SIGTERM, SIGHUP, the terminal went away): a running run is cancelled
     * at once, its finished chunks are written, then the UI closes as {@link ExitCode#INTERRUPTED}.
     */
    void requestShutdown(String reason) {
        if (!shutdownReason.compareAndSet(null, reason)) {
            return;
        }
        log.warn("shutting down the UI: {}", reason);
        progress.cancelForShutdown();
        gui.execute(() -> {
            exitCode = ExitCode.INTERRUPTED;
            input.cancelLoad();
            if (!progress.isActive()) {
                close();
            } else {
                progress.quitWhenRunEnds();
                show(View.PROGRESS);
            }
        });
    }

    /** Waits (from any thread) until no run is active, at most {@code timeout}. */
    boolean awaitRunEnd(Duration timeout) throws InterruptedException {
        return progress.awaitRunEnd(timeout);
    }

    @Override
    public boolean closing() {
        return closed || shutdownReason.get() != null;
    }

    @Override
    public void close() {
        gui.checkOn("Ui.close");
        if (!closed) {
            closed = true;
            window.close();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Layout and keys

    private void buildWindow() {
        window.setHints(List.of(Window.Hint.FULL_SCREEN, Window.Hint.NO_DECORATIONS, Window.Hint.NO_POST_RENDERING));
        Panel main = new Panel(new BorderLayout());
        main.addComponent(bars.tabs(), BorderLayout.Location.TOP);
        main.addComponent(middle, BorderLayout.Location.CENTER);
        main.addComponent(bars.bottom(), BorderLayout.Location.BOTTOM);
        window.setComponent(main);
        window.addWindowListener(new KeyRouter(this, input::pasted));
    }

    @Override
    public boolean plainKey(char c) {
        return view == View.RESULTS && results.selectTab(c);
    }

    @Override
    public void resized() {
        refreshBars();
    }

    @Override
    public void perform(Action action, KeyStroke key) {
        gui.checkOn("Ui.perform");
        Runnable doIt = switch (action) {
            case HELP -> () -> helpDialog.openOver(ui.dialogs(), session.config().logging().directory());
            case INPUT -> () -> show(View.INPUT);
            case PROGRESS -> () -> show(View.PROGRESS);
            case RESULTS -> () -> show(View.RESULTS);
            case CONFIG -> () -> show(View.CONFIG);
            case BROWSE -> input::browse;
            case LOAD -> input::load;
            case RUN -> this::run;
            case RERUN -> results::rerun;
            case RESUME -> unfinished::open;
            case HISTORY -> history::open;
            case PROFILES -> profiles::open;
            case QUIT -> this::quit;
            case CANCEL -> () -> cancelKey(key);
            case PASTE -> input::paste;
            case NEW_RUN -> this::newRun;
            case APPLY, RESET -> () -> config.key(action, view == View.CONFIG);
            case REDRAW -> this::redraw;
        };
        doIt.run();
    }

    private WindowController controller(View v) {
        return switch (v) {
            case INPUT -> input;
            case PROGRESS -> progress;
            case RESULTS -> results;
            case CONFIG -> config;
        };
    }

    @Override
    public void show(View v) {
        gui.checkOn("Ui.show");
        view = v;
        quitGuard.shown(v);
        WindowController c = controller(v);
        middle.removeAllComponents();
        c.shown();
        middle.addComponent(c.root(), BorderLayout.Location.CENTER);
        window.setFocusedInteractable(c.defaultFocus());
        refreshBars();
    }

    @Override
    public View view() {
        return view;
    }

    @Override
    public void focus(Interactable component) {
        gui.checkOn("Ui.focus");
        window.setFocusedInteractable(component);
    }

    private void refreshBars() {
        bars.showTabs(view, terminalWidth());
        refreshStatus();
    }

    /** The key hints of the current window and the status bar. */
    @Override
    public void refreshStatus() {
        gui.checkOn("Ui.refreshStatus");
        bars.showKeys(controller(view).keys(), terminalWidth());
        bars.showStatus(runState(), terminalWidth());
    }

    private String runState() {
        Optional<String> running = progress.activeStatus();
        if (running.isPresent()) {
            return running.get();
        }
        if (input.isLoading()) {
            return "loading";
        }
        FinishedRun last = results.lastRun();
        if (quitGuard.unseen(last)) {
            return "run " + last.number() + " " + last.report().status().label() + ": F9";
        }
        if (last != null && (!input.hasPreview() || view == View.RESULTS)) {
            return "run " + last.number() + " " + last.report().status().label();
        }
        return input.isReady() ? "ready" : "idle";
    }

    private int terminalWidth() {
        Screen s = ui.gui().getScreen();
        TerminalSize size = s == null ? null : s.getTerminalSize();
        return size == null ? 80 : size.getColumns();
    }

    /** Timer thread: the status bar reads the pool and the credentials, then the bars are drawn again. */
    private void tick() {
        bars.read(() -> {
            refreshStatus();
            progress.tick(bars.pool());
        });
    }

    // ---------------------------------------------------------------------------------------------
    // Actions of the frame

    private void replan() {
        input.replan();
    }

    /** Another environment is in use: its values for the next runs, its database in the status bar. */
    private void switched(ProfilesController.InUse now) {
        config.rebase(now.loaded());
        bars.useDatabase(now.loaded().config().database(), now.label());
        refreshStatus();
    }

    private void runEnded(FinishedRun f) {
        results.show(f);
        quitGuard.runEnded(); // before the progress window shows the results (which clears it) or not
    }

    private void runActiveChanged() {
        input.updateRunButton();
    }

    /** F5: starts the loaded input, if it can run. */
    void run() {
        gui.checkOn("Ui.run");
        if (progress.isActive()) {
            show(View.PROGRESS);
            return;
        }
        input.runStart(progress::start, progress::startJobs);
    }

    /** Alt-N: back to the input for another run; the connection pool stays. */
    void newRun() {
        gui.checkOn("Ui.newRun");
        input.newRun(results.lastRun() != null);
    }

    private void cancelKey(KeyStroke key) {
        boolean ctrlC = key.getKeyType() == KeyType.Character;
        if (progress.isActive()) {
            progress.cancel();
        } else if (input.isLoading()) {
            input.stopLoading();
        } else if (ctrlC) {
            quit();
        }
    }

    /** q / F10: quits, asking first when a run is active or quitting would lose something ({@link QuitGuard}). */
    void quit() {
        gui.checkOn("Ui.quit");
        if (progress.isActive()) {
            progress.askQuit();
            return;
        }
        quitGuard.quit(ui.dialogs(), results.lastRun(), input.loadedNotRun(), () -> {
            input.cancelLoad();
            exitCode = ExitCode.COMPLETED;
            close();
        });
    }

    /** The configuration the next run uses: the loaded one with the session's values. */
    AppConfig currentConfig() {
        return config.currentConfig();
    }

    private void redraw() {
        try {
            ui.gui().updateScreen();
            ui.gui().getScreen().refresh(Screen.RefreshType.COMPLETE);
        } catch (IOException e) {
            log.warn("redraw failed", e);
        }
    }
}
