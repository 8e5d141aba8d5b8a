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
 * The run history window: the past runs of the output folders, newest first, one line each (start,
 * status, query, IDs, rows, duration), and below the chosen one's details, its folder among them. Keys
 * act on the chosen run: Enter opens its rows in the result browser, {@code r} shows its report,
 * {@code a} runs it again (same input, query and parameters, loaded into the input window), {@code u}
 * resumes it when it is unfinished; {@code s} lists what was skipped and why; Esc closes. On a terminal
 * narrower than 80 columns the lines leave out the IDs column (the details keep the counts) and say so.
 */
final class HistoryDialog {
    /** Width of the text: an 80-column terminal minus the border and a margin. */
    static final int WIDTH = 76;
    /** The full line ({@link #header()}) takes 74 columns and the list's pointer 2. */
    private static final int FULL_ROW = 76;
    private static final int MIN_WIDTH = 40;
    private static final int MAX_LIST_ROWS = 8;
    private static final int DETAIL_ROWS = 7;
    /** Rows besides the list: border 2, summary, column heading, details, keys, and a row above and below. */
    private static final int OTHER_ROWS = 2 + 1 + 1 + DETAIL_ROWS + 1 + 2;
    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter STARTED_SHORT = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT);

    /**
     * What the keys do; the window stays open for {@code rows} and {@code report} (they open over it)
     * and closes before {@code again} and {@code resume}.
     */
    record Actions(Consumer<PastRun> rows, Consumer<PastRun> report, Consumer<PastRun> again, Consumer<PastRun> resume,
                   Runnable skipped) {
    }

    private final WindowBasedTextGUI gui;
    private final Glyphs glyphs;
    private final ZoneId zone;
    private int width = WIDTH;

    HistoryDialog(WindowBasedTextGUI gui, Glyphs glyphs, ZoneId zone) {
        this.gui = gui;
        this.glyphs = glyphs;
        this.zone = zone;
    }

    /**
     * Opens the list of {@code listing}'s runs (not empty) found in {@code folders} (the current output
     * folder first), sized for a terminal of {@code size}.
     */
    Window open(List<Path> folders, PastRuns.Listing listing, TerminalSize size, Actions actions) {
        width = Math.max(MIN_WIDTH, Math.min(WIDTH, size.getColumns() - 4));
        BasicWindow w = new BasicWindow("Run history");
        w.setHints(List.of(Window.Hint.MODAL, Window.Hint.CENTERED));
        Panel body = new Panel(new LinearLayout(Direction.VERTICAL));
        List<PastRun> runs = listing.runs();
        String where = folders.size() == 1 ? Fmt.printable(folders.get(0).toString())
                : Fmt.plural(folders.size(), "folder", "folders");
        List<String> notes = new ArrayList<>();
        if (!full()) {
            notes.add("IDs in Counts");
        }
        if (listing.more() > 0) {
            notes.add(Fmt.count(listing.more()) + " older not read");
        }
        if (!listing.skipped().isEmpty()) {
            notes.add(Fmt.count(listing.skipped().size()) + " skipped: s shows why");
        }
        String tail = ", newest first" + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")") + ":";
        String head = Fmt.plural(runs.size(), "run", "runs") + " in ";
        // The folder gives way first: the counts and what to press must stay readable.
        body.addComponent(new Label(Fmt.fit(head + Fmt.fitMiddle(where, Math.max(12, width - head.length() - tail.length()),
                glyphs) + tail, width, glyphs)));
        body.addComponent(new Label(full() ? header() : shortHeader()));
        int rows = Math.max(2, Math.min(Math.min(MAX_LIST_ROWS, size.getRows() - OTHER_ROWS), runs.size()));
        PickList<PastRun> list = new PickList<>(glyphs, rows, this::row);
        list.setPreferredSize(new TerminalSize(width, rows));
        body.addComponent(list);
        LinesView details = new LinesView(glyphs, DETAIL_ROWS, false);
        details.setPreferredSize(new TerminalSize(width, DETAIL_ROWS));
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
                    + (listing.skipped().isEmpty() ? "" : "  s skipped") + "  Esc closes", width, glyphs));
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
                    case 's' -> {
                        deliver.set(false);
                        if (!listing.skipped().isEmpty()) {
                            actions.skipped().run();
                        }
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

    /** Whether the lines have their full 80-column form. */
    private boolean full() {
        return width >= FULL_ROW;
    }

    /** The column heading above the list. */
    static String header() {
        return String.format(Locale.ROOT, "  %-16s  %-9s  %-16s %9s %10s %7s", "Started", "Status", "Query", "IDs", "Rows", "Took");
    }

    /** The heading on a narrow terminal (53 columns): no IDs column; the summary says where they are. */
    static String shortHeader() {
        return String.format(Locale.ROOT, "  %-11s %-9s %-12s %9s %6s", "Started", "Status", "Query", "Rows", "Took");
    }

    /** One run's line: {@code 2026-12-03 08:01  completed  firm_details  5,000  4,870  0:12}. */
    String row(PastRun r) {
        if (!full()) {
            String started = r.started() == null ? "?" : STARTED_SHORT.format(r.started().atZone(zone));
            return Fmt.fit(String.format(Locale.ROOT, "%-11s %-9s %-12s %9s %6s", started, Fmt.fit(r.status(), 9, glyphs),
                    Fmt.fit(r.queryName(), 12, glyphs), Fmt.count(r.rows()), Fmt.clock(Duration.ofMillis(r.durationMs()))),
                    width - 2, glyphs);
        }
        String started = r.started() == null ? "?" : STARTED.format(r.started().atZone(zone));
        return String.format(Locale.ROOT, "%-16s  %-9s  %-16s %9s %10s %7s", started, Fmt.fit(r.status(), 9, glyphs),
                Fmt.fit(r.queryName(), 16, glyphs), Fmt.count(r.validIds()), Fmt.count(r.rows()),
                Fmt.clock(Duration.ofMillis(r.durationMs())));
    }

    /** The lines below the list: everything about the chosen run, the folder it is in among them. */
    List<String> details(PastRun r) {
        List<String> l = new ArrayList<>();
        int values = width - 9;
        l.add("Run      " + Fmt.fit(r.runId() + ": " + r.status() + (r.failedChunks() > 0 ? ", " + Fmt.plural(r.failedChunks(),
                "failed chunk", "failed chunks") : "") + (r.notRunChunks() > 0 ? ", " + Fmt.count(r.notRunChunks()) + " not run" : "")
                + (!r.unfinished() ? "" : r.resumable().isPresent() ? "; u resumes" : "; no working folder: a runs it again"),
                values, glyphs));
        l.add("Query    " + Fmt.fitMiddle(r.queryName() + (r.parameters().isEmpty() ? "" : " with " + describe(r)), values, glyphs));
        l.add("Input    " + Fmt.fitMiddle(("-".equals(r.input()) ? "pasted IDs" : r.input())
                + (r.sheet() == null ? "" : ", sheet '" + r.sheet() + "'"), values, glyphs));
        l.add("Counts   " + Fmt.fit(Fmt.count(r.validIds()) + " IDs, " + Fmt.count(r.rows()) + " rows, "
                + Fmt.count(r.missingIds()) + " missing IDs, " + Fmt.count(r.failedIds()) + " failed IDs", values, glyphs));
        Path folder = r.report().toAbsolutePath().normalize().getParent();
        l.add("Folder   " + Fmt.fitMiddle(String.valueOf(folder), values, glyphs));
        l.add("Report   " + Fmt.fitMiddle(r.report().getFileName().toString(), values, glyphs));
        l.add("Rows     " + r.file("results-csv").map(p -> Fmt.fitMiddle(p.getFileName().toString(), values, glyphs))
                .orElse(Fmt.fit("no plain CSV in this folder to browse", values, glyphs)));
        return l;
    }

    private static String describe(PastRun r) {
        List<String> parts = new ArrayList<>();
        new java.util.TreeMap<>(r.parameters()).forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(", ", parts);
    }
}
