package dev.firmquery.tui.unfinished;

import dev.firmquery.app.Preparation;
import dev.firmquery.run.store.RunStore;
import dev.firmquery.run.store.UnfinishedRun;
import dev.firmquery.tui.core.Action;
import dev.firmquery.tui.core.Dialogs;
import dev.firmquery.tui.core.Frame;
import dev.firmquery.tui.core.GuiThread;
import dev.firmquery.tui.core.UiContext;
import dev.firmquery.tui.core.View;
import dev.firmquery.tui.progress.ProgressController;
import dev.firmquery.tui.progress.Rerun;
import dev.firmquery.tui.widget.Fmt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The unfinished runs of the output folder (Alt-U, and at start when there are any): lists them on the
 * background executor ({@code firmquery-runs-N}: a slow or network file system must not freeze the
 * screen), resumes one as a run of this session, or deletes its working folder after asking. One run
 * at a time: nothing is listed while a run is active. All public methods on the GUI thread.
 */
public final class UnfinishedRunsController {
    private static final Logger log = LoggerFactory.getLogger(UnfinishedRunsController.class);

    /**
     * What the list tells the input window, which stays behind it.
     *
     * @param note    a line for the input window's message field
     * @param refocus the list was dismissed: focus Run again if the input is ready, as if the list had not
     *                been there
     */
    public record Input(Consumer<String> note, Runnable refocus) {
    }

    private final UiContext ui;
    private final GuiThread gui;
    private final Frame frame;
    private final ProgressController progress;
    private final Supplier<Path> outputFolder;
    private final Input input;
    private final UnfinishedRunsDialog dialog;

    /**
     * @param progress     runs the resumes; knows which runs this process is running
     * @param outputFolder the folder whose runs are listed: the session's output directory now
     * @param input        the input window behind the list
     */
    public UnfinishedRunsController(UiContext ui, Frame frame, ProgressController progress,
                                    Supplier<Path> outputFolder, Input input) {
        this.ui = ui;
        this.gui = ui.onGui();
        this.frame = frame;
        this.progress = progress;
        this.outputFolder = outputFolder;
        this.input = input;
        this.dialog = new UnfinishedRunsDialog(ui.gui(), ui.glyphs(), ui.clock().getZone());
    }

    /** At start: lists the unfinished runs and shows them only if there are any and nothing else is going on. */
    public void listAtStart() {
        gui.checkOn("UnfinishedRunsController.listAtStart");
        list(true, 0, null);
    }

    /** Alt-U: lists the output folder's unfinished runs (not while a run is active). */
    public void open() {
        gui.checkOn("UnfinishedRunsController.open");
        if (ui.dialogs().anyOpen()) {
            return;
        }
        OptionalInt running = progress.activeNumber();
        if (running.isPresent()) {
            frame.show(View.PROGRESS);
            ui.dialogs().message("Unfinished runs", "Run " + running.getAsInt() + " is in progress. The unfinished "
                    + "runs in " + outputFolder.get() + " can be listed (" + Action.RESUME.shortKeys()
                    + ") once it has ended.", () -> { });
            return;
        }
        list(false, 0, null);
    }

    /**
     * Lists the unfinished runs off the GUI thread, then shows them.
     *
     * @param atStart  the list at start: shown only when there are runs and nothing else is going on
     * @param selected the entry chosen at first
     * @param note     a line above the list, e.g. what was just deleted
     */
    private void list(boolean atStart, int selected, String note) {
        Path folder = outputFolder.get();
        ui.background().run("runs", () -> {
            gui.checkOff("listing the unfinished runs in " + folder);
            List<UnfinishedRun> entries;
            String error = null;
            try {
                entries = RunStore.unfinished(folder, progress.runningHere());
            } catch (IOException | RuntimeException e) {
                log.warn("cannot list the unfinished runs in {}", folder, e);
                entries = List.of();
                error = "Cannot read " + folder.resolve(UnfinishedRuns.WORK_FOLDER) + ": " + e
                        + ". Check its permissions; the log has the details.";
            }
            List<UnfinishedRun> found = entries;
            String problem = error;
            gui.execute(() -> show(folder, found, problem, atStart, selected, note));
        });
    }

    private void show(Path folder, List<UnfinishedRun> entries, String error, boolean atStart, int selected,
                      String note) {
        if (frame.closing()) {
            return;
        }
        if (!entries.isEmpty()) {
            log.info("{} in {}", Fmt.plural(entries.size(), "unfinished run", "unfinished runs"), folder);
        }
        if (progress.isActive() || ui.dialogs().anyOpen()) {
            // The user got going meanwhile (a run, a dialog): do not pop up over it.
            if (!entries.isEmpty()) {
                input.note().accept(laterMessage(entries.size()));
            }
            return;
        }
        if (entries.isEmpty()) {
            if (!atStart || note != null) {
                ui.dialogs().message("Unfinished runs", error != null ? error : (note != null ? note + " " : "")
                        + "No unfinished runs in " + folder + ". A run that is cancelled, stopped or interrupted "
                        + "stays there until it is resumed or deleted.", () -> { });
            } else if (error != null) {
                input.note().accept(error);
            }
            return;
        }
        dialog.open(folder, entries, selected, note, new UnfinishedRunsDialog.Actions(
                this::resume,
                e -> askDelete(e, entries.indexOf(e)),
                () -> {
                    input.note().accept(laterMessage(entries.size()));
                    input.refocus().run();
                }));
    }

    private static String laterMessage(int n) {
        return Fmt.plural(n, "unfinished run", "unfinished runs") + ": " + Action.RESUME.shortKeys() + " lists "
                + (n == 1 ? "it" : "them") + ".";
    }

    /** Resume: the same resume as F6 ({@link Rerun#resume}), on the same runner, progress and results. */
    private void resume(UnfinishedRun e) {
        if (progress.isActive()) {
            frame.show(View.PROGRESS);
            return;
        }
        log.info("UI: resuming run {} from the list of unfinished runs ({})", e.runId(), e.directory());
        Path dir = e.directory();
        progress.start(new Preparation("resume of run " + e.runId() + " (" + Rerun.resumeCommand(dir) + ")", null,
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
                : "The files in " + outputFolder.get() + " are kept.";
        Runnable keep = () -> list(false, index, null);
        ui.dialogs().choose("Delete run " + e.runId() + "?", what + kept,
                List.of(new Dialogs.Choice("Delete it (y)", 'y', () -> delete(e, index)),
                        new Dialogs.Choice("Keep it (n)", 'n', keep)), keep, 1, false);
    }

    private void delete(UnfinishedRun e, int index) {
        if (progress.runningHere().contains(e.runId())) {
            return; // cannot happen while the list is modal; never delete what this process runs
        }
        ui.background().run("runs", () -> {
            gui.checkOff("deleting the working folder of run " + e.runId());
            try {
                progress.deleteUnfinished(e); // audited by the run service
                log.info("UI: deleted the working folder of run {} ({})", e.runId(), e.directory());
                gui.execute(() -> list(false, index, "Deleted run " + e.runId() + "."));
            } catch (IOException ex) {
                log.warn("UI: cannot delete run {}", e.runId(), ex);
                gui.execute(() -> ui.dialogs().message("Run " + e.runId() + " not deleted", ex.getMessage(),
                        () -> list(false, index, null)));
            }
        });
    }
}
