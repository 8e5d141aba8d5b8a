package dev.firmquery.tui.history;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.app.OutputFolders;
import dev.firmquery.app.Preparation;
import dev.firmquery.run.store.PastRuns;
import dev.firmquery.run.store.PastRuns.PastRun;
import dev.firmquery.run.store.RunStoreException;
import dev.firmquery.tui.core.Action;
import dev.firmquery.tui.core.Frame;
import dev.firmquery.tui.core.GuiThread;
import dev.firmquery.tui.core.UiContext;
import dev.firmquery.tui.core.View;
import dev.firmquery.tui.input.InputController;
import dev.firmquery.tui.progress.ProgressController;
import dev.firmquery.tui.results.ResultsController;
import dev.firmquery.tui.progress.Rerun;
import dev.firmquery.tui.widget.LinesView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The run history ({@link Action#HISTORY}): reads the reports of the output folder and of the other
 * output folders this user's runs used ({@link OutputFolders}, each checked again before it is read) on
 * the background executor ({@code firmquery-history-N}; a network file system must not freeze the
 * screen) through {@link PastRuns}, which checks each report as written by someone else, and acts on
 * the chosen run: its rows in
 * the result browser, its report, the same input and query again, or the resume of an unfinished one
 * (the same resume as the unfinished-runs list). All public methods on the GUI thread.
 */
public final class HistoryController {
    private static final Logger log = LoggerFactory.getLogger(HistoryController.class);

    private final UiContext ui;
    private final GuiThread gui;
    private final Frame frame;
    private final ProgressController progress;
    private final Supplier<Path> folder;
    private final OutputFolders remembered;
    private final ResultsController results;
    private final InputController input;
    private final HistoryDialog dialog;

    /**
     * @param folder   the folder whose runs are listed first: the session's output directory now
     * @param userHome whose state folder keeps the other output folders used ({@link OutputFolders})
     * @param results  opens a past run's rows in its result browser
     * @param input    takes a past run's input, query and parameters to run them again
     */
    public HistoryController(UiContext ui, Frame frame, ProgressController progress, Supplier<Path> folder,
                             Path userHome, ResultsController results, InputController input) {
        this.ui = ui;
        this.gui = ui.onGui();
        this.frame = frame;
        this.progress = progress;
        this.folder = folder;
        this.remembered = new OutputFolders(OutputFolders.stateFolderOf(userHome));
        this.results = results;
        this.input = input;
        this.dialog = new HistoryDialog(ui.gui(), ui.glyphs(), ui.clock().getZone());
    }

    /** Lists the runs off the GUI thread, then shows them (or says there are none). */
    public void open() {
        gui.checkOn("HistoryController.open");
        if (ui.dialogs().anyOpen()) {
            return;
        }
        Path current = folder.get();
        ui.background().run("history", () -> {
            gui.checkOff("reading the run reports in " + current + " and the other folders used");
            OutputFolders.Remembered others = remembered.read();
            List<Path> where = folders(current, others.folders());
            PastRuns.Listing listing;
            String error = null;
            try {
                listing = PastRuns.list(where);
            } catch (IOException | RuntimeException e) {
                log.warn("cannot list the run reports in {}", where, e);
                listing = new PastRuns.Listing(List.of(), List.of(), 0);
                error = "Cannot read the run reports in " + where + ": " + e + ". Check the folder's permissions; the "
                        + "log has the details.";
            }
            List<String> skipped = new ArrayList<>(others.skipped());
            skipped.addAll(listing.skipped());
            for (String s : skipped) {
                log.warn("run history: {}", s);
            }
            PastRuns.Listing found = new PastRuns.Listing(listing.runs(), skipped, listing.more());
            String problem = error;
            gui.execute(() -> show(where, found, problem));
        });
    }

    /** {@code current} first, then the remembered folders that are not the same folder. */
    private static List<Path> folders(Path current, List<Path> others) {
        List<Path> all = new ArrayList<>(List.of(current));
        Path real = realOrSelf(current);
        for (Path p : others) {
            if (!p.equals(real) && !p.equals(current.toAbsolutePath().normalize())) {
                all.add(p);
            }
        }
        return all;
    }

    private static Path realOrSelf(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private void show(List<Path> where, PastRuns.Listing listing, String error) {
        if (frame.closing() || ui.dialogs().anyOpen()) {
            return;
        }
        if (listing.runs().isEmpty()) {
            String in = where.size() == 1 ? where.get(0).toString() : where.get(0) + " and the " + (where.size() - 1)
                    + " other output folders used";
            ui.dialogs().message("Run history", error != null ? error : "No run reports (*_report.json) in " + in
                    + (listing.skipped().isEmpty() ? "" : "; " + listing.skipped().size() + " skipped: "
                    + listing.skipped().get(0)) + ". Every run writes one next to its result files.", () -> { });
            return;
        }
        TerminalSize size = ui.gui().getScreen().getTerminalSize();
        dialog.open(where, listing, size, new HistoryDialog.Actions(this::rows, this::report, this::again, this::resume,
                () -> showText("Skipped", listing.skipped().stream().map(dev.firmquery.tui.widget.Fmt::printable).toList(), true)));
    }

    private void rows(PastRun r) {
        r.file("results-csv").ifPresentOrElse(results::browse, () -> ui.dialogs().message("No rows to browse",
                "Run " + r.runId() + " has no plain CSV in the folder of its report (it wrote none, a .csv.gz cannot"
                        + " be paged, or the file was moved or is a link): add csv to the formats and run it again (a).",
                () -> { }));
    }

    /** {@code r}: the report as it is on disk, read again with the same checks, in a scrollable window. */
    private void report(PastRun r) {
        ui.background().run("history", () -> {
            String text;
            try {
                text = PastRuns.read(r.report());
            } catch (RunStoreException e) {
                text = e.getMessage();
            }
            List<String> lines = text.lines().map(dev.firmquery.tui.widget.Fmt::printable).toList();
            gui.execute(() -> showText(r.report().getFileName().toString(), lines, false));
        });
    }

    /** {@code lines} in a scrollable window over the history; {@code wrap}: long lines wrapped, not cut. */
    private void showText(String title, List<String> lines, boolean wrap) {
        BasicWindow w = new BasicWindow(title + " (Esc closes)");
        w.setHints(List.of(Window.Hint.MODAL, Window.Hint.CENTERED));
        TerminalSize size = ui.gui().getScreen().getTerminalSize();
        LinesView view = new LinesView(ui.glyphs(), Math.max(4, size.getRows() - 6), false);
        view.setPreferredSize(new TerminalSize(Math.max(20, size.getColumns() - 6), Math.max(4, size.getRows() - 6)));
        if (wrap) {
            view.wrap(2);
        }
        view.setLines(lines);
        w.setComponent(view);
        AtomicBoolean closed = new AtomicBoolean();
        w.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window window, KeyStroke key, AtomicBoolean deliver) {
                if (key.getKeyType() == KeyType.Escape && closed.compareAndSet(false, true)) {
                    deliver.set(false);
                    w.close();
                }
            }
        });
        ui.gui().addWindow(w);
        w.setFocusedInteractable(view);
    }

    /** {@code a}: the same input, query and parameters in the input window, loaded; F5 then runs it. */
    private void again(PastRun r) {
        if ("-".equals(r.input())) {
            ui.dialogs().message("Pasted IDs", "Run " + r.runId() + " read pasted or piped IDs, which are not kept: "
                    + "paste them again (" + Action.PASTE.shortKeys() + ") or choose the file they came from.", () -> { });
            return;
        }
        String query = r.queryName();
        try {
            if (r.queryPath() != null && Files.isRegularFile(Path.of(r.queryPath()), LinkOption.NOFOLLOW_LINKS)) {
                query = r.queryPath();
            }
        } catch (java.nio.file.InvalidPathException e) {
            log.debug("the report's query path {} is no path here; using the name {}", r.queryPath(), query);
        }
        log.info("UI: running {} over {}{} again from the history (run {})", query, r.input(),
                r.sheet() == null ? "" : ", sheet '" + dev.firmquery.tui.widget.Fmt.printable(r.sheet()) + "'", r.runId());
        input.again(query, Path.of(r.input()), r.sheet(), r.parameters());
    }

    /** {@code u}: the resume of an unfinished run, as F6 and the unfinished-runs list do it. */
    private void resume(PastRun r) {
        if (progress.isActive()) {
            frame.show(View.PROGRESS);
            return;
        }
        Path dir = r.resumable().orElse(null);
        if (dir == null) {
            return;
        }
        log.info("UI: resuming run {} from the history ({})", r.runId(), dir);
        progress.start(new Preparation("resume of run " + r.runId() + " (" + Rerun.resumeCommand(dir) + ")", null,
                setup -> Rerun.resume(setup, dir)));
    }
}
