package dev.firmquery.tui.widget;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.ComponentRenderer;
import com.googlecode.lanterna.gui2.ProgressBar;
import com.googlecode.lanterna.gui2.TextGUIGraphics;

/**
 * Draws a Lanterna {@link ProgressBar} with characters instead of colours:
 * {@code [██████████░░░░░░░░░░]  62%} (or {@code #} and {@code .} in ASCII), so it reads on a VT100.
 */
public final class GlyphProgressRenderer implements ComponentRenderer<ProgressBar> {
    private final Glyphs glyphs;

    public GlyphProgressRenderer(Glyphs glyphs) {
        this.glyphs = glyphs;
    }

    @Override
    public TerminalSize getPreferredSize(ProgressBar bar) {
        return new TerminalSize(Math.max(20, bar.getPreferredWidth()), 1);
    }

    @Override
    public void drawComponent(TextGUIGraphics g, ProgressBar bar) {
        int width = g.getSize().getColumns();
        g.applyThemeStyle(bar.getThemeDefinition().getNormal());
        g.fill(' ');
        int range = Math.max(1, bar.getMax() - bar.getMin());
        int value = Math.max(bar.getMin(), Math.min(bar.getMax(), bar.getValue())) - bar.getMin();
        String label = " " + (value >= range ? "100" : String.format(java.util.Locale.ROOT, "%3d",
                Math.min(99, (int) ((long) value * 100 / range)))) + "%";
        int inner = Math.max(0, width - 2 - label.length());
        int done = (int) ((long) inner * value / range);
        StringBuilder b = new StringBuilder(width);
        b.append('[');
        b.append(String.valueOf(glyphs.barDone()).repeat(done));
        b.append(String.valueOf(glyphs.barLeft()).repeat(inner - done));
        b.append(']').append(label);
        g.putString(0, 0, b.toString());
    }
}
