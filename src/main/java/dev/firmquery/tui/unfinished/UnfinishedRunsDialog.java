package dev.firmquery.tui.unfinished;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.EmptySpace;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.run.store.UnfinishedRun.State;
import dev.firmquery.run.store.UnfinishedRun;
import dev.firmquery.tui.core.Action;
import dev.firmquery.tui.core.Dialogs;
import dev.firmquery.tui.widget.Fmt;
import dev.firmquery.tui.widget.Glyphs;
import dev.firmquery.tui.widget.PickList;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The list of unfinished runs (docs/tui.md, "Unfinished runs"): one line per run (id, query, ID file,
 * chunks done of all, status), the chosen run's details below, and Resume (r), Delete (d), Later (l or
 * Esc). It fits an 80x24 terminal; the chosen line is reversed when the list has the focus and marked
 * with a pointer otherwise, so nothing depends on colours.
 */
final class UnfinishedRunsDialog {
    /** Width of the dialog's text: an 80-column terminal minus the border and a margin. */
    static final int WIDTH = 76;
    private static final int LABEL = 9;
    private static final int DETAIL_ROWS = 7;
    private static final int MAX_LIST_ROWS = 6;
    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private final WindowBasedTextGUI gui;
    private final Glyphs glyphs;
    private final ZoneId zone;

    /**
     * @param zone the time zone the start times are shown in
     */
    UnfinishedRunsDialog(WindowBasedTextGUI gui, Glyphs glyphs, ZoneId zone) {
        this.gui = gui;
        this.glyphs = glyphs;
        this.zone = zone;
    }

    /**
     * What the buttons do; the dialog is closed first, and exactly one of them is called.
     *
     * @param resume called with the chosen run (only a resumable one)
     * @param delete called with the chosen run (the caller asks before deleting)
     * @param later  the list was closed without a choice
     */
    record Actions(Consumer<UnfinishedRun> resume, Consumer<UnfinishedRun> delete, Runnable later) {
    }

