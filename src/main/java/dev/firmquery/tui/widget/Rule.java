package dev.firmquery.tui.widget;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TerminalTextUtils;
import com.googlecode.lanterna.gui2.AbstractComponent;
import com.googlecode.lanterna.gui2.ComponentRenderer;
import com.googlecode.lanterna.gui2.TextGUIGraphics;

/** A section heading across the full width: {@code ── Preview ───────────}. */
public final class Rule extends AbstractComponent<Rule> {
    private final Glyphs glyphs;
    private String title;

    public Rule(Glyphs glyphs, String title) {
        this.glyphs = glyphs;
        this.title = title;
    }

    public synchronized Rule setTitle(String newTitle) {
        if (!newTitle.equals(title)) {
            title = newTitle;
            invalidate();
        }
        return this;
    }

    public synchronized String title() {
        return title;
    }

    @Override
    protected ComponentRenderer<Rule> createDefaultRenderer() {
        return new ComponentRenderer<>() {
            @Override
            public TerminalSize getPreferredSize(Rule rule) {
                return new TerminalSize(rule.title().length() + 6, 1);
            }

            @Override
            public void drawComponent(TextGUIGraphics g, Rule rule) {
                int width = g.getSize().getColumns();
                g.applyThemeStyle(rule.getThemeDefinition().getNormal());
                g.putString(0, 0, rule.glyphs.rule(width));
                String t = " " + Fmt.printable(rule.title()) + " ";
                t = TerminalTextUtils.fitString(t, Math.max(0, width - 2));
                g.enableModifiers(SGR.BOLD);
                g.putString(2, 0, t);
                g.disableModifiers(SGR.BOLD);
            }
        };
    }
}
