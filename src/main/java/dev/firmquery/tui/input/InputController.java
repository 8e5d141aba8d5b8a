package dev.firmquery.tui.input;

import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.Panel;
import dev.firmquery.app.Preparation;
import dev.firmquery.config.AppConfig;
import dev.firmquery.ids.IdLoadResult;
import dev.firmquery.run.RunSetup;
import dev.firmquery.sql.QueryInfo;
import dev.firmquery.sql.QueryApproval;
import dev.firmquery.sql.QueryResolver;
import dev.firmquery.sql.QueryTemplate;
import dev.firmquery.tui.config.ConfigController;
import dev.firmquery.tui.config.SessionSettings;
import dev.firmquery.tui.core.Action;
import dev.firmquery.tui.core.Coalescer;
import dev.firmquery.tui.core.Frame;
import dev.firmquery.tui.core.GuiThread;
import dev.firmquery.tui.core.UiContext;
import dev.firmquery.tui.core.View;
import dev.firmquery.tui.core.WindowController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The input window (F2): the ID file or pasted IDs, the query, the output choices, and the preview of
 * the loaded input. Loading and replanning run on the background executor ({@code firmquery-load-N},
 * {@code firmquery-plan-N}) with a progress bar meanwhile; Esc stops a load. It decides whether F5 may
 * run, and hands the run to the progress window as a {@link Preparation}. All public methods on the GUI
 * thread.
 */
public final class InputController implements WindowController {
    private static final Logger log = LoggerFactory.getLogger(InputController.class);

    private final UiContext ui;
    private final GuiThread gui;
    private final Frame frame;
    private final ConfigController config;
    private final BooleanSupplier runActive;
    private final Path cwd;
    private final Path home;
    private final InputLoader loader;
    private final InputScreen screen;
    private final FileBrowser browser;
    private final PasteDialog pasteDialog;

    private Preview preview;
    private boolean inputDirty;
    /** Whether the loaded preview was handed to a run: quitting before that asks first. */
    private boolean ranSinceLoad;
    /** The ID file the UI was started with: the same command loads it again, so quitting loses nothing. */
    private Path startedWith;
    private InputLoader.Task loading;
    private Path lastFolder;
    /** A past run's parameter values for the form once the load shows it (a built-in query has no file to read it from before). */
    private java.util.Map<String, String> pendingParams;

    /**
     * @param config     the session's values (the output fields are theirs)
     * @param queryRoots where named queries are found
     * @param approval   the administrator's approved queries: the others are not offered
     * @param cwd        what relative paths are relative to; where the browser starts at first
     * @param home       what {@code ~} stands for
     * @param runActive  whether a run is active (Run is disabled meanwhile)
     * @param run        what Run (the button, Enter on Run) does: the frame's F5
     */
    public InputController(UiContext ui, Frame frame, ConfigController config, List<Path> queryRoots,
                           QueryApproval approval, Path cwd, Path home, BooleanSupplier runActive, Runnable run) {
        this.ui = ui;
        this.gui = ui.onGui();
        this.frame = frame;
        this.config = config;
        this.runActive = runActive;
        this.cwd = cwd;
        this.home = home;
        this.loader = new InputLoader(queryRoots, ui.clock());
        this.browser = new FileBrowser(ui.gui(), ui.glyphs(), home);
        this.pasteDialog = new PasteDialog(ui.gui(), ui.dialogs());
        this.screen = new InputScreen(ui.glyphs(), cwd, home, queries(queryRoots, approval), new InputScreen.Callbacks(
                this::browse, this::paste, this::load, run, this::inputChanged, this::outputChanged,
                this::parametersChanged, this::chooseSheet));
        this.lastFolder = cwd;
    }

