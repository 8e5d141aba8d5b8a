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
 * the frozen ID column; {@code g} and a row number jump to it; {@code f} finds an ID, {@code /} searches
 * the first scrolled column, {@code s} shows its statistics ({@link ColumnStats}); Esc closes (and stops
 * the indexing).
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
        Label keys = new Label("Arrows PgUp PgDn Home End  Left Right  g row  f ID  / search  s stats  Esc");
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
        StringBuilder typed = new StringBuilder();
        Runnable showStatus = () -> {
            long total = view.total();
            String where = total == 0 ? "no rows yet" : "rows " + Fmt.count(view.top() + 1) + "-"
                    + Fmt.count(Math.min(total, view.top() + view.visibleRows())) + " of " + Fmt.count(total);
            CsvIndex index = holder.index;
            String state = index != null && index.complete() ? "" : " (indexing" + ui.glyphs().ellipsis() + ")";
            status.setText(switch (holder.prompt) {
                case GOTO -> "Go to row: " + typed + "_  (Enter goes, Esc cancels)";
                case FIND -> "Find ID: " + typed + "_  (Enter finds from here down, Esc cancels)";
                case SEARCH -> "Search " + columnName(view, view.firstColumn()) + " for: " + typed + "_  (Enter)";
                case NONE -> holder.note != null ? holder.note : where + state + "   columns from "
                        + (view.firstColumn() + 1);
            });
            holder.note = null;
        };
        Panel body = new Panel(new BorderLayout());
        body.addComponent(status, BorderLayout.Location.TOP);
        body.addComponent(view, BorderLayout.Location.CENTER);
        body.addComponent(keys, BorderLayout.Location.BOTTOM);
        w.setComponent(body);
        w.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window window, KeyStroke key, AtomicBoolean deliver) {
                boolean plain = key.getKeyType() == KeyType.Character && key.getCharacter() != null
                        && !key.isCtrlDown() && !key.isAltDown();
                if (holder.prompt != Prompt.NONE) {
                    deliver.set(false);
                    if (plain && typed.length() < 200 && (holder.prompt != Prompt.GOTO
                            || Character.isDigit(key.getCharacter()))) {
                        typed.append(key.getCharacter());
                    } else if (key.getKeyType() == KeyType.Backspace && typed.length() > 0) {
                        typed.setLength(typed.length() - 1);
                    } else if (key.getKeyType() == KeyType.Enter) {
                        Prompt done = holder.prompt;
                        holder.prompt = Prompt.NONE;
                        if (typed.length() > 0) {
                            answer(done, typed.toString(), holder, closed, showStatus);
                        }
                        typed.setLength(0);
                    } else if (key.getKeyType() == KeyType.Escape) {
                        typed.setLength(0);
                        holder.prompt = Prompt.NONE;
                    }
                } else if (key.getKeyType() == KeyType.Escape) {
                    deliver.set(false);
                    closed.set(true);
                    w.close();
                    return;
                } else if (plain && key.getCharacter() == 's') {
                    deliver.set(false);
                    statistics(holder, closed, showStatus);
                } else if (plain && (key.getCharacter() == 'g' || key.getCharacter() == 'f'
                        || key.getCharacter() == '/')) {
                    deliver.set(false);
                    holder.prompt = key.getCharacter() == 'g' ? Prompt.GOTO
                            : key.getCharacter() == 'f' ? Prompt.FIND : Prompt.SEARCH;
                } else if (plain) {
                    deliver.set(false); // a letter is a browser key or nothing, never typed anywhere
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

    /** What the status line is asking for. */
    private enum Prompt { NONE, GOTO, FIND, SEARCH }

    private static String columnName(RowsView view, int column) {
        List<String> h = view.header();
        return column < h.size() ? h.get(column) : "column " + (column + 1);
    }

    /**
     * Enter in a prompt: jumps to the row, or looks for the ID (first column, exact) or the text (the
     * first scrolled column, case-insensitive) from the row below the top one on a background thread
     * ({@code firmquery-browse-find-N}) and jumps to the first match.
     */
    private void answer(Prompt p, String text, Holder holder, AtomicBoolean closed, Runnable showStatus) {
        RowsView view = holder.view;
        CsvIndex index = holder.index;
        if (p == Prompt.GOTO) {
            view.jumpTo(Long.parseLong(text) - 1);
            return;
        }
        if (index == null) {
            return;
        }
        int column = p == Prompt.FIND ? 0 : view.firstColumn();
        String needle = text.toLowerCase(java.util.Locale.ROOT);
        java.util.function.Predicate<String> match = p == Prompt.FIND ? text::equals
                : v -> v.toLowerCase(java.util.Locale.ROOT).contains(needle);
        long from = view.top() + (p == Prompt.FIND ? 0 : 1);
        String what = (p == Prompt.FIND ? "ID " : columnName(view, column) + " containing ") + "'" + text + "'";
        holder.note = "Looking for " + what + ui.glyphs().ellipsis();
        ui.background().run("browse-find", () -> {
            try {
                long row = index.find(column, match, from, closed::get);
                gui.execute(() -> {
                    if (row >= 0) {
                        view.jumpTo(row);
                        holder.note = "Found " + what + " at row " + Fmt.count(row + 1);
                    } else {
                        holder.note = "No " + what + " from row " + Fmt.count(from + 1) + " down"
                                + (index.complete() ? "" : " in the rows indexed so far") + "; Home, then search again";
                    }
                    showStatus.run();
                });
            } catch (CancellationException e) {
                // The browser closed.
            } catch (IOException e) {
                gui.execute(() -> {
                    holder.note = "Cannot search: " + e.getMessage();
                    showStatus.run();
                });
            }
        });
    }

    /**
     * {@code s}: the statistics of the first scrolled column over every indexed row, computed in one
     * pass on {@code firmquery-browse-stats-N} and shown in a dialog.
     */
    private void statistics(Holder holder, AtomicBoolean closed, Runnable showStatus) {
        CsvIndex index = holder.index;
        if (index == null) {
            return;
        }
        int column = holder.view.firstColumn();
        ColumnStats stats = new ColumnStats(columnName(holder.view, column));
        holder.note = "Counting " + columnName(holder.view, column) + ui.glyphs().ellipsis();
        ui.background().run("browse-stats", () -> {
            try {
                index.find(column, v -> {
                    stats.add(v);
                    return false;
                }, 0, closed::get);
                List<String> lines = stats.lines();
                gui.execute(() -> ui.dialogs().message("Column statistics", String.join("\n", lines), () -> { }));
            } catch (CancellationException e) {
                // The browser closed.
            } catch (IOException e) {
                gui.execute(() -> {
                    holder.note = "Cannot count: " + e.getMessage();
                    showStatus.run();
                });
            }
        });
    }

    /** What the browser's parts share on the GUI thread. */
    private static final class Holder {
        volatile CsvIndex index;
        RowsView view;
        Prompt prompt = Prompt.NONE;
        String note;
    }
}
