package dev.firmquery.tui.core;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TerminalTextUtils;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.EmptySpace;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.tui.widget.Fmt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Modal dialogs that do not block: each returns at once and calls back when a button is chosen, so
 * the run keeps updating the screen behind a confirmation and tests can drive them key by key. Every
 * button has a letter ({@code y}/{@code n}...) and Esc always means the harmless choice.
 *
 * <p>Every dialog of the UI is a modal window (these, the file browser, the paste, help and
 * unfinished-runs dialogs), so {@link #anyOpen()} asks Lanterna's own list of windows instead of a count
 * kept in step by hand.
 */
public final class Dialogs {
    /** Widest text in a dialog; fits an 80-column terminal with the border. */
    public static final int TEXT_WIDTH = 72;

    private final WindowBasedTextGUI gui;
    private final GuiThread thread;

    public Dialogs(WindowBasedTextGUI gui, GuiThread thread) {
        this.gui = gui;
        this.thread = thread;
    }

    /** Whether a dialog (any modal window) is open: the UI then does not pop another one up unasked. */
    public boolean anyOpen() {
        thread.checkOn("Dialogs.anyOpen");
        for (Window w : gui.getWindows()) {
            if (w.getHints().contains(Window.Hint.MODAL)) {
                return true;
            }
        }
        return false;
    }

    /**
     * One button of a dialog.
     *
     * @param label  button text, e.g. {@code Yes, cancel the run (y)}
     * @param key    the letter that presses it
     * @param action what it does (the dialog is closed first)
     */
    public record Choice(String label, char key, Runnable action) {
    }

    /** A message with an OK button (Enter, Esc or {@code o}). */
    public Window message(String title, String text, Runnable onClose) {
        return choose(title, text, List.of(new Choice("OK", 'o', onClose)), onClose, 0, false);
    }

    /**
     * A question.
     *
     * @param escChoice  the choice Esc makes (usually the harmless one)
     * @param focus      the button focused at first
     * @param ctrlCFirst whether Ctrl-C presses the first button (a second Ctrl-C confirms a cancel)
     */
    public Window choose(String title, String text, List<Choice> choices, Runnable escChoice, int focus,
                         boolean ctrlCFirst) {
        thread.checkOn("Dialogs.choose");
        BasicWindow w = new BasicWindow(title);
        w.setHints(List.of(Window.Hint.MODAL, Window.Hint.CENTERED));
        Panel body = new Panel(new LinearLayout(Direction.VERTICAL));
        for (String line : wrap(text, fit(gui, TEXT_WIDTH, 1, 4, 0).getColumns())) {
            body.addComponent(new Label(line));
        }
        body.addComponent(new EmptySpace(new TerminalSize(1, 1)));
        Panel buttons = new Panel(new LinearLayout(Direction.HORIZONTAL));
        AtomicBoolean done = new AtomicBoolean();
        List<Button> made = new ArrayList<>();
        for (Choice c : choices) {
            Button b = new Button(c.label(), () -> finish(w, done, c.action()));
            made.add(b);
            buttons.addComponent(b);
        }
        body.addComponent(buttons, LinearLayout.createLayoutData(LinearLayout.Alignment.End));
        w.setComponent(body);
        w.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window window, KeyStroke key, AtomicBoolean deliver) {
                if (key.getKeyType() == KeyType.Escape) {
                    deliver.set(false);
                    finish(w, done, escChoice);
                    return;
                }
                if (key.getKeyType() == KeyType.Character && key.getCharacter() != null) {
                    char ch = Character.toLowerCase(key.getCharacter());
                    if (key.isCtrlDown() && ch == 'c' && ctrlCFirst && !choices.isEmpty()) {
                        deliver.set(false);
                        finish(w, done, choices.get(0).action());
                        return;
                    }
                    if (!key.isCtrlDown() && !key.isAltDown()) {
                        for (Choice c : choices) {
                            if (Character.toLowerCase(c.key()) == ch) {
                                deliver.set(false);
                                finish(w, done, c.action());
                                return;
                            }
                        }
                    }
                }
            }
        });
        gui.addWindow(w);
        if (!made.isEmpty()) {
            w.setFocusedInteractable(made.get(Math.max(0, Math.min(focus, made.size() - 1))));
        }
        return w;
    }

    /**
     * Makes {@code w} close on the keys {@code closes} accepts, running {@code onClose} once: the
     * read-only windows (help, a jobs' summary) share this so that a key pressed twice in a burst
     * closes them once. A closing key is not delivered to the window's components.
     */
    public static void closeOnKeys(Window w, java.util.function.Predicate<KeyStroke> closes, Runnable onClose) {
        AtomicBoolean done = new AtomicBoolean();
        w.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window window, KeyStroke key, AtomicBoolean deliver) {
                if (closes.test(key)) {
                    deliver.set(false);
                    finish(w, done, onClose);
                }
            }
        });
    }

    /** Closes {@code w} and runs {@code action} once, whichever key or button came first. */
    private static void finish(Window w, AtomicBoolean done, Runnable action) {
        if (done.compareAndSet(false, true)) {
            w.close();
            action.run();
        }
    }

    /**
     * {@code cols} x {@code rows}, or less where the terminal is smaller: at most the screen's width
     * less {@code spareCols} (borders) and its height less {@code spareRows} (what the dialog shows
     * besides), never under 20 x 3. A dialog sized so stays whole at 60x20 (docs/tui.md, "Terminals").
     */
    public static TerminalSize fit(WindowBasedTextGUI gui, int cols, int rows, int spareCols, int spareRows) {
        TerminalSize screen = gui.getScreen() == null ? null : gui.getScreen().getTerminalSize();
        if (screen == null) {
            return new TerminalSize(cols, rows);
        }
        return new TerminalSize(Math.max(20, Math.min(cols, screen.getColumns() - spareCols)),
                Math.max(3, Math.min(rows, screen.getRows() - spareRows)));
    }

    /** {@code text} word-wrapped to {@code width}, keeping its own line breaks. */
    public static List<String> wrap(String text, int width) {
        List<String> out = new ArrayList<>();
        for (String paragraph : text.split("\n", -1)) {
            if (paragraph.isEmpty()) {
                out.add("");
            } else {
                out.addAll(TerminalTextUtils.getWordWrappedText(width, Fmt.printable(paragraph)));
            }
        }
        return out;
    }
}
