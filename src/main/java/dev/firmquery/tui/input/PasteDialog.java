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

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A multi-line text area for pasting IDs (one per line, or separated by blanks, commas or
 * semicolons; a CSV with a header works too). Ctrl-D or the Use button takes them, Esc cancels.
 */
final class PasteDialog {
    private final WindowBasedTextGUI gui;

    PasteDialog(WindowBasedTextGUI gui) {
        this.gui = gui;
    }

    /** Opens the dialog with {@code text}; {@code onUse} gets the text when the user takes it. */
    Window open(String text, Consumer<String> onUse, Runnable onCancel) {
        BasicWindow w = new BasicWindow("Paste IDs");
        w.setHints(List.of(Window.Hint.MODAL, Window.Hint.CENTERED));
        Panel body = new Panel(new LinearLayout(Direction.VERTICAL));
        body.addComponent(new Label("Paste or type IDs: one per line, or separated by blanks, commas or semicolons."));
        TextBox area = new TextBox(new TerminalSize(72, 12), text, TextBox.Style.MULTI_LINE);
        body.addComponent(area, LinearLayout.createLayoutData(LinearLayout.Alignment.Fill, LinearLayout.GrowPolicy.CanGrow));
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
        Panel buttons = new Panel(new LinearLayout(Direction.HORIZONTAL));
        buttons.addComponent(new Button("Use these IDs ^D", use));
        buttons.addComponent(new Button("Clear", () -> area.setText("")));
        buttons.addComponent(new Button("Cancel Esc", cancel));
        body.addComponent(buttons, LinearLayout.createLayoutData(LinearLayout.Alignment.End));
        body.addComponent(new Label("Tab moves to the buttons; the preview shows what was kept and why."));
        w.setComponent(body);
        w.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window window, KeyStroke key, AtomicBoolean deliver) {
                if (key.getKeyType() == KeyType.Escape) {
                    deliver.set(false);
                    cancel.run();
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
        w.setFocusedInteractable(area);
        area.setCaretPosition(area.getLineCount() - 1, area.getLine(area.getLineCount() - 1).length());
        return w;
    }
}
