package dev.firmquery.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.BorderLayout;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.TextGUIThread;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import dev.firmquery.app.Preparation;
import dev.firmquery.app.RunExecutor;
import dev.firmquery.app.RunService;
import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.ids.IdLoadResult;
import dev.firmquery.run.RunException;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunSetup;
import dev.firmquery.run.Version;
import dev.firmquery.run.store.RunStore;
import dev.firmquery.run.store.UnfinishedRun;
import dev.firmquery.sql.QueryInfo;
import dev.firmquery.sql.QueryResolver;
import dev.firmquery.sql.QueryTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The full-screen UI: one full-screen window with the window tabs at the top, the current window
 * (input, progress, results, configuration) in the middle, and the key hints and the status bar at the
 * bottom; dialogs on top. It owns the session state and runs everything slow on its own threads:
 * loading ({@code firmquery-load-N}), runs ({@code firmquery-run-N}), reading results back
 * ({@code firmquery-results-N}). Engine events reach the components only through the GUI thread
 * ({@code invokeLater}), coalesced to at most ~10 repaints a second.
 *
 * <p>Everything except {@link #requestShutdown}, {@link #isClosed()}, {@link #awaitRunEnd} and
 * {@link #exitCode()} must be called on the GUI thread.
 */
final class Ui {
    private static final Logger log = LoggerFactory.getLogger(Ui.class);
    static final Duration REPAINT_INTERVAL = Duration.ofMillis(100);
    static final Duration TICK = Duration.ofMillis(500);

    /** The windows the middle of the screen can show. */
    enum View {
        INPUT("Input", Action.INPUT),
        PROGRESS("Progress", Action.PROGRESS),
        RESULTS("Results", Action.RESULTS),
        CONFIG("Config", Action.CONFIG);

        final String title;
        final Action action;

        View(String title, Action action) {
            this.title = title;
            this.action = action;
        }
    }

    /** A run in progress. */
    private record ActiveRun(int number, LiveRun live, RunExecutor engine, Thread thread, CountDownLatch ended) {
    }

    private final WindowBasedTextGUI gui;
    private final TuiSession session;
    private final RunExecutor.Factory runners;
    private final Supplier<ConnectionPool.PoolState> poolState;
    private final RunService service;
    private final Scheduler scheduler;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final Supplier<LocalTime> timeOfDay;
    private final Glyphs glyphs;
    private final Executor onGui;
    private final InputLoader loader;
    private final Dialogs dialogs;
    private final FileBrowser browser;
    private final PasteDialog pasteDialog;
    private final HelpDialog helpDialog;
    private final UnfinishedRunsDialog unfinishedDialog;

    private final BasicWindow window = new BasicWindow("firmquery");
    private final Panel middle = new Panel(new BorderLayout());
    private final Bar tabs = new Bar(false, "  ");
    private final Bar keys = new Bar(false, "  ");
    private final Bar status;
    private final InputScreen input;
    private final ProgressScreen progress;
    private final ResultsScreen results;
    private final ConfigScreen config;

    private final SessionSettings configured;
    private SessionSettings settings;
    private View view = View.INPUT;
    private Preview preview;
    private boolean inputDirty;
    private InputLoader.Task loading;
    private volatile ActiveRun active;
    private LiveRun shownRun;
    private FinishedRun lastRun;
    private int runCount;
    private Path lastFolder;
    private Window cancelQuestion;
    private int dialogsOpen;
    private ConnectionPool.PoolState pool;
    private String credentials = "";
    private int errorsShown;
    private final AtomicInteger ioErrors = new AtomicInteger();
    private final AtomicInteger helperThreads = new AtomicInteger();
    /** Ids of the runs this process is running: never listed as unfinished, their locks never probed. */
    private final Set<String> runningHere;
    private final AtomicReference<String> shutdownReason = new AtomicReference<>();
    private boolean quitWhenRunEnds;
    private volatile boolean closed;
    private volatile ExitCode exitCode = ExitCode.COMPLETED;

    /**
     * @param gui         the Lanterna GUI (its GUI thread is the caller's)
     * @param session     what the UI starts with
     * @param runners     runs a request: the engine on the session's one connection pool
     * @param poolState   the pool's counts, for the status bar (called on the timer thread)
     * @param service     prepares, executes and audits the runs
     * @param scheduler   timer for coalesced repaints and the status bar
     * @param nanoTime    monotonic clock
     * @param clock       wall clock for file names and reports
     * @param timeOfDay   time of day for the event list
     */
    Ui(WindowBasedTextGUI gui, TuiSession session, RunExecutor.Factory runners,
       Supplier<ConnectionPool.PoolState> poolState, RunService service, Scheduler scheduler, LongSupplier nanoTime,
       Clock clock, Supplier<LocalTime> timeOfDay) {
        this.gui = gui;
        this.session = session;
        this.runners = runners;
        this.poolState = poolState;
        this.service = service;
        this.runningHere = service.running();
        this.scheduler = scheduler;
        this.nanoTime = nanoTime;
        this.clock = clock;
        this.timeOfDay = timeOfDay;
        this.glyphs = Glyphs.forEnvironment(session.environment());
        this.onGui = task -> gui.getGUIThread().invokeLater(task);
        this.loader = new InputLoader(session.queryRoots(), clock);
        this.dialogs = new Dialogs(gui);
        this.browser = new FileBrowser(gui, glyphs, session.userHome());
        this.pasteDialog = new PasteDialog(gui);
        this.helpDialog = new HelpDialog(gui, glyphs);
        this.unfinishedDialog = new UnfinishedRunsDialog(gui, glyphs, clock.getZone());
        this.status = new Bar(true, " " + glyphs.vertical() + " ");
        this.configured = SessionSettings.of(session.config());
        this.settings = withPreselection(configured, session.preselect());

        Path cwd = session.workingDirectory();
        Path home = session.userHome();
        this.input = new InputScreen(glyphs, cwd, home, queries(), new InputScreen.Callbacks(
                this::browse, this::paste, this::load, this::run, this::inputChanged, this::outputChanged));
        this.progress = new ProgressScreen(glyphs, this::cancel, () -> show(View.RESULTS));
        this.results = new ResultsScreen(glyphs, this::newRun, this::rerun, this::quit);
        this.config = new ConfigScreen(glyphs, cwd, home, this::applyConfig, this::resetConfig);
        this.lastFolder = cwd;
        buildWindow();
    }

    // ---------------------------------------------------------------------------------------------
    // Life cycle

    /**
     * Shows the window, installs the exception handler and the timer, loads a preselected input, and
     * lists the output folder's unfinished runs (shown only if there are any).
     */
    void start() {
        gui.getGUIThread().setExceptionHandler(new TextGUIThread.ExceptionHandler() {
            @Override
            public boolean onIOException(IOException e) {
                int n = ioErrors.incrementAndGet();
                log.error("terminal I/O error #{}", n, e);
                return false;
            }

            @Override
            public boolean onRuntimeException(RuntimeException e) {
                unexpected(e);
                return false;
            }
        });
        gui.addWindow(window);
        TuiSession.Preselection pre = session.preselect();
        input.setOutput(settings);
        updateRunButton();
        if (pre.query() != null) {
            input.setQuery(pre.query());
        }
        if (pre.ids() != null) {
            input.setIdsPath(pre.ids());
            lastFolder = parentOf(pre.ids());
        }
        show(View.INPUT);
        refreshStatus();
        scheduler.schedule(Duration.ZERO, this::tick);
        scheduler.repeat(TICK, this::tick);
        if (pre.ids() != null) {
            load();
        }
        listUnfinished(true, 0, null);
    }

    /** Whether the UI has closed; the main loop then ends. */
    boolean isClosed() {
        return closed;
    }

    /** How the UI ended once closed: completed when the user quit, interrupted after a signal or a lost terminal. */
    ExitCode exitCode() {
        return exitCode;
    }

    /** Terminal I/O errors so far (the main loop gives up when they pile up). */
    int ioErrors() {
        return ioErrors.get();
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
        ActiveRun a = active;
        if (a != null) {
            a.engine().cancel();
            a.live().cancelling();
        }
        onGui.execute(() -> {
            exitCode = ExitCode.INTERRUPTED;
            if (loading != null) {
                loading.cancel();
            }
            if (active == null) {
                close();
            } else {
                quitWhenRunEnds = true;
                show(View.PROGRESS);
            }
        });
    }

    /** Whether a shutdown was requested. */
    boolean shutdownRequested() {
        return shutdownReason.get() != null;
    }

    /** Waits (from any thread) until no run is active, at most {@code timeout}. */
    boolean awaitRunEnd(Duration timeout) throws InterruptedException {
        ActiveRun a = active;
        return a == null || a.ended().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void close() {
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
        main.addComponent(tabs, BorderLayout.Location.TOP);
        main.addComponent(middle, BorderLayout.Location.CENTER);
        Panel bottom = new Panel(new LinearLayout(Direction.VERTICAL));
        bottom.addComponent(keys, LinearLayout.createLayoutData(LinearLayout.Alignment.Fill));
        bottom.addComponent(status, LinearLayout.createLayoutData(LinearLayout.Alignment.Fill));
        main.addComponent(bottom, BorderLayout.Location.BOTTOM);
        window.setComponent(main);
        window.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window w, KeyStroke key, AtomicBoolean deliver) {
                Optional<Action> a = Action.command(key);
                if (a.isPresent()) {
                    deliver.set(false);
                    perform(a.get(), key);
                } else if (key.getKeyType() == KeyType.Character && (key.isCtrlDown() || key.isAltDown())) {
                    // An unbound Ctrl/Alt key must not be typed into a field as a plain letter.
                    deliver.set(false);
                }
            }

            @Override
            public void onUnhandledInput(Window w, KeyStroke key, AtomicBoolean handled) {
                Action.plain(key).ifPresent(a -> {
                    handled.set(true);
                    perform(a, key);
                });
                if (!handled.get() && view == View.RESULTS && key.getKeyType() == KeyType.Character
                        && key.getCharacter() != null && !key.isCtrlDown() && !key.isAltDown()) {
                    ResultsScreen.Tab tab = switch (key.getCharacter()) {
                        case '1' -> ResultsScreen.Tab.MISSING;
                        case '2' -> ResultsScreen.Tab.FAILED;
                        case '3' -> ResultsScreen.Tab.ROWS;
                        default -> null;
                    };
                    if (tab != null) {
                        handled.set(true);
                        results.select(tab);
                        window.setFocusedInteractable(results.lowerFocus());
                    }
                }
            }

            @Override
            public void onResized(Window w, TerminalSize oldSize, TerminalSize newSize) {
                refreshBars();
            }
        });
    }

    /** Does what {@code action} means here and now. */
    void perform(Action action, KeyStroke key) {
        Runnable doIt = switch (action) {
            case HELP -> this::help;
            case INPUT -> () -> show(View.INPUT);
            case PROGRESS -> () -> show(View.PROGRESS);
            case RESULTS -> () -> show(View.RESULTS);
            case CONFIG -> () -> show(View.CONFIG);
            case BROWSE -> this::browse;
            case LOAD -> this::load;
            case RUN -> this::run;
            case RERUN -> this::rerun;
            case RESUME -> this::unfinishedRuns;
            case QUIT -> this::quit;
            case CANCEL -> () -> cancelKey(key);
            case PASTE -> this::paste;
            case NEW_RUN -> this::newRun;
            case APPLY -> () -> {
                if (view == View.CONFIG) {
                    applyConfig();
                }
            };
            case RESET -> () -> {
                if (view == View.CONFIG) {
                    resetConfig();
                }
            };
            case REDRAW -> this::redraw;
        };
        doIt.run();
    }

    /** Shows window {@code v} in the middle and focuses its first useful field. */
    void show(View v) {
        view = v;
        middle.removeAllComponents();
        Panel root = switch (v) {
            case INPUT -> input.root();
            case PROGRESS -> progress.root();
            case RESULTS -> results.root();
            case CONFIG -> config.root();
        };
        Runnable refresh = switch (v) {
            case INPUT -> () -> input.setOutput(settings);
            case CONFIG -> () -> {
                config.setValues(settings);
                config.setSettings(session.settings(), settings.differencesFrom(configured), session.configWarnings());
            };
            case PROGRESS -> this::refreshProgress;
            case RESULTS -> () -> { };
        };
        refresh.run();
        middle.addComponent(root, BorderLayout.Location.CENTER);
        Interactable focus = switch (v) {
            case INPUT -> input.defaultFocus();
            case PROGRESS -> progress.defaultFocus();
            case RESULTS -> results.defaultFocus();
            case CONFIG -> config.defaultFocus();
        };
        window.setFocusedInteractable(focus);
        refreshBars();
    }

    View view() {
        return view;
    }

    private void refreshBars() {
        int width = terminalWidth();
        List<Bar.Segment> full = new ArrayList<>();
        List<Bar.Segment> brief = new ArrayList<>();
        for (View v : View.values()) {
            full.add(new Bar.Segment(v.action.shortKeys() + " " + v.title, v == view));
            brief.add(new Bar.Segment(v.action.primary() + " " + v.title, v == view));
        }
        full.add(Bar.Segment.plain(Action.HELP.shortKeys() + " Help"));
        brief.add(Bar.Segment.plain(Action.HELP.shortKeys() + " Help"));
        full.add(Bar.Segment.plain("firmquery " + Version.current()));
        brief.add(Bar.Segment.plain("firmquery"));
        int fullWidth = 0;
        for (int i = 0; i < full.size() - 1; i++) {
            fullWidth += full.get(i).text().length() + 2;
        }
        tabs.setSegments(fullWidth <= width ? full : brief);
        keys.setSegments(keyHints());
        refreshStatus();
    }

    private List<Bar.Segment> keyHints() {
        List<Action> actions = switch (view) {
            case INPUT -> List.of(Action.BROWSE, Action.PASTE, Action.LOAD, Action.RUN, Action.QUIT);
            case PROGRESS -> active != null ? List.of(Action.CANCEL, Action.RESULTS, Action.INPUT, Action.QUIT)
                    : List.of(Action.RESULTS, Action.INPUT, Action.QUIT);
            case RESULTS -> List.of(Action.NEW_RUN, Action.RERUN, Action.INPUT, Action.QUIT);
            case CONFIG -> List.of(Action.APPLY, Action.RESET, Action.INPUT, Action.QUIT);
        };
        List<Bar.Segment> s = new ArrayList<>();
        for (Action a : actions) {
            s.add(Bar.Segment.plain(a.shortKeys() + " " + hintLabel(a)));
        }
        s.add(Bar.Segment.plain("Tab moves"));
        return s;
    }

    private static String hintLabel(Action a) {
        return switch (a) {
            case BROWSE -> "Browse";
            case PASTE -> "Paste IDs";
            case LOAD -> "Load";
            case RUN -> "Run";
            case QUIT -> "Quit";
            case CANCEL -> "Cancel run";
            case RESULTS -> "Results";
            case INPUT -> "Input";
            case NEW_RUN -> "New run";
            case RERUN -> "Re-run failed";
            case RESUME -> "Unfinished runs";
            case APPLY -> "Apply";
            case RESET -> "Reset";
            case HELP, PROGRESS, CONFIG, REDRAW -> a.name().toLowerCase(Locale.ROOT);
        };
    }

    /**
     * The status bar: database, run state, auth mode (with the Kerberos status), pool. When it is too
     * wide, the pool is written shorter, then the database label is cut in the middle, and only on a
     * very narrow terminal does the pool go.
     */
    private void refreshStatus() {
        AppConfig.Database db = session.config().database();
        String auth = db.auth().name().toLowerCase(Locale.ROOT) + (credentials.isEmpty() ? "" : " " + credentials);
        String state = runState();
        String label = session.databaseLabel();
        int width = terminalWidth();
        List<String> pools = poolForms();
        String pool = pools.get(pools.size() - 1);
        for (String p : pools) {
            if (barWidth(label, state, auth, p) <= width) {
                pool = p;
                break;
            }
        }
        int over = barWidth(label, state, auth, pool) - width;
        if (over > 0) {
            label = Fmt.fitMiddle(label, Math.max(16, label.length() - over), glyphs);
        }
        // Least important last: what does not fit is dropped from the end.
        status.setSegments(List.of(Bar.Segment.plain(label), Bar.Segment.plain(state), Bar.Segment.plain(auth),
                Bar.Segment.plain(pool)));
    }

    private static int barWidth(String... segments) {
        int n = 1;
        for (String s : segments) {
            n += s.length() + 3;
        }
        return n - 3;
    }

    /** The pool, longest form first: {@code pool 1 busy 1 idle of 2}, {@code pool 1/2 busy 1 idle}, {@code pool 1/2 busy}. */
    private List<String> poolForms() {
        ConnectionPool.PoolState p = pool;
        if (p == null) {
            return List.of("pool -");
        }
        if (p.total() < 0) {
            return List.of("pool unavailable", "pool ?");
        }
        int max = session.config().database().maxConnections();
        String waiting = p.waiting() > 0 ? ", " + p.waiting() + " waiting" : "";
        return List.of("pool " + p.active() + " busy " + p.idle() + " idle of " + max + waiting,
                "pool " + p.active() + "/" + max + " busy " + p.idle() + " idle" + waiting,
                "pool " + p.active() + "/" + max + " busy" + (p.waiting() > 0 ? " +" + p.waiting() : ""));
    }

    private String runState() {
        ActiveRun a = active;
        if (a != null) {
            return a.live().status();
        }
        if (loading != null) {
            return "loading";
        }
        if (lastRun != null && (preview == null || view == View.RESULTS)) {
            return "run " + lastRun.number() + " " + lastRun.report().status().label();
        }
        if (preview != null && preview.runnable() && !inputDirty) {
            return "ready";
        }
        return "idle";
    }

    private int terminalWidth() {
        Screen s = gui.getScreen();
        TerminalSize size = s == null ? null : s.getTerminalSize();
        return size == null ? 80 : size.getColumns();
    }

    /** Timer thread: reads the pool and the credentials off the GUI thread, then repaints the bars. */
    private void tick() {
        ConnectionPool.PoolState pool;
        try {
            pool = poolState.get();
        } catch (RuntimeException e) {
            log.warn("cannot read the pool state", e);
            pool = new ConnectionPool.PoolState(-1, -1, -1, -1);
        }
        String cred;
        try {
            cred = session.credentialsStatus().get().orElse("");
        } catch (RuntimeException e) {
            log.warn("the credentials status failed", e);
            cred = "credentials ?";
        }
        ConnectionPool.PoolState p = pool;
        String c = cred;
        onGui.execute(() -> {
            this.pool = p;
            credentials = c;
            refreshStatus();
            if (active != null) {
                refreshProgress();
            }
        });
    }

    // ---------------------------------------------------------------------------------------------
    // Input

    private List<QueryInfo> queries() {
        try {
            return QueryResolver.withBuiltIns(session.queryRoots()).list();
        } catch (UncheckedIOException e) {
            log.warn("cannot list the queries", e);
            return List.of();
        }
    }

    private void browse() {
        show(View.INPUT);
        InputSource src = input.source();
        Path start = lastFolder;
        if (src instanceof InputSource.File f) {
            Path parent = Files.isDirectory(f.path()) ? f.path() : f.path().getParent();
            if (parent != null && Files.isDirectory(parent)) {
                start = parent;
            }
        }
        if (start == null || !Files.isDirectory(start)) {
            start = session.workingDirectory();
        }
        dialogOpened();
        browser.open(start, file -> {
            dialogClosed();
            input.setIdsPath(file);
            lastFolder = parentOf(file);
            load();
        }, folder -> lastFolder = folder, this::dialogClosed);
    }

    private void paste() {
        show(View.INPUT);
        dialogOpened();
        pasteDialog.open(input.pastedText(), text -> {
            dialogClosed();
            input.setPasted(text);
            if (!text.isBlank()) {
                load();
            }
        }, this::dialogClosed);
    }

    /** Loads the chosen input off the GUI thread and shows the preview when done. */
    void load() {
        if (view != View.INPUT) {
            show(View.INPUT);
        }
        InputSource src = input.source();
        if (src == null) {
            input.setMessage("Choose an ID file: type a path, F3 browses, M-v pastes");
            window.setFocusedInteractable(input.idsField());
            return;
        }
        if (loading != null) {
            loading.cancel();
        }
        AppConfig cfg = currentConfig();
        String what = src.label();
        AtomicReference<long[]> latest = new AtomicReference<>(new long[] {0, 0});
        AtomicReference<InputLoader.Task> self = new AtomicReference<>();
        Coalescer bar = new Coalescer(scheduler, onGui, nanoTime, REPAINT_INTERVAL, () -> {
            if (loading != null && loading == self.get()) {
                long[] v = latest.get();
                input.showLoading(what, v[0], v[1]);
            }
        });
        preview = null;
        inputDirty = false;
        input.showLoading(what, 0, 0);
        input.setMessage("");
        updateRunButton();
        InputLoader.Task task = loader.start(new InputLoader.Request(src, input.idColumn(), input.query()), cfg,
                (done, total) -> {
                    latest.set(new long[] {done, total});
                    bar.signal();
                },
                p -> onGui.execute(() -> loaded(self.get(), p)));
        self.set(task);
        loading = task;
        refreshStatus();
    }

    private void loaded(InputLoader.Task task, Preview p) {
        if (task != loading) {
            return;
        }
        loading = null;
        preview = p;
        inputDirty = false;
        input.showPreview(p, currentConfig());
        if (p.source() instanceof InputSource.File f) {
            lastFolder = parentOf(f.path());
        }
        input.setMessage(p.runnable() ? "Loaded. F5 or ^R runs it." : "Cannot run: the preview says what to fix.");
        updateRunButton();
        if (view == View.INPUT && p.runnable() && dialogsOpen == 0) {
            window.setFocusedInteractable(input.defaultFocus());
        }
        refreshStatus();
    }

    private void inputChanged() {
        if (preview != null && !inputDirty) {
            inputDirty = true;
            input.setMessage("The input changed: F4 loads it again.");
            updateRunButton();
            refreshStatus();
        }
    }

    private void outputChanged() {
        SessionSettings.Parsed parsed = input.output(settings, session.userHome());
        if (parsed.ok()) {
            settings = parsed.settings();
            input.setMessage("");
            if (preview != null && !inputDirty) {
                input.showPreview(preview, currentConfig());
            }
        } else {
            input.setMessage(parsed.problems().get(0));
        }
    }

    private void updateRunButton() {
        String why = null;
        if (active != null) {
            why = "run in progress";
        } else if (loading != null) {
            why = "loading";
        } else if (preview == null) {
            why = "load first (F4)";
        } else if (inputDirty) {
            why = "input changed (F4)";
        } else if (!preview.runnable()) {
            why = "fix the errors";
        }
        input.setRunEnabled(why == null, why);
    }

    private void cancelKey(KeyStroke key) {
        boolean ctrlC = key.getKeyType() == KeyType.Character;
        if (active != null) {
            cancel();
        } else if (loading != null) {
            loading.cancel();
            loading = null;
            input.showNote("Preview", List.of("Loading stopped. Load again with F4 or Enter."));
            updateRunButton();
            refreshStatus();
        } else if (ctrlC) {
            quit();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Runs

    /** Starts the loaded input, if it can run. */
    void run() {
        if (active != null) {
            show(View.PROGRESS);
            return;
        }
        if (preview == null || inputDirty || !preview.runnable() || loading != null) {
            show(View.INPUT);
            input.setMessage(loading != null ? "Wait for the input to load." : preview == null
                    ? "Load the input first: F4, or Enter in the path."
                    : inputDirty ? "The input changed: F4 loads it again."
                    : "Cannot run: the preview says what to fix.");
            return;
        }
        SessionSettings.Parsed out = input.output(settings, session.userHome());
        if (!out.ok()) {
            show(View.INPUT);
            input.setMessage(out.problems().get(0));
            return;
        }
        settings = out.settings();
        InputLoader.Request request = new InputLoader.Request(preview.source(), preview.idColumn(), preview.query());
        RunSetup.Choices choices = InputLoader.choices(request, preview.input());
        IdLoadResult ids = preview.input();
        QueryTemplate template = preview.template();
        startRun(Preparation.newRun(choices, ids, template));
    }

    private void startRun(Preparation preparation) {
        AppConfig cfg = currentConfig();
        int number = ++runCount;
        Coalescer repaint = new Coalescer(scheduler, onGui, nanoTime, REPAINT_INTERVAL, this::refreshProgress);
        LiveRun live = new LiveRun(number, nanoTime, timeOfDay, repaint::signal);
        RunExecutor engine = runners.create(live, new UiTicketHandler(this::askOnGui, live));
        CountDownLatch ended = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            try {
                execute(number, live, engine, cfg, preparation);
            } finally {
                ended.countDown();
            }
        }, "firmquery-run-" + number);
        thread.setDaemon(true);
        ActiveRun run = new ActiveRun(number, live, engine, thread, ended);
        active = run;
        shownRun = live;
        log.info("UI run {} starting: {}", number, preparation.description());
        show(View.PROGRESS);
        updateRunButton();
        thread.start();
    }

    /** The run thread: prepare and execute (the service audits both), hand the outcome to the GUI thread. */
    private void execute(int number, LiveRun live, RunExecutor engine, AppConfig cfg, Preparation preparation) {
        RunRequest request;
        try {
            request = service.prepare(cfg, preparation);
        } catch (RunException e) {
            live.failed(e.getMessage());
            onGui.execute(() -> runFailed(number, e.getMessage()));
            return;
        }
        live.prepared(request);
        try {
            RunReport report = service.execute(request, engine);
            FinishedRun f = new FinishedRun(number, request, report);
            onGui.execute(() -> runEnded(f));
        } catch (RunException e) {
            live.failed(e.getMessage());
            onGui.execute(() -> runFailed(number, e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            live.failed("interrupted");
            onGui.execute(() -> runFailed(number, "the run was interrupted; the files of the finished chunks are kept"));
        } catch (RuntimeException e) {
            log.error("run {} failed unexpectedly", number, e);
            live.failed(String.valueOf(e));
            onGui.execute(() -> runFailed(number, "unexpected error: " + e + " (details in the log)"));
        }
    }

    private void runEnded(FinishedRun f) {
        active = null;
        lastRun = f;
        closeCancelQuestion();
        refreshProgress();
        results.showReport(f.number(), f.report());
        readResults(f);
        updateRunButton();
        if (quitWhenRunEnds) {
            close();
            return;
        }
        show(View.RESULTS);
    }

    private void runFailed(int number, String message) {
        active = null;
        closeCancelQuestion();
        refreshProgress();
        updateRunButton();
        if (quitWhenRunEnds) {
            close();
            return;
        }
        show(View.PROGRESS);
        dialogOpened();
        dialogs.message("Run " + number + " failed", message + "\n\nNothing more was run. Fix the cause and run again "
                + "(F5); the log has the details.", () -> {
                    dialogClosed();
                    show(View.INPUT);
                });
    }

    private void readResults(FinishedRun f) {
        Thread t = new Thread(() -> {
            ResultsData d = ResultsData.read(f.report(), glyphs);
            onGui.execute(() -> {
                if (lastRun == f) {
                    results.showData(d);
                }
            });
        }, "firmquery-results-" + helperThreads.incrementAndGet());
        t.setDaemon(true);
        t.start();
    }

    private void refreshProgress() {
        LiveRun live = shownRun;
        if (live != null) {
            progress.show(live.view());
        }
        refreshStatus();
        if (view == View.PROGRESS) {
            keys.setSegments(keyHints());
        }
    }

    /** Esc / Ctrl-C during a run: asks, then cancels. */
    void cancel() {
        ActiveRun a = active;
        if (a == null) {
            return;
        }
        if (a.live().phase() == LiveRun.Phase.CANCELLING) {
            show(View.PROGRESS);
            return;
        }
        if (cancelQuestion != null) {
            return;
        }
        show(View.PROGRESS);
        dialogOpened();
        cancelQuestion = dialogs.choose("Cancel run " + a.number() + "?",
                "Running statements are stopped and no new chunk starts. The chunks finished so far are written "
                        + "to the files, and the results show what is missing. F6 can run the rest later.",
                List.of(new Dialogs.Choice("Yes, cancel the run (y)", 'y', () -> {
                    cancelQuestion = null;
                    dialogClosed();
                    doCancel(a);
                }), new Dialogs.Choice("No, keep running (n)", 'n', () -> {
                    cancelQuestion = null;
                    dialogClosed();
                })), () -> {
                    cancelQuestion = null;
                    dialogClosed();
                }, 1, true);
    }

    private void doCancel(ActiveRun a) {
        log.info("UI run {}: cancel requested by the user", a.number());
        a.engine().cancel();
        a.live().cancelling();
    }

    private void closeCancelQuestion() {
        if (cancelQuestion != null) {
            cancelQuestion.close();
            cancelQuestion = null;
            dialogClosed();
        }
    }

    /** Back to the input for another run; the connection pool stays. */
    void newRun() {
        show(View.INPUT);
        window.setFocusedInteractable(input.idsField());
        if (lastRun != null) {
            input.setMessage("Choose another input, or F5 runs this one again.");
        }
    }

    /**
     * Re-runs what the last run left: its failed chunks, or after a cancel or stop its failed and not-run
     * chunks, as a resume of the same run ({@link Rerun}), after asking.
     */
    void rerun() {
        if (active != null) {
            show(View.PROGRESS);
            return;
        }
        FinishedRun f = lastRun;
        show(View.RESULTS);
        if (f == null) {
            return;
        }
        RunReport r = f.report();
        if (!f.rerunnable()) {
            dialogOpened();
            dialogs.message("Nothing to re-run", "Every chunk of run " + f.number() + " succeeded.", this::dialogClosed);
            return;
        }
        String what = f.onlyFailedLeft()
                ? Fmt.plural(r.chunksFailed(), "failed chunk", "failed chunks") + " (" + Fmt.plural(r.failedIds(), "ID", "IDs") + ")"
                : (r.chunksFailed() > 0 ? Fmt.plural(r.chunksFailed(), "failed chunk", "failed chunks") + " and " : "")
                + Fmt.plural(r.chunksNotRun(), "chunk", "chunks") + " not run ("
                + Fmt.plural(r.failedIds() + r.notRunIds(), "ID", "IDs") + ")";
        String text = "Run " + f.number() + " (" + r.queryName() + ") left " + what + ". Re-running runs only those, "
                + "with the same query and IDs, and then writes the run's files again, complete: "
                + r.files().stream().findFirst().map(x -> x.path().getParent() + "/").orElse("") + f.request().output()
                .baseName() + ".*\nSame as: " + Rerun.command(f);
        dialogOpened();
        dialogs.choose("Re-run", text, List.of(new Dialogs.Choice("Re-run them (r)", 'r', () -> {
            dialogClosed();
            startRerun(f);
        }), new Dialogs.Choice("Cancel (n)", 'n', this::dialogClosed)), this::dialogClosed, 0, false);
    }

    /** Starts the re-run of {@code f}. */
    void startRerun(FinishedRun f) {
        startRun(new Preparation("re-run of run " + f.report().runId() + " (" + Rerun.command(f) + ")", null,
                setup -> Rerun.request(setup, f)));
    }

    // ---------------------------------------------------------------------------------------------
    // Unfinished runs (issue #5: "Resume" in the UI, which lists unfinished runs at start)

    /** The folder whose unfinished runs are listed: the session's output directory, as runs write it. */
    private Path outputFolder() {
        return settings.outputDirectory().toAbsolutePath().normalize();
    }

    /** Alt-U: lists the output folder's unfinished runs (one run at a time: not while a run is active). */
    void unfinishedRuns() {
        if (dialogsOpen > 0) {
            return;
        }
        ActiveRun a = active;
        if (a != null) {
            show(View.PROGRESS);
            dialogOpened();
            dialogs.message("Unfinished runs", "Run " + a.number() + " is in progress. The unfinished runs in "
                    + outputFolder() + " can be listed (" + Action.RESUME.shortKeys() + ") once it has ended.",
                    this::dialogClosed);
            return;
        }
        listUnfinished(false, 0, null);
    }

    /**
     * Lists the unfinished runs off the GUI thread (a slow or network file system must not freeze the
     * screen), then shows them.
     *
     * @param atStart  the list at start: shown only when there are runs and nothing else is going on
     * @param selected the entry chosen at first
     * @param note     a line above the list, e.g. what was just deleted
     */
    private void listUnfinished(boolean atStart, int selected, String note) {
        Path folder = outputFolder();
        Thread t = new Thread(() -> {
            List<UnfinishedRun> entries;
            String error = null;
            try {
                entries = RunStore.unfinished(folder, runningHere);
            } catch (IOException | RuntimeException e) {
                log.warn("cannot list the unfinished runs in {}", folder, e);
                entries = List.of();
                error = "Cannot read " + folder.resolve(UnfinishedRuns.WORK_FOLDER) + ": " + e
                        + ". Check its permissions; the log has the details.";
            }
            List<UnfinishedRun> found = entries;
            String problem = error;
            onGui.execute(() -> showUnfinished(folder, found, problem, atStart, selected, note));
        }, "firmquery-runs-" + helperThreads.incrementAndGet());
        t.setDaemon(true);
        t.start();
    }

    private void showUnfinished(Path folder, List<UnfinishedRun> entries, String error, boolean atStart,
                                int selected, String note) {
        if (closed || shutdownRequested()) {
            return;
        }
        if (!entries.isEmpty()) {
            log.info("{} in {}", Fmt.plural(entries.size(), "unfinished run", "unfinished runs"), folder);
        }
        if (active != null || dialogsOpen > 0) {
            // The user got going meanwhile (a run, a dialog): do not pop up over it.
            if (!entries.isEmpty()) {
                input.setMessage(laterMessage(entries.size()));
            }
            return;
        }
        if (entries.isEmpty()) {
            if (!atStart || note != null) {
                dialogOpened();
                dialogs.message("Unfinished runs", error != null ? error : (note != null ? note + " " : "")
                        + "No unfinished runs in " + folder + ". A run that is cancelled, stopped or interrupted "
                        + "stays there until it is resumed or deleted.", this::dialogClosed);
            } else if (error != null) {
                input.setMessage(error);
            }
            return;
        }
        dialogOpened();
        unfinishedDialog.open(folder, entries, selected, note, new UnfinishedRunsDialog.Actions(
                e -> {
                    dialogClosed();
                    resumeUnfinished(e);
                },
                e -> {
                    dialogClosed();
                    askDelete(e, entries.indexOf(e));
                },
                () -> {
                    dialogClosed();
                    input.setMessage(laterMessage(entries.size()));
                    if (view == View.INPUT && preview != null && preview.runnable() && !inputDirty) {
                        window.setFocusedInteractable(input.defaultFocus()); // as if the list had not been there
                    }
                }));
    }

    private static String laterMessage(int n) {
        return Fmt.plural(n, "unfinished run", "unfinished runs") + ": " + Action.RESUME.shortKeys() + " lists "
                + (n == 1 ? "it" : "them") + ".";
    }

    /** Resume: the same resume as F6 ({@link Rerun#resume}), on the same runner, progress and results. */
    private void resumeUnfinished(UnfinishedRun e) {
        if (active != null) {
            show(View.PROGRESS);
            return;
        }
        log.info("UI: resuming run {} from the list of unfinished runs ({})", e.runId(), e.directory());
        Path dir = e.directory();
        startRun(new Preparation("resume of run " + e.runId() + " (" + Rerun.resumeCommand(dir) + ")", null,
                setup -> Rerun.resume(setup, dir)));
    }

    /** Delete: asks, then removes the run's working folder (never its published files) and lists again. */
    private void askDelete(UnfinishedRun e, int index) {
        String what = e.state() == UnfinishedRun.State.DAMAGED
                ? "This removes the damaged working folder\n" + e.directory() + "\n"
                : "This removes the working folder of run " + e.runId() + " (" + e.queryName() + ", " + e.done()
                        + " of " + e.chunks() + " chunks done) with its journal and finished chunks; the run can then "
                        + "not be resumed:\n" + e.directory() + "\n";
        String kept = e.outputs() != null ? "The files it already wrote are kept:\n" + e.outputs() + ".*"
                : "The files in " + outputFolder() + " are kept.";
        dialogOpened();
        dialogs.choose("Delete run " + e.runId() + "?", what + kept,
                List.of(new Dialogs.Choice("Delete it (y)", 'y', () -> {
                    dialogClosed();
                    delete(e, index);
                }), new Dialogs.Choice("Keep it (n)", 'n', () -> {
                    dialogClosed();
                    listUnfinished(false, index, null);
                })), () -> {
                    dialogClosed();
                    listUnfinished(false, index, null);
                }, 1, false);
    }

    private void delete(UnfinishedRun e, int index) {
        if (runningHere.contains(e.runId())) {
            return; // cannot happen while the list is modal; never delete what this process runs
        }
        Thread t = new Thread(() -> {
            try {
                service.deleteUnfinished(e);
                log.info("UI: deleted the working folder of run {} ({})", e.runId(), e.directory());
                onGui.execute(() -> listUnfinished(false, index, "Deleted run " + e.runId() + "."));
            } catch (IOException ex) {
                log.warn("UI: cannot delete run {}", e.runId(), ex);
                onGui.execute(() -> {
                    dialogOpened();
                    dialogs.message("Run " + e.runId() + " not deleted", ex.getMessage(), () -> {
                        dialogClosed();
                        listUnfinished(false, index, null);
                    });
                });
            }
        }, "firmquery-runs-" + helperThreads.incrementAndGet());
        t.setDaemon(true);
        t.start();
    }

    /**
     * Asks about the expired ticket on the GUI thread ({@link UiTicketHandler}, called on a worker).
     *
     * @return closes the question if the run is cancelled meanwhile
     */
    private Runnable askOnGui(String title, String text, BlockingQueue<Boolean> answer) {
        AtomicReference<Window> shown = new AtomicReference<>();
        AtomicBoolean closed = new AtomicBoolean();
        onGui.execute(() -> {
            if (closed.get()) {
                return;
            }
            show(View.PROGRESS);
            dialogOpened();
            shown.set(dialogs.choose(title, text, List.of(new Dialogs.Choice("Try again (t)", 't', () -> {
                dialogClosed();
                answer.offer(true);
            }), new Dialogs.Choice("Stop the run (s)", 's', () -> {
                dialogClosed();
                answer.offer(false);
            })), () -> {
                dialogClosed();
                answer.offer(true);
            }, 0, false));
        });
        return () -> onGui.execute(() -> {
            closed.set(true);
            Window w = shown.get();
            if (w != null && w.getTextGUI() != null) {
                w.close();
                dialogClosed();
            }
        });
    }

    /** q / F10: quits, asking first when a run is active. */
    void quit() {
        ActiveRun a = active;
        if (a == null) {
            if (loading != null) {
                loading.cancel();
            }
            exitCode = ExitCode.COMPLETED;
            close();
            return;
        }
        dialogOpened();
        dialogs.choose("Quit firmquery?", "Run " + a.number() + " is in progress. Quitting cancels it first: running "
                        + "statements are stopped and the finished chunks are written, then firmquery ends.",
                List.of(new Dialogs.Choice("Cancel the run and quit (y)", 'y', () -> {
                    dialogClosed();
                    if (active == null) {
                        // The run ended while the question was open.
                        close();
                        return;
                    }
                    quitWhenRunEnds = true;
                    doCancel(a);
                    show(View.PROGRESS);
                }), new Dialogs.Choice("Keep running (n)", 'n', this::dialogClosed)), this::dialogClosed, 1, false);
    }

    // ---------------------------------------------------------------------------------------------
    // Configuration

    private void applyConfig() {
        SessionSettings.Parsed parsed = config.values(session.userHome());
        if (!parsed.ok()) {
            config.setMessage(String.join("; ", parsed.problems()));
            return;
        }
        settings = parsed.settings();
        config.setSettings(session.settings(), settings.differencesFrom(configured), session.configWarnings());
        config.setMessage("Applied to the next runs of this session.");
        replan();
    }

    private void resetConfig() {
        settings = withPreselection(configured, session.preselect());
        config.setValues(settings);
        config.setSettings(session.settings(), settings.differencesFrom(configured), session.configWarnings());
        config.setMessage("Back to the configured values.");
        replan();
    }

    /** Plans the loaded input again with the session's chunk size (off the GUI thread). */
    private void replan() {
        Preview p = preview;
        if (p == null || inputDirty || p.input() == null || p.template() == null) {
            return;
        }
        AppConfig cfg = currentConfig();
        Thread t = new Thread(() -> {
            Preview planned = loader.replan(p, cfg);
            onGui.execute(() -> {
                if (preview == p) {
                    preview = planned;
                    input.showPreview(planned, currentConfig());
                    updateRunButton();
                }
            });
        }, "firmquery-plan-" + helperThreads.incrementAndGet());
        t.setDaemon(true);
        t.start();
    }

    /** The configuration the next run uses: the loaded one with the session's values. */
    AppConfig currentConfig() {
        return settings.applyTo(session.config());
    }

    private static SessionSettings withPreselection(SessionSettings s, TuiSession.Preselection pre) {
        Path dir = pre.outDir() != null ? pre.outDir() : s.outputDirectory();
        var formats = pre.formats() != null ? pre.formats() : s.formats();
        return new SessionSettings(s.chunkSize(), s.maxRetries(), dir, s.filenamePattern(), formats, s.csvGzip());
    }

    // ---------------------------------------------------------------------------------------------
    // Help, errors, redraw

    private void help() {
        if (dialogsOpen > 0) {
            return;
        }
        dialogOpened();
        helpDialog.open(session.config().logging().directory(), this::dialogClosed);
    }

    private void redraw() {
        try {
            gui.updateScreen();
            gui.getScreen().refresh(Screen.RefreshType.COMPLETE);
        } catch (IOException e) {
            log.warn("redraw failed", e);
        }
    }

    /** The Lanterna exception handler: log, show, carry on. */
    private void unexpected(RuntimeException e) {
        log.error("unexpected error in the UI", e);
        if (errorsShown++ < 5) {
            dialogOpened();
            dialogs.message("Unexpected error", e + "\n\nThe UI carries on; the details are in "
                    + session.config().logging().directory().resolve("firmquery.log")
                    + ". If something looks wrong, quit (q) and start again.", this::dialogClosed);
        }
    }

    private void dialogOpened() {
        dialogsOpen++;
    }

    private void dialogClosed() {
        dialogsOpen = Math.max(0, dialogsOpen - 1);
    }

    private static Path parentOf(Path file) {
        Path abs = file.toAbsolutePath();
        return abs.getParent() == null ? abs : abs.getParent();
    }
}
