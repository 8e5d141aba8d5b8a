package dev.firmquery.tui.widget;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.TextBox;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A one-line path field with shell-style Tab completion. Tab completes when it can; when there is
 * nothing to complete it moves the focus on as everywhere else, so Tab navigation still works: a
 * first Tab on an ambiguous prefix lists the matches (through {@code onCandidates}), a second one
 * moves on. Enter calls {@code onEnter} (load the file, for instance).
 */
public final class PathField extends TextBox {
    private final Path cwd;
    private final Path home;
    private final boolean directoriesOnly;
    private final Consumer<List<String>> onCandidates;
    private Runnable onEnter = () -> { };
    private String listedFor;

    /**
     * @param onCandidates receives the matches of an ambiguous completion, or an empty list to clear them
     */
    public PathField(int width, Path cwd, Path home, boolean directoriesOnly, Consumer<List<String>> onCandidates) {
        super(new TerminalSize(width, 1));
        this.cwd = cwd;
        this.home = home;
        this.directoriesOnly = directoriesOnly;
        this.onCandidates = onCandidates;
    }

    public PathField onEnter(Runnable action) {
        this.onEnter = action;
        return this;
    }

    @Override
    public synchronized Result handleKeyStroke(KeyStroke key) {
        if (key.getKeyType() == KeyType.Enter && !key.isAltDown() && !key.isCtrlDown()) {
            onEnter.run();
            return Result.HANDLED;
        }
        if (key.getKeyType() == KeyType.Tab && !key.isAltDown() && !key.isCtrlDown()) {
            String text = getText();
            if (!text.isEmpty() && getCaretPosition().getColumn() == text.length()) {
                PathCompletion.Result r = PathCompletion.complete(text, cwd, home, directoriesOnly);
                if (!r.text().equals(text)) {
                    setText(r.text());
                    setCaretPosition(r.text().length());
                    listedFor = null;
                    onCandidates.accept(r.candidates());
                    return Result.HANDLED;
                }
                if (!r.candidates().isEmpty() && !text.equals(listedFor)) {
                    listedFor = text;
                    onCandidates.accept(r.candidates());
                    return Result.HANDLED;
                }
            }
            listedFor = null;
            onCandidates.accept(List.of());
            return Result.MOVE_FOCUS_NEXT;
        }
        return super.handleKeyStroke(key);
    }
}
