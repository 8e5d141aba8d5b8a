package dev.firmquery.tui.results;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.table.Table;
import com.googlecode.lanterna.gui2.table.TableModel;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.Timings;
import dev.firmquery.run.TimingsText;
import dev.firmquery.run.RunStatus;
import dev.firmquery.run.store.RunStore;
import dev.firmquery.tui.widget.Fmt;
import dev.firmquery.tui.widget.Glyphs;
import dev.firmquery.tui.widget.LinesView;
import dev.firmquery.tui.widget.Rule;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results window: the summary of the last run (status, counts, duration, files with full paths and
 * sizes), a browsable list of the missing IDs or the failed chunks, the first result rows as a table
 * that scrolls sideways, and the next actions.
 */
final class ResultsScreen {
    /** What the lower part shows. */
    enum Tab { MISSING, FAILED, ROWS }

    private final Glyphs glyphs;
    private final Panel root = new Panel(new LinearLayout(Direction.VERTICAL));
    private final Rule heading;
    private final LinesView summary;
    private final Button missingTab;
    private final Button failedTab;
    private final Button rowsTab;
    private final Rule lowerRule;
    private final Panel lower = new Panel(new LinearLayout(Direction.VERTICAL));
    private final LinesView list;
    private final Table<String> table = new Table<>("-");
    private final Label tableNote = new Label("");
    private final Button newRun;
    private final Button rerun;
    private ResultsData data;
    private RunReport report;
    private Tab tab = Tab.MISSING;

    ResultsScreen(Glyphs glyphs, Runnable onNewRun, Runnable onRerun, Runnable onQuit) {
        this.glyphs = glyphs;
        this.heading = new Rule(glyphs, "Results");
        this.summary = new LinesView(glyphs, 10, false);
        this.list = new LinesView(glyphs, 6, false).wrap(4);
        this.missingTab = new Button("1 Missing IDs", () -> select(Tab.MISSING));
        this.failedTab = new Button("2 Failed chunks", () -> select(Tab.FAILED));
        this.rowsTab = new Button("3 First rows", () -> select(Tab.ROWS));
        this.lowerRule = new Rule(glyphs, "");
        this.newRun = new Button("New run M-n/^N", onNewRun);
        this.rerun = new Button("Re-run failed F6", onRerun);
        table.setCellSelection(true);
        table.setVisibleRows(0);

        root.addComponent(heading, fill());
        root.addComponent(summary, fill());
        Panel tabs = new Panel(new LinearLayout(Direction.HORIZONTAL));
        tabs.addComponent(new Label("Browse (1-4):"));
        tabs.addComponent(missingTab);
        tabs.addComponent(failedTab);
        tabs.addComponent(rowsTab);
        root.addComponent(tabs);
        root.addComponent(lowerRule, fill());
        // Asks for little so that a long table never squeezes the summary; it grows into what is left.
        lower.setPreferredSize(new TerminalSize(40, 3));
        lower.setLayoutData(LinearLayout.createLayoutData(LinearLayout.Alignment.Fill, LinearLayout.GrowPolicy.CanGrow));
        root.addComponent(lower);
        Panel actions = new Panel(new LinearLayout(Direction.HORIZONTAL));
        actions.addComponent(newRun);
        actions.addComponent(rerun);
        actions.addComponent(new Button("Quit F10/q", onQuit));
        root.addComponent(actions);
        showNone();
    }

    Panel root() {
        return root;
    }

    Interactable defaultFocus() {
        return newRun;
    }

    Tab tab() {
        return tab;
    }

    /** Before any run finished. */
    void showNone() {
        report = null;
        data = null;
        heading.setTitle("Results");
        summary.setLines(List.of("No finished run yet. Load an input (F2), run it (F5), and its results show here."));
        rerun.setEnabled(false);
        missingTab.setLabel("1 Missing IDs");
        failedTab.setLabel("2 Failed chunks");
        select(Tab.MISSING);
    }

    /** A finished run; the lists arrive later with {@link #showData}. */
    void showReport(int runNumber, RunReport r) {
        this.report = r;
        this.data = null;
        heading.setTitle("Run " + runNumber + ": " + r.status().label().toUpperCase(Locale.ROOT) + " in "
                + Fmt.clock(Duration.ofMillis(r.durationMs())) + " (" + r.runId() + ")");
        summary.setLines(summaryLines(r));
        summary.scrollHome();
        missingTab.setLabel("1 Missing IDs (" + Fmt.count(r.counts().missingIds()) + ")");
        failedTab.setLabel("2 Failed chunks (" + Fmt.count(r.chunks().failed()) + ")");
        rerun.setEnabled(r.run().workDirectory() != null && (r.chunks().failed() > 0 || r.chunks().notRun() > 0));
        select(r.chunks().failed() > 0 || r.chunks().notRun() > 0 ? Tab.FAILED : Tab.MISSING);
    }

    /** The lists and rows read back from the files. */
    void showData(ResultsData d) {
        this.data = d;
        select(tab);
    }

    /** Shows one of the lower views. */
    void select(Tab t) {
        this.tab = t;
        lower.removeAllComponents();
        Runnable fill = switch (t) {
            case MISSING -> () -> showList("Missing IDs: valid IDs that returned no rows",
                    data == null ? placeholder() : data.missing());
            case FAILED -> () -> showList("Failed chunks and IDs", data == null ? placeholder() : data.failed());
            case ROWS -> this::showRows;
        };
        fill.run();
    }