    /**
     * Opens the list.
     *
     * @param outputDirectory where the runs were found
     * @param entries         the runs, newest first; not empty
     * @param selected        the entry chosen at first
     * @param note            a line shown above the list (e.g. what was just deleted), or null
     */
    Window open(Path outputDirectory, List<UnfinishedRun> entries, int selected, String note, Actions actions) {
        BasicWindow w = new BasicWindow("Unfinished runs");
        w.setHints(List.of(Window.Hint.MODAL, Window.Hint.CENTERED));
        Panel body = new Panel(new LinearLayout(Direction.VERTICAL));
        if (note != null) {
            for (String line : Dialogs.wrap(note, WIDTH)) {
                body.addComponent(new Label(line));
            }
        }
        body.addComponent(new Label(Fmt.fitMiddle(Fmt.printable(heading(outputDirectory, entries.size())), WIDTH,
                glyphs)));
        Columns columns = Columns.of(entries, glyphs);
        body.addComponent(new Label("  " + columns.header()));
        int rows = Math.max(2, Math.min(MAX_LIST_ROWS, entries.size()));
        PickList<UnfinishedRun> list = new PickList<>(glyphs, rows, columns::row);
        list.setPreferredSize(new TerminalSize(WIDTH, rows));
        body.addComponent(list);
        body.addComponent(new EmptySpace(new TerminalSize(1, 1)));
        Label details = new Label("");
        details.setPreferredSize(new TerminalSize(WIDTH, DETAIL_ROWS));
        body.addComponent(details);
        Panel buttons = new Panel(new LinearLayout(Direction.HORIZONTAL));
        AtomicBoolean done = new AtomicBoolean();
        Consumer<Runnable> finish = action -> {
            if (done.compareAndSet(false, true)) {
                w.close();
                action.run();
            }
        };
        Runnable resume = () -> {
            UnfinishedRun e = list.selected();
            if (e != null && e.resumable()) {
                finish.accept(() -> actions.resume().accept(e));
            }
        };
        Runnable delete = () -> {
            UnfinishedRun e = list.selected();
            if (e != null && e.deletable()) {
                finish.accept(() -> actions.delete().accept(e));
            }
        };
        Runnable later = () -> finish.accept(actions.later());
        Button resumeButton = new Button("Resume (r)", resume);
        Button deleteButton = new Button("Delete (d)", delete);
        Button laterButton = new Button("Later (l/Esc)", later);
        buttons.addComponent(resumeButton);
        buttons.addComponent(deleteButton);
        buttons.addComponent(laterButton);
        body.addComponent(buttons, LinearLayout.createLayoutData(LinearLayout.Alignment.End));
        body.addComponent(new Label(Fmt.fit("Arrows choose; Enter resumes; Tab to the buttons. "
                + Action.RESUME.shortKeys() + " lists them again.", WIDTH, glyphs)));
        w.setComponent(body);

        Consumer<UnfinishedRun> chosen = e -> {
            details.setText(String.join("\n", details(e).stream().map(Fmt::printable).toList()));
            resumeButton.setLabel(e.resumable() ? "Resume (r)" : "Resume: " + UnfinishedRuns.label(e.state()));
            resumeButton.setEnabled(e.resumable());
            deleteButton.setLabel(e.deletable() ? "Delete (d)" : "Delete: " + UnfinishedRuns.label(e.state()));
            deleteButton.setEnabled(e.deletable());
        };
        list.onMove(chosen);
        list.onActivate(e -> {
            if (e.resumable()) {
                resume.run();
            } else {
                delete.run();
            }
        });
        list.setItems(entries, selected);
        chosen.accept(list.selected());
        w.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window window, KeyStroke key, AtomicBoolean deliver) {
                if (key.getKeyType() == KeyType.Escape) {
                    deliver.set(false);
                    later.run();
                    return;
                }
                if (key.getKeyType() != KeyType.Character || key.getCharacter() == null || key.isCtrlDown()) {
                    return;
                }
                if (key.isAltDown()) {
                    if (Action.command(key).filter(a -> a == Action.RESUME).isPresent()) {
                        deliver.set(false);
                        later.run(); // the key that opens the list closes it too
                    }
                    return;
                }
                Runnable a = switch (Character.toLowerCase(key.getCharacter())) {
                    case 'r' -> resume;
                    case 'd' -> delete;
                    case 'l' -> later;
                    default -> null;
                };
                if (a != null) {
                    deliver.set(false);
                    a.run();
                }
            }
        });
        gui.addWindow(w);
        w.setFocusedInteractable(list);
        return w;
    }

    /** {@code 2 unfinished runs in /data/out (newest first):}. */
    static String heading(Path outputDirectory, int n) {
        return Fmt.plural(n, "unfinished run", "unfinished runs") + " in " + outputDirectory
                + (n > 1 ? " (newest first):" : ":");
    }

    /** The lines below the list: everything about the chosen run, paths cut in the middle to fit. */
    List<String> details(UnfinishedRun e) {
        List<String> l = new ArrayList<>();
        int width = WIDTH - LABEL;
        if (e.state() == State.DAMAGED) {
            l.add(line("Folder", Fmt.fitMiddle(e.directory().toString(), width, glyphs)));
            List<String> why = Dialogs.wrap("damaged: " + e.problem(), width);
            for (int i = 0; i < why.size() && i < 4; i++) {
                String text = i == 3 && why.size() > 4 ? Fmt.fit(why.get(i) + " " + glyphs.ellipsis(), width, glyphs)
                        : why.get(i);
                l.add(line(i == 0 ? "Status" : "", text));
            }
            l.add(line("", "It cannot be resumed; Delete removes this folder only, never"));
            l.add(line("", "the files already written to the output directory."));
            return l;
        }
        String started = e.created() == null ? "?" : STARTED.format(LocalDateTime.ofInstant(e.created(), zone));
        l.add(line("Run", e.runId() + ", started " + started));
        l.add(line("Query", Fmt.fit(e.queryName(), width, glyphs)));
        l.add(line("Input", Fmt.fitMiddle(e.inputSource(), width, glyphs)));
        String left = e.resumable() ? "; Resume runs the " + Fmt.count(e.failed() + e.notRun()) + " left" : "";
        l.add(line("Chunks", Fmt.fit(Fmt.count(e.done()) + " of " + Fmt.count(e.chunks()) + " done, "
                + Fmt.count(e.failed()) + " failed, " + Fmt.count(e.notRun()) + " not run" + left, width, glyphs)));
        l.add(line("Status", Fmt.fit(explain(e), width, glyphs)));
        l.add(line("Files", Fmt.fitMiddle(e.outputs() + ".*", width, glyphs)));
        l.add(line("Folder", Fmt.fitMiddle(e.directory().toString(), width, glyphs)));
        return l;
    }

    /** What the status means. */
    private static String explain(UnfinishedRun e) {
        return switch (e.state()) {
            case INTERRUPTED -> "interrupted: the process was killed mid-run (SIGKILL, crash)";
            case CANCELLED -> "cancelled by the user";
            case PARTIAL -> "partial: " + Fmt.plural(e.failed(), "chunk", "chunks") + " failed after the retries";
            case FAILED -> "failed: no chunk succeeded";
            case INTERNAL_ERROR -> "stopped by an internal error (see the report and firmquery.log)";
            case IN_USE -> "in use: another firmquery process is running it right now";
            case DAMAGED -> UnfinishedRuns.status(e);
        };
    }

    private static String line(String label, String value) {
        return Fmt.pad(label, LABEL) + value;
    }

    /** The widths of the list's columns, from the entries: query and ID file share what is left. */
    record Columns(int query, int input, int done, int status, Glyphs glyphs) {
        private static final int ID = 20;
        private static final int GAP = 2;

        static Columns of(List<UnfinishedRun> entries, Glyphs glyphs) {
            int done = "Done".length();
            int status = "Status".length();
            int maxQuery = "Query".length();
            int maxInput = "Input".length();
            for (UnfinishedRun e : entries) {
                if (e.state() == State.DAMAGED) {
                    continue;
                }
                done = Math.max(done, doneOf(e).length());
                status = Math.max(status, UnfinishedRuns.label(e.state()).length());
                maxQuery = Math.max(maxQuery, e.queryName().length());
                maxInput = Math.max(maxInput, UnfinishedRuns.inputName(e).length());
            }
            // After the pointer; one column less when the list scrolls, for the scroll mark.
            int width = WIDTH - 2 - (entries.size() > MAX_LIST_ROWS ? 1 : 0);
            int shared = width - ID - 4 * GAP - done - status;
            int query = Math.min(maxQuery, Math.max(shared - maxInput, shared * 2 / 5));
            int input = Math.min(maxInput, shared - query);
            query = Math.min(maxQuery, shared - input);
            return new Columns(query, input, done, status, glyphs);
        }

        String header() {
            return join("Run", "Query", "Input", "Done", "Status");
        }

        String row(UnfinishedRun e) {
            if (e.state() == State.DAMAGED) {
                return Fmt.pad(e.runId(), ID) + "  " + UnfinishedRuns.status(e);
            }
            return join(e.runId(), e.queryName(), UnfinishedRuns.inputName(e), doneOf(e),
                    UnfinishedRuns.label(e.state()));
        }

        private String join(String id, String q, String in, String d, String s) {
            return Fmt.pad(id, ID) + "  " + cut(q, query) + "  " + cut(in, input) + "  "
                    + " ".repeat(Math.max(0, done - d.length())) + d + "  " + s;
        }

        /** Padded to {@code width}, or cut with an ellipsis. */
        private String cut(String text, int width) {
            return Fmt.pad(Fmt.fit(text, width, glyphs), width);
        }

        private static String doneOf(UnfinishedRun e) {
            return e.done() + "/" + e.chunks();
        }
    }
}