    /**
     * The queries to offer: what each name resolves to (a query a higher folder's file of the same name
     * hides is not offered, since the list passes names), and of those only the ones the policy approves.
     */
    private static List<QueryInfo> queries(List<Path> roots, QueryApproval approval) {
        try {
            return QueryResolver.withBuiltIns(roots).listAll().stream().filter(q -> !q.shadowed())
                    .filter(approval::approves).toList();
        } catch (UncheckedIOException e) {
            log.warn("cannot list the queries", e);
            return List.of();
        }
    }

    /** Fills in what the UI was started with: a query (name or path) and an ID file, each if not null. */
    public void start(String query, Path ids) {
        gui.checkOn("InputController.start");
        screen.setOutput(config.settings());
        updateRunButton();
        if (query != null) {
            screen.setQuery(query);
        }
        if (ids != null) {
            startedWith = ids;
            screen.setIdsPath(ids);
            lastFolder = parentOf(ids);
        }
    }

    @Override
    public Panel root() {
        return screen.root();
    }

    @Override
    public void shown() {
        gui.checkOn("InputController.shown");
        screen.setOutput(config.settings());
    }

    @Override
    public Interactable defaultFocus() {
        return screen.defaultFocus();
    }

    @Override
    public List<Action> keys() {
        return List.of(Action.BROWSE, Action.PASTE, Action.LOAD, Action.RUN, Action.QUIT);
    }

    // ---------------------------------------------------------------------------------------------
    // Choosing and loading

    /** F3: the file browser, in the folder of the path typed, else the last folder used. */
    public void browse() {
        gui.checkOn("InputController.browse");
        frame.show(View.INPUT);
        InputSource src = screen.source();
        Path start = lastFolder;
        if (src instanceof InputSource.File f) {
            Path parent = Files.isDirectory(f.path()) ? f.path() : f.path().getParent();
            if (parent != null && Files.isDirectory(parent)) {
                start = parent;
            }
        }
        if (start == null || !Files.isDirectory(start)) {
            start = cwd;
        }
        browser.open(start, file -> {
            screen.setIdsPath(file);
            lastFolder = parentOf(file);
            load();
        }, folder -> lastFolder = folder, () -> { });
    }

    /** M-v: the paste dialog; the pasted IDs are loaded at once. */
    public void paste() {
        gui.checkOn("InputController.paste");
        frame.show(View.INPUT);
        pasteDialog.open(screen.pastedText(), text -> {
            screen.setPasted(text);
            if (!text.isBlank()) {
                load();
            }
        }, () -> { });
    }

    /**
     * A bracketed paste of IDs: the paste dialog opens holding them and their count, Use (focused, so
     * Enter) loads them; a paste while the dialog is open goes into the dialog.
     */
    public void pasted(String text) {
        gui.checkOn("InputController.pasted");
        frame.show(View.INPUT);
        pasteDialog.open(text, true, typed -> {
            screen.setPasted(typed);
            if (!typed.isBlank()) {
                load();
            }
        }, () -> { });
    }

    /** F4: loads the chosen input off the GUI thread and shows the preview when done. */
    public void load() {
        gui.checkOn("InputController.load");
        if (frame.view() != View.INPUT) {
            frame.show(View.INPUT);
        }
        InputSource src = screen.source();
        if (src == null) {
            screen.setMessage("Choose an ID file: type a path, F3 browses, M-v pastes");
            frame.focus(screen.idsField());
            return;
        }
        if (loading != null) {
            loading.cancel();
        }
        AppConfig cfg = config.currentConfig();
        String what = src.label();
        AtomicReference<long[]> latest = new AtomicReference<>(new long[] {0, 0});
        AtomicReference<InputLoader.Task> self = new AtomicReference<>();
        Coalescer bar = new Coalescer(ui.scheduler(), gui, ui.nanoTime(), Coalescer.REPAINT_INTERVAL, () -> {
            if (loading != null && loading == self.get()) {
                long[] v = latest.get();
                screen.showLoading(what, v[0], v[1]);
            }
        });
        preview = null;
        inputDirty = false;
        screen.showLoading(what, 0, 0);
        screen.setMessage("");
        updateRunButton();
        InputLoader.Task task = loader.start(ui.background(), new InputLoader.Request(src, screen.idColumn(),
                        screen.query()), cfg,
                (done, total) -> {
                    latest.set(new long[] {done, total});
                    bar.signal();
                },
                p -> gui.execute(() -> loaded(self.get(), p)));
        self.set(task);
        loading = task;
        frame.refreshStatus();
    }