    private void showList(String title, List<String> lines) {
        lowerRule.setTitle(title);
        list.setLines(lines);
        list.scrollHome();
        lower.addComponent(list, grow());
    }

    private void showRows() {
        if (data == null || data.header().isEmpty()) {
            showList("First rows of the result", data == null ? placeholder() : List.of(data.rowsNote()));
            return;
        }
        lowerRule.setTitle("First rows of the result");
        TableModel<String> model = new TableModel<>(data.header().toArray(new String[0]));
        for (List<String> row : data.rows()) {
            List<String> cells = new ArrayList<>(row);
            while (cells.size() < data.header().size()) {
                cells.add("");
            }
            model.addRow(cells.subList(0, data.header().size()));
        }
        table.setTableModel(model);
        tableNote.setText(data.rowsNote());
        lower.addComponent(tableNote);
        lower.addComponent(table, grow());
    }

    /** The interactable of the lower view, to focus after switching. */
    Interactable lowerFocus() {
        return tab == Tab.ROWS && data != null && !data.header().isEmpty() ? table : list;
    }

    private List<String> placeholder() {
        return List.of(report == null ? "No finished run yet." : "Reading the files" + glyphs.ellipsis());
    }

    /** The summary of {@code r}; also used by tests and docs. */
    static List<String> summaryLines(RunReport r) {
        List<String> l = new ArrayList<>();
        l.add("Input    " + ("-".equals(r.source().input()) ? "pasted IDs" : r.source().input()) + ", query " + r.query().name());
        if (r.status() == RunStatus.CANCELLED || r.run().stopReason() != null) {
            l.add("Stopped  " + (r.run().stopReason() != null ? r.run().stopReason()
                    : "cancelled by you; the finished chunks are written"));
        }
        if (r.run().workDirectory() != null && (r.chunks().failed() > 0 || r.chunks().notRun() > 0)) {
            l.add("Resume   F6 runs the rest; or later: " + (r.chunks().notRun() == 0
                    ? RunStore.retryFailedCommand(r.run().workDirectory()) : RunStore.resumeCommand(r.run().workDirectory())));
        }
        l.add("IDs      " + Fmt.count(r.source().ids().valid()) + " valid (" + Fmt.count(r.source().ids().duplicates()) + " duplicates, "
                + Fmt.count(r.source().ids().invalid()) + " invalid dropped)");
        l.add("Chunks   " + Fmt.count(r.chunks().total()) + ": " + Fmt.count(r.chunks().succeeded()) + " succeeded, "
                + Fmt.count(r.chunks().failed()) + " failed, " + Fmt.count(r.chunks().notRun()) + " not run; "
                + Fmt.plural(r.chunks().retries(), "retry", "retries"));
        l.add("Rows     " + Fmt.count(r.counts().rows()) + "   missing IDs " + Fmt.count(r.counts().missingIds()) + "   failed IDs "
                + Fmt.count(r.counts().failedIds()) + (r.counts().notRunIds() > 0 ? "   not run IDs " + Fmt.count(r.counts().notRunIds()) : ""));
        Path common = commonDirectory(r.outputs().files());
        String label = "Files    ";
        if (common != null && longestPath(r.outputs().files()) > 66) {
            l.add("Folder   " + common + "/");
            for (RunReport.OutputFileInfo f : r.outputs().files()) {
                l.add(label + f.path().getFileName() + " (" + Fmt.bytes(f.bytes()) + ")");
                label = "         ";
            }
        } else {
            for (RunReport.OutputFileInfo f : r.outputs().files()) {
                l.add(label + f.path() + " (" + Fmt.bytes(f.bytes()) + ")");
                label = "         ";
            }
        }
        // After the files, which the window must show whatever its height; the report has the rest.
        if (r.timings().chunksTimed() > 0) {
            Timings t = r.timings();
            l.add("Latency  " + TimingsText.latency(t) + "; " + TimingsText.rates(t));
            l.add("Time     " + TimingsText.split(t) + "; retried " + TimingsText.retries(t)
                    + (t.slowest().isEmpty() ? "" : "; slowest " + TimingsText.slow(t.slowest().get(0))));
        }
        return l;
    }

    private static Path commonDirectory(List<RunReport.OutputFileInfo> files) {
        Path dir = null;
        for (RunReport.OutputFileInfo f : files) {
            Path p = f.path().getParent();
            if (dir == null) {
                dir = p;
            } else if (!dir.equals(p)) {
                return null;
            }
        }
        return dir;
    }

    private static int longestPath(List<RunReport.OutputFileInfo> files) {
        int n = 0;
        for (RunReport.OutputFileInfo f : files) {
            n = Math.max(n, f.path().toString().length() + 12);
        }
        return n;
    }

    private static com.googlecode.lanterna.gui2.LayoutData fill() {
        return LinearLayout.createLayoutData(LinearLayout.Alignment.Fill);
    }

    private static com.googlecode.lanterna.gui2.LayoutData grow() {
        return LinearLayout.createLayoutData(LinearLayout.Alignment.Fill, LinearLayout.GrowPolicy.CanGrow);
    }
}
