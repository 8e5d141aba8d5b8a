package dev.firmquery.tui.widget;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TerminalTextUtils;
import com.googlecode.lanterna.gui2.AbstractInteractableComponent;
import com.googlecode.lanterna.gui2.InteractableRenderer;
import com.googlecode.lanterna.gui2.TextGUIGraphics;
import com.googlecode.lanterna.input.KeyStroke;

import java.util.List;

/**
 * A read-only block of lines that scrolls with the arrow keys, PgUp/PgDn, Home/End (vertically) and
 * Left/Right (horizontally) when focused: previews, event logs, ID lists, the help text. In "follow"
 * mode it keeps the newest line in view until the user scrolls up, like {@code tail -f}.
 *
 * <p>Unlike a read-only {@code TextBox}, replacing the lines keeps the user's scroll position.
 */
public final class LinesView extends AbstractInteractableComponent<LinesView> {
    private final Glyphs glyphs;
    private final int preferredRows;
    private final boolean follow;
    private int wrapIndent = -1;
    private List<String> lines = List.of();
    private List<String> display = List.of();
    private int displayWidth = -1;
    private int top;
    private int left;
    private boolean atEnd = true;
    private int lastHeight = 1;

    /**
     * @param glyphs        for the scroll marks and cut lines
     * @param preferredRows rows asked of the layout (it may give more or fewer)
     * @param follow        keep the last line in view as lines are added
     */
    public LinesView(Glyphs glyphs, int preferredRows, boolean follow) {
        this.glyphs = glyphs;
        this.preferredRows = preferredRows;
        this.follow = follow;
    }

    /**
     * Wraps long lines at the width of the view instead of cutting them; continuation lines are
     * indented by {@code indent} columns.
     */
    public synchronized LinesView wrap(int indent) {
        this.wrapIndent = indent;
        this.displayWidth = -1;
        invalidate();
        return this;
    }

    /** Replaces the content; the scroll position is kept (or follows the end, in follow mode). */
    public synchronized LinesView setLines(List<String> newLines) {
        this.lines = List.copyOf(newLines);
        this.displayWidth = -1;
        this.display = wrapIndent < 0 ? lines : display;
        clamp();
        invalidate();
        return this;
    }

    /** Replaces the content with {@code text} split at line breaks. */
    public LinesView setText(String text) {
        return setLines(List.of(text.split("\n", -1)));
    }

    public synchronized List<String> lines() {
        return lines;
    }

    /** Scrolls back to the first line and column. */
    public synchronized LinesView scrollHome() {
        top = 0;
        left = 0;
        atEnd = false;
        invalidate();
        return this;
    }

    private void clamp() {
        int max = Math.max(0, display.size() - lastHeight);
        if (follow && atEnd) {
            top = max;
        }
        top = Math.max(0, Math.min(top, max));
        left = Math.max(0, left);
    }

    @Override
    protected synchronized Result handleKeyStroke(KeyStroke key) {
        if (key.isAltDown() || key.isCtrlDown()) {
            return super.handleKeyStroke(key);
        }
        int page = Math.max(1, lastHeight - 1);
        switch (key.getKeyType()) {
            case ArrowUp -> top--;
            case ArrowDown -> top++;
            case PageUp -> top -= page;
            case PageDown -> top += page;
            case Home -> {
                top = 0;
                left = 0;
            }
            case End -> top = display.size();
            case ArrowLeft -> left = Math.max(0, left - 8);
            case ArrowRight -> left += 8;
            default -> {
                return super.handleKeyStroke(key);
            }
        }
        int max = Math.max(0, display.size() - lastHeight);
        top = Math.max(0, Math.min(top, max));
        atEnd = top >= max;
        invalidate();
        return Result.HANDLED;
    }

    @Override
    protected InteractableRenderer<LinesView> createDefaultRenderer() {
        return new InteractableRenderer<>() {
            @Override
            public TerminalPosition getCursorLocation(LinesView view) {
                return null;
            }

            @Override
            public TerminalSize getPreferredSize(LinesView view) {
                int width = 10;
                for (String l : view.lines()) {
                    width = Math.max(width, Math.min(200, TerminalTextUtils.getColumnWidth(l) + 1));
                }
                return new TerminalSize(width, view.preferredRows);
            }

            @Override
            public void drawComponent(TextGUIGraphics g, LinesView view) {
                view.draw0(g);
            }
        };
    }

    private synchronized void draw0(TextGUIGraphics g) {
        TerminalSize size = g.getSize();
        int height = size.getRows();
        int width = size.getColumns();
        if (height <= 0 || width <= 0) {
            return;
        }
        lastHeight = height;
        if (wrapIndent >= 0 && displayWidth != width - 1) {
            displayWidth = width - 1;
            display = wrapped(lines, displayWidth, wrapIndent);
        } else if (wrapIndent < 0) {
            display = lines;
        }
        clamp();
        g.applyThemeStyle(getThemeDefinition().getNormal());
        g.fill(' ');
        boolean overflow = display.size() > height;
        int textWidth = overflow || isFocused() || wrapIndent >= 0 ? width - 1 : width;
        for (int row = 0; row < height && top + row < display.size(); row++) {
            String line = glyphs.text(Fmt.printable(display.get(top + row)));
            String shown = left >= line.length() ? "" : line.substring(left);
            if (TerminalTextUtils.getColumnWidth(shown) > textWidth) {
                shown = TerminalTextUtils.fitString(shown, Math.max(0, textWidth - 1)) + (glyphs.unicode() ? "…" : ">");
            }
            g.putString(0, row, shown);
        }
        if (overflow || isFocused()) {
            drawScrollMark(g, width - 1, height);
        }
    }

    /** {@code lines} broken at blanks (or after a slash in a long path) to fit {@code width}, continuation lines indented. */
    public static List<String> wrapped(List<String> lines, int width, int indent) {
        List<String> out = new java.util.ArrayList<>();
        int w = Math.max(10, width);
        for (String line : lines) {
            String rest = line;
            boolean first = true;
            while (true) {
                String prefix = first ? "" : " ".repeat(Math.min(indent, w / 2));
                int room = w - prefix.length();
                if (rest.length() <= room) {
                    out.add(prefix + rest);
                    break;
                }
                int cut = rest.lastIndexOf(' ', room);
                if (cut <= room / 3) {
                    // A long path has no blank: break after a slash so each line ends on a whole
                    // folder name, and only cut mid-word when there is no slash either.
                    int slash = rest.lastIndexOf('/', room - 1);
                    cut = slash > room / 3 ? slash + 1 : room;
                }
                out.add(prefix + rest.substring(0, cut).stripTrailing());
                rest = rest.substring(cut).stripLeading();
                first = false;
                if (rest.isEmpty()) {
                    break;
                }
            }
        }
        return out;
    }

    private void drawScrollMark(TextGUIGraphics g, int column, int height) {
        int total = Math.max(1, display.size());
        int thumbSize = Math.max(1, Math.min(height, height * height / total));
        int range = Math.max(1, total - height);
        int thumbTop = display.size() <= height ? 0 : (height - thumbSize) * top / range;
        for (int row = 0; row < height; row++) {
            boolean thumb = row >= thumbTop && row < thumbTop + thumbSize;
            if (thumb && isFocused()) {
                g.enableModifiers(SGR.REVERSE);
                g.setCharacter(column, row, ' ');
                g.disableModifiers(SGR.REVERSE);
            } else {
                g.setCharacter(column, row, thumb ? glyphs.vertical() : ' ');
            }
        }
    }
}
