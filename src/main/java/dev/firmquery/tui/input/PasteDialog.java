package dev.firmquery.tui.input;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.TextBox;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.tui.core.Dialogs;
import dev.firmquery.tui.core.PastedText;
import dev.firmquery.tui.widget.Fmt;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A multi-line text area for pasting IDs (one per line, or separated by blanks, commas or
 * semicolons; a CSV with a header works too). Ctrl-D or the Use button takes them; Esc cancels, and
 * asks first when that would drop IDs typed or pasted into it.
 */
final class PasteDialog {
    private final WindowBasedTextGUI gui;
    private final Dialogs dialogs;

    PasteDialog(WindowBasedTextGUI gui, Dialogs dialogs) {
        this.gui = gui;
        this.dialogs = dialogs;
    }

    /**
     * The values in {@code text} as the loader splits them (blanks, commas, semicolons, line breaks),
     * counted in one pass over the whole text: the count the dialog shows for a paste.
     */
    static long countValues(String text) {
        long n = 0;
        boolean in = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean sep = c == ',' || c == ';' || Character.isWhitespace(c);
            if (!sep && !in) {
                n++;
            }
            in = !sep;
        }
        return n;
    }

    private static String pastedLine(String text) {
        return "Pasted: " + Fmt.plural(countValues(text), "value", "values")
                + "; Enter loads them (the preview checks each)";
    }

    /** Opens the dialog with {@code text}; {@code onUse} gets the text when the user takes it. */
    Window open(String text, Consumer<String> onUse, Runnable onCancel) {
        return open(text, false, onUse, onCancel);
    }

    /**
     * Opens the dialog with {@code text}.
     *
     * @param pasted whether {@code text} came as one bracketed paste: the dialog then says how many
     *               values it holds and focuses Use, so that Enter loads them
     */
    Window open(String text, boolean pasted, Consumer<String> onUse, Runnable onCancel) {
        BasicWindow w = new BasicWindow("Paste IDs");
        w.setHints(List.of(Window.Hint.MODAL, Window.Hint.CENTERED));
        Panel body = new Panel(new LinearLayout(Direction.VERTICAL));
        // 78 columns at 80x24; narrower terminals get the text wrapped and a smaller area (60x20 fits).
        int width = Dialogs.fit(gui, 78, 1, 2, 0).getColumns();
        for (String line : Dialogs.wrap("Paste or type IDs: one per line, or separated by blanks, commas or semicolons.",
                width)) {
            body.addComponent(new Label(line));
        }
        TextBox area = new TextBox(Dialogs.fit(gui, 72, 12, 6, 11), text, TextBox.Style.MULTI_LINE);
        body.addComponent(area, LinearLayout.createLayoutData(LinearLayout.Alignment.Fill, LinearLayout.GrowPolicy.CanGrow));
        Label count = new Label(pasted ? String.join("\n", Dialogs.wrap(pastedLine(text), width)) : "");
        if (pasted) {
            body.addComponent(count);
        }
        AtomicBoolean done = new AtomicBoolean();
        Runnable use = () -> {
            if (done.compareAndSet(false, true)) {
                w.close();
                onUse.accept(area.getText());
            }
        };
        Runnable cancel = () -> {
            if (done.compareAndSet(false, true)) {
                w.close();
                onCancel.run();
            }
        };
        // Esc with IDs that are not in the input yet asks first: typing 2,000 IDs and losing them to one
        // stray Esc is the trap this guards against (docs/tui.md, "No traps").
        Runnable escape = () -> {
            String now = area.getText();
            if (now.isBlank() || now.equals(text) && !pasted) {
                cancel.run();
            } else {
                dialogs.choose("Drop the IDs?", "The paste window holds "
                        + Fmt.plural(countValues(now), "value", "values") + " that are not the input yet.", List.of(
                        new Dialogs.Choice("Drop them (y)", 'y', cancel),
                        new Dialogs.Choice("Keep editing (n)", 'n', () -> w.setFocusedInteractable(area))),
                        () -> w.setFocusedInteractable(area), 1, false);
            }
        };
        Panel buttons = new Panel(new LinearLayout(Direction.HORIZONTAL));
        Button useButton = new Button("Use these IDs ^D", use);
        buttons.addComponent(useButton);
        buttons.addComponent(new Button("Clear", () -> area.setText("")));
        buttons.addComponent(new Button("Cancel Esc", escape));
        body.addComponent(buttons, LinearLayout.createLayoutData(LinearLayout.Alignment.End));
        for (String line : Dialogs.wrap("Tab moves to the buttons; the preview shows what was kept and why.", width)) {
            body.addComponent(new Label(line));
        }
        w.setComponent(body);
        w.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window window, KeyStroke key, AtomicBoolean deliver) {
                if (key instanceof PastedText p) {
                    // Another paste while the window is open: added after what it holds, as a whole.
                    deliver.set(false);
                    String now = area.getText();
                    String joined = now.isBlank() ? p.text() : now.stripTrailing() + "\n" + p.text();
                    area.setText(joined);
                    count.setText(String.join("\n", Dialogs.wrap(pastedLine(joined), width)));
                    if (!body.containsComponent(count)) {
                        body.addComponent(body.getChildrenList().indexOf(area) + 1, count);
                    }
                    w.setFocusedInteractable(useButton);
                } else if (key.getKeyType() == KeyType.Escape) {
                    deliver.set(false);
                    escape.run();
                } else if (key.getKeyType() == KeyType.Character && key.isCtrlDown() && key.getCharacter() != null
                        && Character.toLowerCase(key.getCharacter()) == 'd') {
                    deliver.set(false);
                    use.run();
                } else if (key.getKeyType() == KeyType.Character && (key.isCtrlDown() || key.isAltDown())) {
                    deliver.set(false);
                }
            }
        });
        gui.addWindow(w);
        area.setCaretPosition(area.getLineCount() - 1, area.getLine(area.getLineCount() - 1).length());
        w.setFocusedInteractable(pasted ? useButton : area);
        return w;
    }
}
