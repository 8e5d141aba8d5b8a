package dev.firmquery.tui.input;

import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.tui.core.Dialogs;
import dev.firmquery.tui.widget.Fmt;
import dev.firmquery.tui.widget.Glyphs;
import dev.firmquery.tui.widget.PickList;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The sheets of the loaded workbook to pick the one holding the IDs from, as {@code --sheet NAME} picks it
 * headless: the arrows (or typing a name's start) move, Enter loads the sheet under the cursor, Esc keeps
 * the sheet read. The names come from the load (read off the GUI thread), never from the disk here.
 */
final class SheetDialog {
    /** Rows of the list at most: the window's border, title, text and key line take 6 of 20. */
    private static final int ROWS = 12;

    private SheetDialog() {
    }

    /**
     * Opens the list with the cursor on {@code current}.
     *
     * @param onChoose gets the name chosen (also when it is {@code current}); not called on Esc
     */
    static Window open(WindowBasedTextGUI gui, Glyphs glyphs, String file, List<String> sheets, String current,
                       Consumer<String> onChoose) {
        BasicWindow w = new BasicWindow("Sheet of " + Fmt.printable(file));
        w.setHints(List.of(Window.Hint.MODAL, Window.Hint.CENTERED));
        Panel body = new Panel(new LinearLayout(Direction.VERTICAL));
        body.addComponent(new Label("The workbook has " + sheets.size() + " sheets; which holds the IDs?"));
        AtomicBoolean done = new AtomicBoolean();
        PickList<String> list = new PickList<>(glyphs, Math.min(ROWS, sheets.size()), Fmt::printable);
        list.setItems(sheets, Math.max(0, sheets.indexOf(current)));
        list.showPointer(true);
        list.onActivate(name -> {
            if (done.compareAndSet(false, true)) {
                w.close();
                onChoose.accept(name);
            }
        });
        body.addComponent(list, LinearLayout.createLayoutData(LinearLayout.Alignment.Fill, LinearLayout.GrowPolicy.CanGrow));
        body.addComponent(new Label("Enter loads the sheet   Esc keeps '" + Fmt.printable(current) + "'"));
        w.setComponent(body);
        Dialogs.closeOnKeys(w, key -> key.getKeyType() == KeyType.Escape, () -> done.set(true));
        gui.addWindow(w);
        w.setFocusedInteractable(list);
        return w;
    }
}
