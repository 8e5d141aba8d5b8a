package dev.firmquery.tui.results;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TerminalTextUtils;
import com.googlecode.lanterna.gui2.AbstractInteractableComponent;
import com.googlecode.lanterna.gui2.InteractableRenderer;
import com.googlecode.lanterna.gui2.TextGUIGraphics;
import com.googlecode.lanterna.input.KeyStroke;
import dev.firmquery.tui.widget.Fmt;
import dev.firmquery.tui.widget.Glyphs;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * The rows of the result browser: a header, the first (ID) column frozen at the left, the other
 * columns scrolled sideways, one cached page of rows. It never reads the file: rows outside the page
 * are asked for with {@code wantPage} (the browser reads them off the GUI thread) and drawn as
 * {@code …} until they come. All methods on the GUI thread.
 */
final class RowsView extends AbstractInteractableComponent<RowsView> {
    /** Widest a column is drawn; longer values end in the ellipsis. */
    static final int MAX_WIDTH = 24;

    private final Glyphs glyphs;
    private final LongConsumer wantPage;
    private List<String> header = List.of();
    private long total;
    private long top;
    private int firstColumn = 1;
    private long pageFirst;
    private List<List<String>> page = List.of();
    private long asked = -1;
    private int lastHeight = 10;

    RowsView(Glyphs glyphs, LongConsumer wantPage) {
        this.glyphs = glyphs;
        this.wantPage = wantPage;
    }

    void setHeader(List<String> h) {
        header = List.copyOf(h);
        invalidate();
    }

    /** More rows are indexed: {@code rows} so far. */
    void indexed(long rows) {
        total = rows;
        ensurePage();
        invalidate();
    }

    /** Rows read from the file, from row {@code first}. */
    void setPage(long first, List<List<String>> rows) {
        pageFirst = first;
        page = rows;
        asked = -1;
        invalidate();
    }

    List<String> header() {
        return header;
    }

    long top() {
        return top;
    }

    long total() {
        return total;
    }

    int firstColumn() {
        return firstColumn;
    }

    /** The visible rows: {@code top} and the rows below it that fit. */
    int visibleRows() {
        return Math.max(1, lastHeight - 1);
    }

    /** Moves the first visible row to {@code row} (0-based), kept within the indexed rows. */
    void jumpTo(long row) {
        top = Math.max(0, Math.min(row, total - 1));
        ensurePage();
        invalidate();
    }

    private void ensurePage() {
        long end = Math.min(total, top + visibleRows());
        boolean inPage = top >= pageFirst && end <= pageFirst + page.size();
        if (!inPage && total > 0) {
            long first = Math.max(0, top - ResultBrowser.PAGE / 4);
            if (first != asked) {
                asked = first;
                wantPage.accept(first);
            }
        }
    }

    @Override
    protected Result handleKeyStroke(KeyStroke key) {
        if (key.isCtrlDown() || key.isAltDown()) {
            return super.handleKeyStroke(key);
        }
        int pageRows = visibleRows();
        long last = Math.max(0, total - pageRows);
        switch (key.getKeyType()) {
            case ArrowDown -> top = Math.min(last, top + 1);
            case ArrowUp -> top = Math.max(0, top - 1);
            case PageDown -> top = Math.min(last, top + pageRows);
            case PageUp -> top = Math.max(0, top - pageRows);
            case Home -> top = 0;
            case End -> top = last;
            case ArrowRight -> firstColumn = Math.min(Math.max(1, header.size() - 1), firstColumn + 1);
            case ArrowLeft -> firstColumn = Math.max(1, firstColumn - 1);
            default -> {
                return super.handleKeyStroke(key);
            }
        }
        ensurePage();
        invalidate();
        return Result.HANDLED;
    }

    private String cell(long row, int column) {
        if (row < pageFirst || row >= pageFirst + page.size()) {
            return column == 0 ? glyphs.ellipsis() : "";
        }
        List<String> r = page.get((int) (row - pageFirst));
        return column < r.size() ? Fmt.printable(r.get(column).replace('\n', ' ').replace('\r', ' ')) : "";
    }

    private int width(int column, int rows) {
        int w = column < header.size() ? header.get(column).length() : 1;
        for (int i = 0; i < rows; i++) {
            w = Math.max(w, TerminalTextUtils.getColumnWidth(cell(top + i, column)));
        }
        return Math.min(MAX_WIDTH, Math.max(1, w));
    }

    private String fit(String s, int w) {
        if (TerminalTextUtils.getColumnWidth(s) > w) {
            return TerminalTextUtils.fitString(s, Math.max(0, w - glyphs.ellipsis().length())) + glyphs.ellipsis();
        }
        return Fmt.pad(s, w);
    }

    private void drawRows(TextGUIGraphics g) {
        int height = g.getSize().getRows();
        int width = g.getSize().getColumns();
        if (height != lastHeight) {
            lastHeight = height;
            ensurePage();
        }
        g.applyThemeStyle(getThemeDefinition().getNormal());
        g.fill(' ');
        if (header.isEmpty()) {
            return;
        }
        int rows = Math.max(0, Math.min(height - 1, (int) Math.max(0, total - top)));
        String sep = String.valueOf(glyphs.vertical());
        int frozen = width(0, rows);
        StringBuilder head = new StringBuilder(fit(header.get(0), frozen)).append(sep);
        StringBuilder[] lines = new StringBuilder[rows];
        for (int i = 0; i < rows; i++) {
            lines[i] = new StringBuilder(fit(cell(top + i, 0), frozen)).append(sep);
        }
        for (int c = firstColumn; c < header.size() && head.length() < width; c++) {
            int w = width(c, rows);
            head.append(fit(header.get(c), w)).append(' ');
            for (int i = 0; i < rows; i++) {
                lines[i].append(fit(cell(top + i, c), w)).append(' ');
            }
        }
        g.enableModifiers(SGR.BOLD);
        g.putString(0, 0, TerminalTextUtils.fitString(head.toString(), width));
        g.disableModifiers(SGR.BOLD);
        for (int i = 0; i < rows; i++) {
            g.putString(0, i + 1, TerminalTextUtils.fitString(lines[i].toString(), width));
        }
    }

    @Override
    protected InteractableRenderer<RowsView> createDefaultRenderer() {
        return new InteractableRenderer<>() {
            @Override
            public TerminalPosition getCursorLocation(RowsView v) {
                return null;
            }

            @Override
            public TerminalSize getPreferredSize(RowsView v) {
                return new TerminalSize(40, 10);
            }

            @Override
            public void drawComponent(TextGUIGraphics g, RowsView v) {
                v.drawRows(g);
            }
        };
    }
}
