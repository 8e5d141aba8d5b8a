package dev.firmquery.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import dev.firmquery.tui.core.Action;
import dev.firmquery.tui.core.Dialogs;
import dev.firmquery.tui.widget.Fmt;
import dev.firmquery.tui.widget.Glyphs;
import dev.firmquery.tui.widget.LinesView;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The help window: every key binding, generated from {@link Action}, and where the logs are. */
final class HelpDialog {
    private final WindowBasedTextGUI gui;
    private final Glyphs glyphs;

    HelpDialog(WindowBasedTextGUI gui, Glyphs glyphs) {
        this.gui = gui;
        this.glyphs = glyphs;
    }

    /** The help text; also the source of the key table in docs/tui.md. */
    static List<String> lines(Path logDirectory) {
        List<String> l = new ArrayList<>();
        l.add("F-keys can get lost through SSH, tmux or screen, and a VT100 has only");
        l.add("F1-F4: every action also has a Ctrl (^) or an Alt (M-) key.");
        l.add("^X is Ctrl-X, M-x is Alt-X.");
        l.add("");
        for (Action a : Action.values()) {
            l.add("  " + Fmt.pad(a.allKeys(), 22) + " " + a.description());
        }
        l.add("");
        l.add("Moving around");
        l.add("  Tab, Shift-Tab         next, previous field or button");
        l.add("  Arrow keys             move in lists; scroll previews, lists and tables");
        l.add("  PgUp, PgDn, Home, End  scroll a page, to the start, to the end");
        l.add("  Enter, Space           press the focused button, tick a box, choose an entry");
        l.add("  Left, Right            in the result table: scroll the columns");
        l.add("  Tab in a path field    completes the path (a second Tab moves on)");
        l.add("");
        l.add("Query list: Space marks a query [x]; with two or more marked, F5 runs each over the input.");
        l.add("File browser: type to filter, Backspace up a folder, ~ home, Enter choose, Esc back.");
        l.add("Paste window: Ctrl-D takes the text, Esc cancels (asks first when it holds IDs).");
        l.add("Results window: 1 2 3 lists, 4 every row (Left/Right columns, g go to row, Esc back).");
        l.add("Questions: the letter in brackets answers, Esc says no; a second Ctrl-C confirms a cancel.");
        l.add("");
        l.add("Nothing is logged to the screen. The application log and the audit trail are:");
        l.add("  " + logDirectory.resolve("firmquery.log"));
        l.add("  " + logDirectory.resolve("audit.log"));
        return l;
    }

    /** Opens the help unless a dialog is open (F1 over a dialog does nothing). */
    void openOver(Dialogs dialogs, Path logDirectory) {
        if (!dialogs.anyOpen()) {
            open(logDirectory, () -> { });
        }
    }

    /** Opens the help; Esc, Enter, F1, ? or q close it. */
    Window open(Path logDirectory, Runnable onClose) {
        BasicWindow w = new BasicWindow("Help: keys");
        w.setHints(List.of(Window.Hint.MODAL, Window.Hint.CENTERED));
        Panel body = new Panel(new LinearLayout(Direction.VERTICAL));
        LinesView text = new LinesView(glyphs, 18, false).wrap(25);
        text.setLines(lines(logDirectory));
        text.setPreferredSize(Dialogs.fit(gui, 76, 18, 4, 5));
        body.addComponent(text, LinearLayout.createLayoutData(LinearLayout.Alignment.Fill, LinearLayout.GrowPolicy.CanGrow));
        body.addComponent(new Label("Arrows/PgUp/PgDn scroll   Esc, Enter or q closes"));
        w.setComponent(body);
        Dialogs.closeOnKeys(w, key -> switch (key.getKeyType()) {
            case Escape, Enter, F1 -> true;
            case Character -> key.getCharacter() != null && (key.getCharacter() == 'q'
                    || key.getCharacter() == '?' || (key.isAltDown() && key.getCharacter() == 'h'));
            default -> false;
        }, onClose);
        gui.addWindow(w);
        w.setFocusedInteractable(text);
        return w;
    }
}
