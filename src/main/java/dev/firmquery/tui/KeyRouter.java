package dev.firmquery.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.TextBox;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.gui2.table.Table;
import dev.firmquery.tui.core.Action;
import dev.firmquery.tui.core.PastedText;
import dev.firmquery.tui.widget.LinesView;
import dev.firmquery.tui.widget.PickList;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The frame's keys ({@link Action}): F-keys, Esc and Ctrl/Alt combinations act before the focused
 * component sees them (no text field uses them); an unbound Ctrl/Alt key is swallowed rather than typed
 * as a plain letter; plain characters ({@code ?}, {@code q}, and {@code 1 2 3} in the results window)
 * act only when the focused component did not take them as text, and never while the focus is on a
 * list or table (there a letter is type-ahead or ignored). On the GUI thread, as Lanterna calls
 * window listeners.
 */
final class KeyRouter extends WindowListenerAdapter {

    /** Where the keys go. */
    interface Target {
        /** Does what {@code action} means here and now. */
        void perform(Action action, KeyStroke key);

        /** A plain character no component and no action took; whether the current window used it. */
        boolean plainKey(char c);

        /** The terminal was resized. */
        void resized();

    }

    private final Target target;
    private final Consumer<String> pastedIds;

    /** @param pastedIds takes a whole bracketed paste of IDs ({@link BracketedPaste}): the paste window */
    KeyRouter(Target target, Consumer<String> pastedIds) {
        this.target = target;
        this.pastedIds = pastedIds;
    }

    @Override
    public void onInput(Window w, KeyStroke key, AtomicBoolean deliver) {
        if (key instanceof PastedText p) {
            deliver.set(false);
            String text = p.text();
            // One short word into a focused text field is typed there (a path); anything else is IDs.
            if (w.getFocusedInteractable() instanceof TextBox field && text.length() <= 4096
                    && text.strip().chars().noneMatch(Character::isWhitespace)) {
                text.strip().chars().forEach(c -> field.handleInput(new KeyStroke((char) c, false, false)));
            } else {
                pastedIds.accept(text);
            }
            return;
        }
        Optional<Action> a = Action.command(key);
        if (a.isPresent()) {
            deliver.set(false);
            target.perform(a.get(), key);
        } else if (key.getKeyType() == KeyType.Character && (key.isCtrlDown() || key.isAltDown())) {
            // An unbound Ctrl/Alt key must not be typed into a field as a plain letter.
            deliver.set(false);
        }
    }

    @Override
    public void onUnhandledInput(Window w, KeyStroke key, AtomicBoolean handled) {
        if (key.getKeyType() == KeyType.Character && onList(w.getFocusedInteractable())) {
            // A printable key on a list is the list's (type-ahead) or nothing, never a global action:
            // only the window's own browse keys (1 2 3 in the results window) still work there.
            if (key.getCharacter() != null && !key.isCtrlDown() && !key.isAltDown()) {
                target.plainKey(key.getCharacter());
            }
            handled.set(true);
            return;
        }
        Action.plain(key).ifPresent(a -> {
            handled.set(true);
            target.perform(a, key);
        });
        if (!handled.get() && key.getKeyType() == KeyType.Character && key.getCharacter() != null
                && !key.isCtrlDown() && !key.isAltDown() && target.plainKey(key.getCharacter())) {
            handled.set(true);
        }
    }

    /** Lists and tables: where a typed letter is meant for the entries, not for the frame. */
    static boolean onList(Interactable focused) {
        return focused instanceof PickList<?> || focused instanceof Table<?> || focused instanceof LinesView;
    }

    @Override
    public void onResized(Window w, TerminalSize oldSize, TerminalSize newSize) {
        target.resized();
    }
}
