package dev.firmquery.tui.progress;

import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import dev.firmquery.tui.core.Dialogs;
import dev.firmquery.tui.widget.Fmt;
import dev.firmquery.tui.widget.Glyphs;
import dev.firmquery.tui.widget.LinesView;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The summary after the last of several marked queries: one entry per job (query, status, rows, missing
 * IDs, time, its result file; for a job that did not complete its error and the command that finishes
 * it), as {@code firmquery run --query A --query B} prints one line per job. A scrolling modal window
 * that fits 80x24 (and 60x20) whatever the number of jobs.
 */
final class JobsSummaryDialog {
    /** Rows of the list at most: the window's border, title, header and key line take the other 7 of 24. */
    static final int ROWS = 16;
    /** Where a job's second lines (file, error, resume) start, under its query. */
    private static final int INDENT = 4;
    private static final int QUERY_WIDTH = 20;

    private JobsSummaryDialog() {
    }

    /** The window's title: {@code 3 marked queries: 2 completed, 1 failed}. */
    static String title(List<JobEnd> jobs) {
        Map<String, Integer> byStatus = new LinkedHashMap<>();
        jobs.forEach(j -> byStatus.merge(j.status(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        byStatus.forEach((status, n) -> parts.add(n + " " + status));
        return jobs.size() + " marked queries: " + String.join(", ", parts);
    }

    /** The header line, its columns as {@link #lines} fills them. */
    static String header() {
        return String.format(Locale.ROOT, " # %-" + QUERY_WIDTH + "s %-10s %9s %8s %6s", "query", "status", "rows",
                "missing", "time");
    }

    /**
     * The entries, each a line of figures and, under it, its file, error and resume command; then
     * {@code batchLine} (the command that goes on with the whole batch, or why there is none), if not null.
     */
    static List<String> lines(List<JobEnd> jobs, String batchLine) {
        List<String> l = new ArrayList<>();
        String pad = " ".repeat(INDENT);
        for (int i = 0; i < jobs.size(); i++) {
            JobEnd j = jobs.get(i);
            String query = Fmt.printable(j.query());
            if (query.length() > QUERY_WIDTH) {
                // A .sql path: its end is the part that tells jobs apart.
                query = "..." + query.substring(query.length() - QUERY_WIDTH + 3);
            }
            l.add(String.format(Locale.ROOT, "%2d %-" + QUERY_WIDTH + "s %-10s %9s %8s %6s", i + 1, query, j.status(),
                    j.rows() < 0 ? "-" : Fmt.count(j.rows()), j.missing() < 0 ? "-" : Fmt.count(j.missing()),
                    j.took() == null ? "-" : Fmt.clock(j.took())));
            if (j.file() != null) {
                l.add(pad + Fmt.printable(j.file()));
            }
            if (j.error() != null) {
                l.add(pad + "error: " + Fmt.printable(j.error()));
            }
            if (j.resume() != null) {
                l.add(pad + "resume: " + Fmt.printable(j.resume()));
            }
        }
        if (batchLine != null) {
            l.add(Fmt.printable(batchLine));
        }
        return l;
    }

    /**
     * Opens the summary; Esc, Enter or q close it and then run {@code onClose}.
     *
     * @param batchLine the line after the jobs ({@link MarkedJobs#batchLine}), or null
     */
    static Window open(WindowBasedTextGUI gui, Glyphs glyphs, List<JobEnd> jobs, String batchLine, Runnable onClose) {
        BasicWindow w = new BasicWindow(title(jobs));
        w.setHints(List.of(Window.Hint.MODAL, Window.Hint.CENTERED));
        Panel body = new Panel(new LinearLayout(Direction.VERTICAL));
        body.addComponent(new Label(header()));
        List<String> lines = lines(jobs, batchLine);
        LinesView list = new LinesView(glyphs, ROWS, false).wrap(INDENT + 2);
        list.setLines(lines);
        // Long errors wrap, so leave room for them; the list scrolls past ROWS.
        list.setPreferredSize(Dialogs.fit(gui, Dialogs.TEXT_WIDTH, Math.min(ROWS, lines.size() + jobs.size()), 4, 8));
        body.addComponent(list, LinearLayout.createLayoutData(LinearLayout.Alignment.Fill, LinearLayout.GrowPolicy.CanGrow));
        body.addComponent(new Label("Arrows/PgUp/PgDn scroll   Esc, Enter or q closes"));
        w.setComponent(body);
        Dialogs.closeOnKeys(w, key -> switch (key.getKeyType()) {
            case Escape, Enter -> true;
            case Character -> key.getCharacter() != null && key.getCharacter() == 'q' && !key.isAltDown()
                    && !key.isCtrlDown();
            default -> false;
        }, onClose);
        gui.addWindow(w);
        w.setFocusedInteractable(list);
        return w;
    }
}