    private void loaded(InputLoader.Task task, Preview p) {
        if (task != loading) {
            return;
        }
        loading = null;
        preview = p;
        inputDirty = false;
        ranSinceLoad = p.source() instanceof InputSource.File f && f.path().equals(startedWith) && f.sheet() == null;
        screen.showPreview(p, config.currentConfig());
        screen.showSheets(p.input());
        if (p.template() != null) {
            screen.parameters().show(p.template().parameters());
            if (pendingParams != null) {
                screen.parameters().fill(pendingParams);
            }
        }
        pendingParams = null;
        if (p.source() instanceof InputSource.File f) {
            lastFolder = parentOf(f.path());
        }
        String sheetGone = null;
        if (p.input() == null && p.source() instanceof InputSource.File f && f.sheet() != null) {
            // The chosen sheet cannot be read (renamed, deleted, the workbook replaced): with no input
            // there is no list to choose from, so the next load reads the first sheet and shows it again.
            screen.setSheet(null);
            sheetGone = "That sheet is gone: F4 loads the first, then Sheet picks another.";
        }
        screen.setMessage(sheetGone != null ? sheetGone : p.runnable() ? "Loaded. F5 or ^R runs it."
                : "Cannot run: the preview says what to fix.");
        updateRunButton();
        if (frame.view() == View.INPUT && p.runnable() && !ui.dialogs().anyOpen()) {
            frame.focus(screen.defaultFocus());
        }
        frame.refreshStatus();
    }

    /**
     * The Sheet button (shown when the loaded workbook has several sheets): the list of its sheets, read
     * by the load; the one chosen is loaded, and the runs read it as {@code --sheet NAME} does.
     */
    public void chooseSheet() {
        gui.checkOn("InputController.chooseSheet");
        Preview p = preview;
        if (p == null || loading != null || inputDirty || !(p.source() instanceof InputSource.File f)
                || p.input() == null || p.input().sheets().size() < 2) {
            screen.setMessage(loading != null ? "Wait for the input to load." : inputDirty
                    ? "The input changed: F4 loads it again, then Sheet lists its sheets."
                    : "Sheet lists the sheets of a loaded workbook that has several.");
            return;
        }
        SheetDialog.open(ui.gui(), ui.glyphs(), f.path().getFileName().toString(), p.input().sheets(),
                p.input().sheet(), name -> {
                    if (!name.equals(p.input().sheet())) {
                        screen.setSheet(name);
                        load();
                    } else {
                        refocus();
                    }
                });
    }

    /** Whether an input is being loaded. */
    public boolean isLoading() {
        gui.checkOn("InputController.isLoading");
        return loading != null;
    }

    /** Esc while loading: stops the load and says so. */
    public void stopLoading() {
        gui.checkOn("InputController.stopLoading");
        if (loading == null) {
            return;
        }
        loading.cancel();
        loading = null;
        screen.showNote("Preview", List.of("Loading stopped. Load again with F4 or Enter."));
        updateRunButton();
        frame.refreshStatus();
    }

    /** Quitting: a load still running is dropped (its thread stops at its next progress report). */
    public void cancelLoad() {
        gui.checkOn("InputController.cancelLoad");
        if (loading != null) {
            loading.cancel();
        }
    }

    /** Whether an input was loaded (runnable or not). */
    public boolean hasPreview() {
        gui.checkOn("InputController.hasPreview");
        return preview != null;
    }

