package dev.firmquery.tui.results;

import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.BorderLayout;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.tui.core.GuiThread;
import dev.firmquery.tui.core.UiContext;
import dev.firmquery.tui.widget.Fmt;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The result browser (4 in the results window): every row of a completed run's CSV, paged through a
 * {@link CsvIndex} built on a background thread ({@code firmquery-browse-index-N}); the first rows show
 * as soon as the first MiB is indexed. Pages are read on {@code firmquery-browse-page-N}; the GUI thread
 * only draws what came back. Keys: arrows, PgUp/PgDn, Home/End; Left/Right scroll the columns beside
 * the frozen ID column; {@code g} and a row number jump to it; Esc closes (and stops the indexing).
 */
final class ResultBrowser {
    /** Rows read per page request: a few screens, so that scrolling line by line rarely waits. */
    static final int PAGE = 200;

    private final UiContext ui;
    private final GuiThread gui;

    ResultBrowser(UiContext ui) {
        this.ui = ui;
        this.gui = ui.onGui();
    }

    /** Opens the browser over {@code csv}; returns the window (closed with Esc). */
    Window open(Path csv) {
        gui.checkOn("ResultBrowser.open");
        BasicWindow w = new BasicWindow("All rows: " + csv.getFileName());
        w.setHints(List.of(Window.Hint.FULL_SCREEN, Window.Hint.MODAL));
        AtomicBoolean closed = new AtomicBoolean();
        AtomicLong latest = new AtomicLong(-1);
        Label status = new Label("Indexing " + csv + ui.glyphs().ellipsis());
        Label keys = new Label("Arrows PgUp PgDn Home End: rows  Left Right: columns  g: go to row  Esc: back");
        Holder holder = new Holder();
        RowsView view = new RowsView(ui.glyphs(), first -> {
            CsvIndex index = holder.index;
            if (index == null) {
                return;
            }
            latest.set(first);
            ui.background().run("browse-page", () -> {
                try {
                    List<List<String>> rows = index.page(first, PAGE);
                    gui.execute(() -> {
                        if (latest.get() == first) {
                            holder.view.setPage(first, rows);
                        }
                    });
                } catch (IOException e) {
                    gui.execute(() -> status.setText("Cannot read " + csv + ": " + e.getMessage()));
                }
            });
        });
        holder.view = view;
        StringBuilder jump = new StringBuilder();
        Runnable showStatus = () -> {
            long total = view.total();
            String where = total == 0 ? "no rows yet" : "rows " + Fmt.count(view.top() + 1) + "-"
                    + Fmt.count(Math.min(total, view.top() + view.visibleRows())) + " of " + Fmt.count(total);
            CsvIndex index = holder.index;
            String state = index != null && index.complete() ? "" : " (indexing" + ui.glyphs().ellipsis() + ")";
            status.setText(jump.length() > 0 || holder.jumping ? "Go to row: " + jump + "_  (Enter goes, Esc cancels)"
                    : where + state + "   columns from " + (view.firstColumn() + 1));
        };
        Panel body = new Panel(new BorderLayout());
        body.addComponent(status, BorderLayout.Location.TOP);
        body.addComponent(view, BorderLayout.Location.CENTER);
        body.addComponent(keys, BorderLayout.Location.BOTTOM);
        w.setComponent(body);
        w.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window window, KeyStroke key, AtomicBoolean deliver) {
                if (holder.jumping) {
                    deliver.set(false);
                    if (key.getKeyType() == KeyType.Character && key.getCharacter() != null
                            && Character.isDigit(key.getCharacter()) && jump.length() < 12) {
                        jump.append(key.getCharacter());
                    } else if (key.getKeyType() == KeyType.Backspace && jump.length() > 0) {
                        jump.setLength(jump.length() - 1);
                    } else if (key.getKeyType() == KeyType.Enter) {
                        if (jump.length() > 0) {
                            view.jumpTo(Long.parseLong(jump.toString()) - 1);
                        }
                        jump.setLength(0);
                        holder.jumping = false;
                    } else if (key.getKeyType() == KeyType.Escape) {
                        jump.setLength(0);
                        holder.jumping = false;
                    }
                } else if (key.getKeyType() == KeyType.Escape) {
                    deliver.set(false);
                    closed.set(true);
                    w.close();
                    return;
                } else if (key.getKeyType() == KeyType.Character && key.getCharacter() != null
                        && key.getCharacter() == 'g' && !key.isCtrlDown() && !key.isAltDown()) {
                    deliver.set(false);
                    holder.jumping = true;
                }
                gui.execute(showStatus);
            }
        });
        ui.gui().addWindow(w);
        w.setFocusedInteractable(view);
        ui.background().run("browse-index", () -> index(csv, holder, closed, showStatus, status));
        return w;
    }

    /** Background: the header at once, then the index, the first page as soon as it is indexed. */
    private void index(Path csv, Holder holder, AtomicBoolean closed, Runnable showStatus, Label status) {
        try {
            CsvIndex index = CsvIndex.of(csv);
            List<String> header = index.header();
            long[] shown = {0};
            gui.execute(() -> {
                holder.index = index;
                holder.view.setHeader(header);
            });
            index.scan(closed::get, () -> {
                long now = ui.nanoTime().getAsLong();
                // At most ~5 repaints a second while indexing; the first block and the end always.
                if (shown[0] == 0 || now - shown[0] > 200_000_000L || index.complete()) {
                    shown[0] = now == 0 ? 1 : now;
                    long rows = index.rows();
                    gui.execute(() -> {
                        holder.view.indexed(rows);
                        showStatus.run();
                    });
                }
            });
        } catch (CancellationException e) {
            // Esc closed the browser: nothing to show.
        } catch (IOException e) {
            gui.execute(() -> status.setText("Cannot browse " + csv + ": " + e.getMessage()));
        }
    }

    /** What the browser's parts share on the GUI thread. */
    private static final class Holder {
        volatile CsvIndex index;
        RowsView view;
        boolean jumping;
    }
}
