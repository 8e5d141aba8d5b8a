package dev.firmquery.tui.results;

import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.Panel;
import dev.firmquery.app.Preparation;
import dev.firmquery.run.RunReport;
import dev.firmquery.tui.core.Action;
import dev.firmquery.tui.core.Dialogs;
import dev.firmquery.tui.core.Frame;
import dev.firmquery.tui.core.GuiThread;
import dev.firmquery.tui.core.UiContext;
import dev.firmquery.tui.core.View;
import dev.firmquery.tui.core.WindowController;
import dev.firmquery.tui.progress.FinishedRun;
import dev.firmquery.tui.progress.ProgressController;
import dev.firmquery.tui.progress.Rerun;
import dev.firmquery.tui.widget.Fmt;

import java.util.List;

/**
 * The results window (F9): the summary of the last finished run, its missing IDs, failed chunks and
 * first rows (read back from its files on the background executor, {@code firmquery-results-N}), and
 * the re-run of what it left (F6). All methods on the GUI thread.
 */
public final class ResultsController implements WindowController {
    private final UiContext ui;
    private final GuiThread gui;
    private final Frame frame;
    private final ProgressController progress;
    private final ResultsScreen screen;
    private FinishedRun lastRun;

    /**
     * @param progress starts the re-runs
     * @param newRun   what New run (the button) does: the frame's Alt-N
     * @param quit     what Quit (the button) does: the frame's F10
     */
    public ResultsController(UiContext ui, Frame frame, ProgressController progress, Runnable newRun, Runnable quit) {
        this.ui = ui;
        this.gui = ui.onGui();
        this.frame = frame;
        this.progress = progress;
        this.screen = new ResultsScreen(ui.glyphs(), newRun, this::rerun, quit);
    }

    @Override
    public Panel root() {
        return screen.root();
    }

    @Override
    public void shown() {
        // The report is shown when the run ends, its lists when they are read.
    }

    @Override
    public Interactable defaultFocus() {
        return screen.defaultFocus();
    }

    @Override
    public List<Action> keys() {
        return List.of(Action.NEW_RUN, Action.RERUN, Action.INPUT, Action.QUIT);
    }

    /** The last run of this session that ended with a report, or null. */
    public FinishedRun lastRun() {
        gui.checkOn("ResultsController.lastRun");
        return lastRun;
    }

    /** Shows {@code f}'s report at once and its lists once they are read back from its files. */
    public void show(FinishedRun f) {
        gui.checkOn("ResultsController.show");
        lastRun = f;
        screen.showReport(f.number(), f.report());
        ui.background().run("results", () -> {
            ResultsData d = ResultsData.read(f.report(), ui.glyphs());
            gui.execute(() -> {
                if (lastRun == f) {
                    screen.showData(d);
                }
            });
        });
    }

    /**
     * {@code 1}, {@code 2}, {@code 3} in the results window: the missing IDs, failed chunks, first rows;
     * {@code 4}: all rows in the result browser.
     *
     * @return whether {@code key} was one of them
     */
    public boolean selectTab(char key) {
        gui.checkOn("ResultsController.selectTab");
        if (key == '4') {
            browseAll();
            return true;
        }
        ResultsScreen.Tab tab = switch (key) {
            case '1' -> ResultsScreen.Tab.MISSING;
            case '2' -> ResultsScreen.Tab.FAILED;
            case '3' -> ResultsScreen.Tab.ROWS;
            default -> null;
        };
        if (tab == null) {
            return false;
        }
        screen.select(tab);
        frame.focus(screen.lowerFocus());
        return true;
    }

    /** Every row of {@code csv} (a past run's, from the run history) in the result browser. */
    public void browse(java.nio.file.Path csv) {
        gui.checkOn("ResultsController.browse");
        new ResultBrowser(ui).open(csv);
    }

    /** {@code 4}: every row of the last run's CSV in the result browser ({@link ResultBrowser}). */
    private void browseAll() {
        java.nio.file.Path csv = lastRun == null ? null : ResultsData.file(lastRun.report(), "results-csv");
        if (csv == null) {
            ui.dialogs().message("Nothing to browse", lastRun == null ? "No finished run yet."
                    : "Run " + lastRun.number() + " wrote no plain CSV (a .csv.gz cannot be paged): add csv to the"
                    + " formats, or browse it with zcat | less -S.", () -> { });
            return;
        }
        new ResultBrowser(ui).open(csv);
    }

    /**
     * F6: re-runs what the last run left: its failed chunks, or after a cancel or stop its failed and
     * not-run chunks, as a resume of the same run ({@link Rerun}), after asking.
     */
    public void rerun() {
        gui.checkOn("ResultsController.rerun");
        if (progress.isActive()) {
            frame.show(View.PROGRESS);
            return;
        }
        FinishedRun f = lastRun;
        frame.show(View.RESULTS);
        if (f == null) {
            return;
        }
        RunReport r = f.report();
        if (!f.rerunnable()) {
            ui.dialogs().message("Nothing to re-run", "Every chunk of run " + f.number() + " succeeded.", () -> { });
            return;
        }
        String what = f.onlyFailedLeft()
                ? Fmt.plural(r.chunks().failed(), "failed chunk", "failed chunks") + " (" + Fmt.plural(r.counts().failedIds(), "ID", "IDs") + ")"
                : (r.chunks().failed() > 0 ? Fmt.plural(r.chunks().failed(), "failed chunk", "failed chunks") + " and " : "")
                + Fmt.plural(r.chunks().notRun(), "chunk", "chunks") + " not run ("
                + Fmt.plural(r.counts().failedIds() + r.counts().notRunIds(), "ID", "IDs") + ")";
        String text = "Run " + f.number() + " (" + r.query().name() + ") left " + what + ". Re-running runs only those, "
                + "with the same query and IDs, and then writes the run's files again, complete: "
                + r.outputs().files().stream().findFirst().map(x -> x.path().getParent() + "/").orElse("") + f.request().output()
                .baseName() + ".*\nSame as: " + Rerun.command(f);
        ui.dialogs().choose("Re-run", text, List.of(
                new Dialogs.Choice("Re-run them (r)", 'r', () -> progress.start(rerunOf(f))),
                new Dialogs.Choice("Cancel (n)", 'n', () -> { })), () -> { }, 0, false);
    }

    /** The re-run of {@code f}, as a run to start. */
    static Preparation rerunOf(FinishedRun f) {
        return new Preparation("re-run of run " + f.report().runId() + " (" + Rerun.command(f) + ")", null,
                setup -> Rerun.request(setup, f));
    }
}
