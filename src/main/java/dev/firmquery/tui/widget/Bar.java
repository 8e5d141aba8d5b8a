package dev.firmquery.tui.widget;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TerminalTextUtils;
import com.googlecode.lanterna.gui2.AbstractComponent;
import com.googlecode.lanterna.gui2.ComponentRenderer;
import com.googlecode.lanterna.gui2.TextGUIGraphics;

import java.util.List;

/**
 * One full-width row of segments: the window tabs at the top, the key hints and the status bar at
 * the bottom. A segment can be emphasised (reversed, or plain on a reversed bar), and the whole bar can
 * be reversed. Segments that do not fit are dropped from the end, so the most important come first.
 */
public final class Bar extends AbstractComponent<Bar> {
    /** A piece of a bar; {@code emphasis} reverses it against the bar. */
    public record Segment(String text, boolean emphasis) {
        public static Segment plain(String text) {
            return new Segment(text, false);
        }
    }

    private final boolean reversed;
    private final String separator;
    private List<Segment> segments = List.of();

    /**
     * @param reversed  draw the whole bar in reverse video (the status bar)
     * @param separator put between segments
     */
    public Bar(boolean reversed, String separator) {
        this.reversed = reversed;
        this.separator = separator;
    }

    public synchronized Bar setSegments(List<Segment> newSegments) {
        if (!newSegments.equals(segments)) {
            this.segments = List.copyOf(newSegments);
            invalidate();
        }
        return this;
    }

    public synchronized List<Segment> segments() {
        return segments;
    }

    /** The text as drawn at {@code width} columns. */
    public synchronized String text(int width) {
        StringBuilder b = new StringBuilder();
        for (Segment s : fitting(width)) {
            if (b.length() > 0) {
                b.append(separator);
            }
            b.append(s.text());
        }
        return b.toString();
    }

    private List<Segment> fitting(int width) {
        int used = 1;
        int n = 0;
        for (Segment s : segments) {
            int w = TerminalTextUtils.getColumnWidth(s.text()) + (n == 0 ? 0 : separator.length());
            if (used + w > width && n > 0) {
                break;
            }
            used += w;
            n++;
        }
        return segments.subList(0, n);
    }

    @Override
    protected ComponentRenderer<Bar> createDefaultRenderer() {
        return new ComponentRenderer<>() {
            @Override
            public TerminalSize getPreferredSize(Bar bar) {
                return new TerminalSize(Math.max(1, bar.text(Integer.MAX_VALUE).length() + 1), 1);
            }

            @Override
            public void drawComponent(TextGUIGraphics g, Bar bar) {
                bar.draw0(g);
            }
        };
    }

    private synchronized void draw0(TextGUIGraphics g) {
        int width = g.getSize().getColumns();
        g.applyThemeStyle(getThemeDefinition().getNormal());
        if (reversed) {
            g.enableModifiers(SGR.REVERSE);
        }
        g.fill(' ');
        int col = 1;
        boolean first = true;
        for (Segment s : fitting(width)) {
            if (!first) {
                g.putString(col, 0, separator);
                col += separator.length();
            }
            first = false;
            String text = Fmt.printable(s.text());
            if (col + TerminalTextUtils.getColumnWidth(text) > width) {
                text = TerminalTextUtils.fitString(text, Math.max(0, width - col));
            }
            if (s.emphasis()) {
                if (reversed) {
                    g.disableModifiers(SGR.REVERSE);
                    g.enableModifiers(SGR.BOLD);
                } else {
                    g.enableModifiers(SGR.REVERSE, SGR.BOLD);
                }
            }
            g.putString(col, 0, text);
            if (s.emphasis()) {
                if (reversed) {
                    g.disableModifiers(SGR.BOLD);
                    g.enableModifiers(SGR.REVERSE);
                } else {
                    g.disableModifiers(SGR.REVERSE, SGR.BOLD);
                }
            }
            col += TerminalTextUtils.getColumnWidth(text);
        }
    }
}