    /** Whether the loaded input can run as it is: F5 would start it. */
    public boolean isReady() {
        gui.checkOn("InputController.isReady");
        return preview != null && preview.runnable() && !inputDirty;
    }

    /**
     * Whether an input is loaded and runnable but was never run: quitting now would lose the load (a
     * large file can take a minute to read, a paste is gone), so the frame asks first. The ID file the
     * UI was started with does not count: the same command brings it back.
     */
    public boolean loadedNotRun() {
        gui.checkOn("InputController.loadedNotRun");
        return isReady() && !ranSinceLoad;
    }

    private void inputChanged() {
        if (preview != null && !inputDirty) {
            inputDirty = true;
            screen.setMessage("The input changed: F4 loads it again.");
            updateRunButton();
            frame.refreshStatus();
        }
    }

    /** An edit in the parameter form: the values are bound at F5, so only Run follows it. */
    private void parametersChanged() {
        List<String> problems = screen.parameters().problems();
        screen.setMessage(problems.isEmpty() ? "" : problems.get(0));
        updateRunButton();
        frame.refreshStatus();
    }

    private void outputChanged() {
        SessionSettings.Parsed parsed = screen.output(config.settings(), home);
        if (parsed.ok()) {
            config.use(parsed.settings());
            screen.setMessage("");
            if (preview != null && !inputDirty) {
                screen.showPreview(preview, config.currentConfig());
            }
        } else {
            screen.setMessage(parsed.problems().get(0));
        }
    }

    /** Enables Run, or says why not; called again whenever a run starts or ends. */
    public void updateRunButton() {
        gui.checkOn("InputController.updateRunButton");
        String why = null;
        if (runActive.getAsBoolean()) {
            why = "run in progress";
        } else if (loading != null) {
            why = "loading";
        } else if (preview == null) {
            why = "load first (F4)";
        } else if (inputDirty) {
            why = "input changed (F4)";
        } else if (!preview.runnable()) {
            why = "fix the errors";
        } else if (!screen.parameters().problems().isEmpty()) {
            why = "fix the parameters";
        }
        screen.setRunEnabled(why == null, why);
    }

    /** Plans the loaded input again with the session's values (after Apply or Reset), off the GUI thread. */
    public void replan() {
        gui.checkOn("InputController.replan");
        Preview p = preview;
        if (p == null || inputDirty || p.input() == null || p.template() == null) {
            return;
        }
        AppConfig cfg = config.currentConfig();
        ui.background().run("plan", () -> {
            Preview planned = loader.replan(p, cfg);
            gui.execute(() -> {
                if (preview == p) {
                    preview = planned;
                    screen.showPreview(planned, config.currentConfig());
                    updateRunButton();
                }
            });
        });
    }

    // ---------------------------------------------------------------------------------------------
    // Running

    /** Where F5 hands several marked queries: the loaded input's choices, the queries, the loaded IDs. */
    @FunctionalInterface
    public interface SeveralQueries {
        void start(RunSetup.Choices choices, List<String> queries, IdLoadResult ids);
    }

    /**
     * F5: the loaded input as a run to start ({@code one}), or, when two or more queries are marked (Space
     * in the query list), as those queries' jobs over the one input ({@code several}); nothing, with the
     * reason shown in the input window, when it cannot run.
     */
    public void runStart(java.util.function.Consumer<Preparation> one, SeveralQueries several) {
        gui.checkOn("InputController.runStart");
        List<String> marked = screen.markedQueries();
        if (marked.size() < 2) {
            runStart().ifPresent(one);
            return;
        }
        if (!ready()) {
            return;
        }
        SessionSettings.Parsed out = screen.output(config.settings(), home);
        if (!out.ok()) {
            frame.show(View.INPUT);
            screen.setMessage(out.problems().get(0));
            return;
        }
        config.use(out.settings());
        InputLoader.Request request = new InputLoader.Request(preview.source(), preview.idColumn(), preview.query());
        // No parameter values: the form is the selected query's; RunService refuses a marked template
        // that needs one.
        RunSetup.Choices choices = InputLoader.choices(request, preview.input()).withParams(java.util.Map.of());
        ranSinceLoad = true;
        several.start(choices, marked, preview.input());
    }

