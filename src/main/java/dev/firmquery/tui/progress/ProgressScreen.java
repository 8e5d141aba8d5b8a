package dev.firmquery.tui.progress;

import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.ProgressBar;
import com.googlecode.lanterna.gui2.table.Table;
import com.googlecode.lanterna.gui2.table.TableModel;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.tui.widget.Fmt;
import dev.firmquery.tui.widget.GlyphProgressRenderer;
import dev.firmquery.tui.widget.Glyphs;
import dev.firmquery.tui.widget.LinesView;
import dev.firmquery.tui.widget.Rule;

import java.util.List;
import java.util.Locale;

/**
 * The progress window: the overall bar, chunks/IDs/rows done, rate, elapsed and ETA, a live table of
 * the workers and the most recent chunk events. It only ever shows a {@link ProgressView}; the view is
 * replaced at most ~10 times a second.
 */
final class ProgressScreen {
    private static final String[] WORKER_COLUMNS = {"Worker", "Chunk", "IDs", "Attempt", "Elapsed", "State"};

    private final Panel root = new Panel(new LinearLayout(Direction.VERTICAL));
    private final Label title = new Label("");
    private final ProgressBar bar = new ProgressBar(0, 1000, 60);
    private final Label counts = new Label("");
    private final Label timing = new Label("");
    private final Label rate = new Label("");
    private final Label latency = new Label("");
    private final Label pool = new Label("Pool    -");
    private final Glyphs glyphs;
    private final Table<String> workers = new Table<>(WORKER_COLUMNS);
    private final LinesView events;
    private final Button cancel;
    /** Explains a finished run's slowest chunk ({@link ChunkPlanDialog}). */
    private final Button plan;
    private ProgressView shown;

    ProgressScreen(Glyphs glyphs, Runnable onCancel, Runnable onResults, Runnable onPlan) {
        this.glyphs = glyphs;
        this.events = new LinesView(glyphs, 8, true).wrap(9);
        this.cancel = new Button("Cancel run Esc/^C", onCancel);
        bar.setRenderer(new GlyphProgressRenderer(glyphs));
        workers.setEnabled(false);
        root.addComponent(title);
        root.addComponent(bar, LinearLayout.createLayoutData(LinearLayout.Alignment.Fill));
        root.addComponent(counts);
        root.addComponent(timing);
        root.addComponent(rate);
        root.addComponent(latency);
        root.addComponent(new Label(RunCharts.Picture.latencyLabels()));
        root.addComponent(pool);
        root.addComponent(new Rule(glyphs, "Workers"), LinearLayout.createLayoutData(LinearLayout.Alignment.Fill));
        root.addComponent(workers, LinearLayout.createLayoutData(LinearLayout.Alignment.Fill));
        root.addComponent(new Rule(glyphs, "Recent chunk events (newest last; arrows scroll)"),
                LinearLayout.createLayoutData(LinearLayout.Alignment.Fill));
        root.addComponent(events, LinearLayout.createLayoutData(LinearLayout.Alignment.Fill,
                LinearLayout.GrowPolicy.CanGrow));
        Panel buttons = new Panel(new LinearLayout(Direction.HORIZONTAL));
        buttons.addComponent(cancel);
        buttons.addComponent(new Button("Results F9", onResults));
        plan = new Button("Plan of slowest chunk", onPlan);
        plan.setEnabled(false);
        buttons.addComponent(plan);
        root.addComponent(buttons);
        showIdle();
    }

    Panel root() {
        return root;
    }

    Interactable defaultFocus() {
        return cancel.isEnabled() ? cancel : events;
    }

    /** Before the first run. */
    void showIdle() {
        title.setText("No run yet: load an input in the input window (F2), then press F5.");
        bar.setValue(0);
        counts.setText("");
        timing.setText("");
        rate.setText("");
        latency.setText("");
        cancel.setEnabled(false);
        plan.setEnabled(false);
        events.setLines(List.of());
    }

    /** Shows {@code v}; cheap when nothing changed. */
    void show(ProgressView v) {
        if (v.equals(shown)) {
            return;
        }
        shown = v;
        title.setText(Fmt.printable(v.title()));
        bar.setValue(v.idsTotal() == 0 ? 0 : (int) Math.min(1000, v.idsDone() * 1000 / v.idsTotal()));
        String extra = v.chunksRun() > v.chunksDone() ? Fmt.count(v.chunksRun()) + " run" : "";
        if (v.chunksFailed() > 0) {
            extra += (extra.isEmpty() ? "" : ", ") + Fmt.count(v.chunksFailed()) + " failed";
        }
        counts.setText(String.format(Locale.ROOT, "Chunks %s/%s%s   IDs %s of %s   Rows %s",
                Fmt.count(v.chunksDone()), Fmt.count(v.chunksTotal()), extra.isEmpty() ? "" : " (" + extra + ")",
                Fmt.count(v.idsDone()), Fmt.count(v.idsTotal()), Fmt.count(v.rowsWritten())));
        timing.setText(String.format(Locale.ROOT, "Rate %s rows/s   Elapsed %s   ETA %s   Retries %s   State %s",
                Fmt.compact(v.rowsPerSecond()), Fmt.clock(v.elapsed()), v.eta() == null ? "-" : Fmt.clock(v.eta()),
                Fmt.count(v.retries()), v.phase().label()));
        boolean active = v.phase() != LiveRun.Phase.FINISHED && v.phase() != LiveRun.Phase.FAILED;
        cancel.setEnabled(active && v.phase() != LiveRun.Phase.CANCELLING);
        plan.setEnabled(v.phase() == LiveRun.Phase.FINISHED);
        TableModel<String> model = workers.getTableModel();
        while (model.getRowCount() > v.workers().size()) {
            model.removeRow(model.getRowCount() - 1);
        }
        for (int i = 0; i < v.workers().size(); i++) {
            ProgressView.WorkerRow r = v.workers().get(i);
            String[] cells = {Integer.toString(r.worker()), r.chunk(), r.ids(), r.attempt(), r.elapsed(), r.state()};
            if (i >= model.getRowCount()) {
                model.addRow(cells);
            } else {
                for (int c = 0; c < cells.length; c++) {
                    if (!cells[c].equals(model.getCell(c, i))) {
                        model.setCell(c, i, cells[c]);
                    }
                }
            }
        }
        events.setLines(v.events());
        rate.setText(v.charts().rateLine(glyphs));
        latency.setText(v.charts().latencyBars(glyphs));
    }

    /** The pool's connections by state, as last read on the timer thread; null before the first read. */
    void showPool(ConnectionPool.PoolState p) {
        String text;
        if (p == null) {
            text = "Pool    -";
        } else if (p.total() < 0) {
            text = "Pool    unavailable (the log says why)";
        } else {
            text = String.format(Locale.ROOT, "Pool    %d open: %d busy, %d idle%s", p.total(), p.active(), p.idle(),
                    p.waiting() > 0 ? ", " + p.waiting() + " waiting for a connection" : "");
        }
        if (!text.equals(pool.getText())) {
            pool.setText(text);
        }
    }
}
