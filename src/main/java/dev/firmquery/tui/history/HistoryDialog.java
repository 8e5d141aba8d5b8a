package dev.firmquery.tui.history;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.run.store.PastRuns;
import dev.firmquery.run.store.PastRuns.PastRun;
import dev.firmquery.tui.core.Action;
import dev.firmquery.tui.widget.Fmt;
import dev.firmquery.tui.widget.Glyphs;
import dev.firmquery.tui.widget.LinesView;
import dev.firmquery.tui.widget.PickList;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The run history window: the past runs of the output folder, newest first, one line each (start,
 * status, query, IDs, rows, duration), and below the chosen one's details. Keys act on the chosen run:
 * Enter opens its rows in the result browser, {@code r} shows its report, {@code a} runs it again
 * (same input, query and parameters, loaded into the input window), {@code u} resumes it when it is
 * unfinished; Esc closes.
 */
final class HistoryDialog {
    /** Width of the text: an 80-column terminal minus the border and a margin. */
    static final int WIDTH = 76;
    private static final int MAX_LIST_ROWS = 8;
    private static final int DETAIL_ROWS = 6;
    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    /**
     * What the keys do; the window stays open for {@code rows} and {@code report} (they open over it)
     * and closes before {@code again} and {@code resume}.
     */
    record Actions(Consumer<PastRun> rows, Consumer<PastRun> report, Consumer<PastRun> again, Consumer<PastRun> resume) {
    }

    private final WindowBasedTextGUI gui;
    private final Glyphs glyphs;
    private final ZoneId zone;

    HistoryDialog(WindowBasedTextGUI gui, Glyphs glyphs, ZoneId zone) {
        this.gui = gui;
        this.glyphs = glyphs;
        this.zone = zone;
    }

    /** Opens the list of {@code listing}'s runs (not empty) found in {@code folders}. */
    Window open(List<Path> folders, PastRuns.Listing listing, Actions actions) {
        BasicWindow w = new BasicWindow("Run history");
        w.setHints(List.of(Window.Hint.MODAL, Window.Hint.CENTERED));
        Panel body = new Panel(new LinearLayout(Direction.VERTICAL));
        List<PastRun> runs = listing.runs();
        String where = folders.size() == 1 ? folders.get(0).toString() : Fmt.plural(folders.size(), "folder", "folders");
        body.addComponent(new Label(Fmt.fitMiddle(Fmt.printable(Fmt.plural(runs.size(), "run", "runs") + " in " + where
                + (listing.skipped().isEmpty() ? "" : " (" + Fmt.count(listing.skipped().size()) + " reports skipped, see the log)")
                + (listing.more() > 0 ? " (" + Fmt.count(listing.more()) + " older not read)" : "") + ", newest first:"),
                WIDTH, glyphs)));
        body.addComponent(new Label(Fmt.printable(header())));
        int rows = Math.max(2, Math.min(MAX_LIST_ROWS, runs.size()));
        PickList<PastRun> list = new PickList<>(glyphs, rows, this::row);
        list.setPreferredSize(new TerminalSize(WIDTH, rows));
        body.addComponent(list);
        LinesView details = new LinesView(glyphs, DETAIL_ROWS, false);
        details.setPreferredSize(new TerminalSize(WIDTH, DETAIL_ROWS));
        body.addComponent(details);
        Label keys = new Label("");
        body.addComponent(keys);
        w.setComponent(body);

        AtomicBoolean done = new AtomicBoolean();
        Consumer<Consumer<PastRun>> closing = action -> {
            PastRun r = list.selected();
            if (r != null && done.compareAndSet(false, true)) {
                w.close();
                action.accept(r);
            }
        };
        Consumer<PastRun> chosen = r -> {
            details.setLines(details(r).stream().map(Fmt::printable).toList());
            details.scrollHome();
            keys.setText(Fmt.fit("Enter rows  r report  a run again" + (r.resumable().isPresent() ? "  u resume" : "")
                    + "  Esc closes", WIDTH, glyphs));
        };
        list.onMove(chosen).onActivate(actions.rows());
        list.setItems(runs, 0);
        chosen.accept(list.selected());
        w.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window window, KeyStroke key, AtomicBoolean deliver) {
                if (key.getKeyType() == KeyType.Escape
                        || key.isAltDown() && Action.command(key).filter(a -> a == Action.HISTORY).isPresent()) {
                    deliver.set(false);
                    if (done.compareAndSet(false, true)) {
                        w.close();
                    }
                    return;
                }
                if (key.getKeyType() != KeyType.Character || key.getCharacter() == null || key.isCtrlDown()
                        || key.isAltDown()) {
                    return;
                }
                PastRun r = list.selected();
                switch (Character.toLowerCase(key.getCharacter())) {
                    case 'r' -> {
                        deliver.set(false);
                        actions.report().accept(r);
                    }
                    case 'a' -> {
                        deliver.set(false);
                        closing.accept(actions.again());
                    }
                    case 'u' -> {
                        deliver.set(false);
                        if (r.resumable().isPresent()) {
                            closing.accept(actions.resume());
                        }
                    }
                    default -> { }
                }
            }
        });
        gui.addWindow(w);
        w.setFocusedInteractable(list);
        return w;
    }

    /** The column heading above the list. */
    static String header() {
        return String.format(Locale.ROOT, "  %-16s  %-9s  %-16s %9s %10s %7s", "Started", "Status", "Query", "IDs", "Rows", "Took");
    }

    /** One run's line: {@code 2026-12-03 08:01  completed  firm_details  5,000  4,870  0:12}. */
    String row(PastRun r) {
        String started = r.started() == null ? "?" : STARTED.format(r.started().atZone(zone));
        return String.format(Locale.ROOT, "%-16s  %-9s  %-16s %9s %10s %7s", started, Fmt.fit(r.status(), 9, glyphs),
                Fmt.fit(r.queryName(), 16, glyphs), Fmt.count(r.validIds()), Fmt.count(r.rows()),
                Fmt.clock(Duration.ofMillis(r.durationMs())));
    }

    /** The lines below the list: everything about the chosen run. */
    List<String> details(PastRun r) {
        List<String> l = new ArrayList<>();
        int width = WIDTH - 9;
        l.add("Run      " + r.runId() + ": " + r.status() + (r.failedChunks() > 0 ? ", " + Fmt.plural(r.failedChunks(),
                "failed chunk", "failed chunks") : "") + (r.notRunChunks() > 0 ? ", " + Fmt.count(r.notRunChunks()) + " not run" : "")
                + (!r.unfinished() ? "" : r.resumable().isPresent() ? "; u resumes" : "; no working folder: a runs it again"));
        l.add("Query    " + Fmt.fitMiddle(r.queryName() + (r.parameters().isEmpty() ? "" : " with " + describe(r)), width, glyphs));
        l.add("Input    " + Fmt.fitMiddle("-".equals(r.input()) ? "pasted IDs" : r.input(), width, glyphs));
        l.add("Counts   " + Fmt.count(r.validIds()) + " IDs, " + Fmt.count(r.rows()) + " rows, " + Fmt.count(r.missingIds())
                + " missing IDs, " + Fmt.count(r.failedIds()) + " failed IDs");
        l.add("Report   " + Fmt.fitMiddle(r.report().toString(), width, glyphs));
        l.add("Rows     " + r.file("results-csv").map(p -> Fmt.fitMiddle(p.toString(), width, glyphs))
                .orElse("no plain CSV in this folder to browse"));
        return l;
    }

    private static String describe(PastRun r) {
        List<String> parts = new ArrayList<>();
        new java.util.TreeMap<>(r.parameters()).forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(", ", parts);
    }
}
