package dev.firmquery.tui.widget;

import com.googlecode.lanterna.graphics.PropertyTheme;
import com.googlecode.lanterna.graphics.Theme;

import java.util.Properties;

/**
 * The Lanterna theme: no colours at all (the terminal's own foreground and background), focus and
 * selection in reverse video, editable fields underlined, headings bold. It therefore reads the same
 * on a VT100, on a 256-colour xterm and on a light or dark background. Line characters follow
 * {@link Glyphs}.
 */
public final class UiTheme {
    private static final String GUI2 = "com.googlecode.lanterna.gui2.";

    private UiTheme() {
    }

    /** The theme for {@code glyphs}. */
    public static Theme create(Glyphs glyphs) {
        Properties p = new Properties();
        for (String state : new String[] {"", "[SELECTED]", "[PRELIGHT]", "[ACTIVE]", "[INSENSITIVE]"}) {
            p.setProperty("foreground" + state, "default");
            p.setProperty("background" + state, "default");
        }
        p.setProperty("sgr", "");
        p.setProperty("sgr[SELECTED]", "reverse");
        p.setProperty("sgr[PRELIGHT]", "bold");
        p.setProperty("sgr[ACTIVE]", "reverse,bold");
        p.setProperty("sgr[INSENSITIVE]", "");

        // Buttons: "< Run F5 >"; focused: all reversed.
        p.setProperty(GUI2 + "Button.sgr", "");
        p.setProperty(GUI2 + "Button.sgr[PRELIGHT]", "bold");
        p.setProperty(GUI2 + "Button.char[LEFT_BORDER]", "<");
        p.setProperty(GUI2 + "Button.char[RIGHT_BORDER]", ">");
        // Editable text is underlined so that an empty field is visible without colours.
        p.setProperty(GUI2 + "TextBox.sgr", "underline");
        p.setProperty(GUI2 + "TextBox.sgr[ACTIVE]", "reverse");
        p.setProperty(GUI2 + "TextBox.sgr[SELECTED]", "reverse");
        p.setProperty(GUI2 + "TextBox.sgr[INSENSITIVE]", "");
        p.setProperty(GUI2 + "CheckBox.char[MARKER]", "x");
        p.setProperty(GUI2 + "CheckBox.sgr[PRELIGHT]", "");
        p.setProperty(GUI2 + "CheckBox.sgr[SELECTED]", "reverse");
        p.setProperty(GUI2 + "CheckBox.sgr[ACTIVE]", "reverse");
        p.setProperty(GUI2 + "AbstractListBox.sgr[SELECTED]", "reverse");
        p.setProperty(GUI2 + "table.Table.sgr[HEADER]", "underline,bold");
        p.setProperty(GUI2 + "table.Table.sgr[SELECTED]", "reverse");
        p.setProperty(GUI2 + "table.Table.sgr[ACTIVE]", "reverse,bold");
        p.setProperty(GUI2 + "Separator.sgr", "");
        p.setProperty(GUI2 + "AbstractBorder.sgr[ACTIVE]", "");
        p.setProperty(GUI2 + "DefaultWindowDecorationRenderer.sgr[ACTIVE]", "bold");
        p.setProperty(GUI2 + "DefaultWindowDecorationRenderer.property[TITLE_PADDING]", "true");
        p.setProperty(GUI2 + "DefaultWindowDecorationRenderer.property[CENTER_TITLE]", "false");

        String h = String.valueOf(glyphs.horizontal());
        String v = String.valueOf(glyphs.vertical());
        String corner = glyphs.unicode() ? null : "+";
        for (String owner : new String[] {"DefaultWindowDecorationRenderer", "Borders$SingleLine"}) {
            p.setProperty(GUI2 + owner + ".char[HORIZONTAL_LINE]", h);
            p.setProperty(GUI2 + owner + ".char[VERTICAL_LINE]", v);
            p.setProperty(GUI2 + owner + ".char[TOP_LEFT_CORNER]", corner != null ? corner : "┌");
            p.setProperty(GUI2 + owner + ".char[TOP_RIGHT_CORNER]", corner != null ? corner : "┐");
            p.setProperty(GUI2 + owner + ".char[BOTTOM_LEFT_CORNER]", corner != null ? corner : "└");
            p.setProperty(GUI2 + owner + ".char[BOTTOM_RIGHT_CORNER]", corner != null ? corner : "┘");
        }
        p.setProperty(GUI2 + "DefaultWindowDecorationRenderer.char[TITLE_SEPARATOR_LEFT]", h);
        p.setProperty(GUI2 + "DefaultWindowDecorationRenderer.char[TITLE_SEPARATOR_RIGHT]", h);
        p.setProperty(GUI2 + "Borders$SingleLine.char[TITLE_LEFT]", h);
        p.setProperty(GUI2 + "Borders$SingleLine.char[TITLE_RIGHT]", h);
        if (glyphs.unicode()) {
            scrollBar(p, "▲", "▼", "◄", "►", "░", "█");
        } else {
            scrollBar(p, "^", "v", "<", ">", ".", "#");
        }
        return new PropertyTheme(p, false);
    }

    private static void scrollBar(Properties p, String up, String down, String left, String right, String track,
                                  String thumb) {
        String s = GUI2 + "ScrollBar.char";
        p.setProperty(s + "[UP_ARROW]", up);
        p.setProperty(s + "[DOWN_ARROW]", down);
        p.setProperty(s + "[LEFT_ARROW]", left);
        p.setProperty(s + "[RIGHT_ARROW]", right);
        for (String d : new String[] {"VERTICAL", "HORIZONTAL"}) {
            p.setProperty(s + "[" + d + "_BACKGROUND]", track);
            p.setProperty(s + "[" + d + "_SMALL_TRACKER]", thumb);
            p.setProperty(s + "[" + d + "_TRACKER_BACKGROUND]", thumb);
        }
        p.setProperty(s + "[VERTICAL_TRACKER_TOP]", thumb);
        p.setProperty(s + "[VERTICAL_TRACKER_BOTTOM]", thumb);
        p.setProperty(s + "[HORIZONTAL_TRACKER_LEFT]", thumb);
        p.setProperty(s + "[HORIZONTAL_TRACKER_RIGHT]", thumb);
    }
}