    private boolean ready() {
        if (preview == null || inputDirty || !preview.runnable() || loading != null) {
            frame.show(View.INPUT);
            screen.setMessage(loading != null ? "Wait for the input to load." : preview == null
                    ? "Load the input first: F4, or Enter in the path."
                    : inputDirty ? "The input changed: F4 loads it again."
                    : "Cannot run: the preview says what to fix.");
            return false;
        }
        return true;
    }

    /**
     * F5 with one query: the loaded input as a run to start, after taking the output fields as the
     * session's values; empty, with the reason shown in the input window, when it cannot run.
     */
    public Optional<Preparation> runStart() {
        gui.checkOn("InputController.runStart");
        if (!ready()) {
            return Optional.empty();
        }
        SessionSettings.Parsed out = screen.output(config.settings(), home);
        if (!out.ok()) {
            frame.show(View.INPUT);
            screen.setMessage(out.problems().get(0));
            return Optional.empty();
        }
        List<String> paramProblems = screen.parameters().problems();
        if (!paramProblems.isEmpty()) {
            frame.show(View.INPUT);
            screen.setMessage("Cannot run: parameter " + paramProblems.get(0));
            frame.focus(screen.parameters().firstProblem());
            return Optional.empty();
        }
        config.use(out.settings());
        InputLoader.Request request = new InputLoader.Request(preview.source(), preview.idColumn(), preview.query());
        // The values go through RunSetup as --param values do, so the run resolves, records and binds
        // them exactly as a headless run would.
        RunSetup.Choices choices = InputLoader.choices(request, preview.input()).withParams(screen.parameters().values());
        IdLoadResult ids = preview.input();
        QueryTemplate template = preview.template();
        ranSinceLoad = true;
        return Optional.of(Preparation.newRun(choices, ids, template));
    }

    /** Alt-N: back to the input for another run, in the ID file field. */
    public void newRun(boolean afterARun) {
        gui.checkOn("InputController.newRun");
        frame.show(View.INPUT);
        frame.focus(screen.idsField());
        if (afterARun) {
            screen.setMessage("Choose another input, or F5 runs this one again.");
        }
    }

    /**
     * A run of the same input and query as an earlier one (the run history): fills in the query, the ID
     * file, its sheet and the parameter values, and loads it; F5 then runs it.
     *
     * @param sheet the workbook sheet the earlier run read, or {@code null} (not a workbook: the first sheet
     *              of one, as a report of a version that did not record it)
     */
    public void again(String query, Path ids, String sheet, java.util.Map<String, String> params) {
        gui.checkOn("InputController.again");
        frame.show(View.INPUT);
        screen.setQuery(query);
        screen.parameters().fill(params);
        pendingParams = java.util.Map.copyOf(params);
        screen.setIdsPath(ids);
        screen.setSheet(sheet); // after the path, which forgets the sheet chosen before
        lastFolder = parentOf(ids);
        load();
    }

    /** A line for the message field below the preview (e.g. that there are unfinished runs). */
    public void note(String text) {
        gui.checkOn("InputController.note");
        screen.setMessage(text);
    }

    /** After a dialog the user dismissed: the focus back on Run when the input is ready, as if there had been none. */
    public void refocus() {
        gui.checkOn("InputController.refocus");
        if (frame.view() == View.INPUT && isReady()) {
            frame.focus(screen.defaultFocus());
        }
    }

    private static Path parentOf(Path file) {
        Path abs = file.toAbsolutePath();
        return abs.getParent() == null ? abs : abs.getParent();
    }
}
