package dev.firmquery.tui.widget;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TerminalTextUtils;
import com.googlecode.lanterna.gui2.AbstractInteractableComponent;
import com.googlecode.lanterna.gui2.InteractableRenderer;
import com.googlecode.lanterna.gui2.TextGUIGraphics;
import com.googlecode.lanterna.input.KeyStroke;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A list with one chosen entry: the arrow keys move the choice (and tell {@code onMove} at once, so a
 * preview can follow), Enter activates it. The chosen entry is reversed when the list is focused and
 * marked with a pointer when it is not, so the choice stays visible without colours.
 *
 * @param <T> the entries
 */
public final class PickList<T> extends AbstractInteractableComponent<PickList<T>> {
    private final Glyphs glyphs;
    private final int preferredRows;
    private final Function<T, String> label;
    private List<T> items = List.of();
    private int selected = -1;
    private int top;
    private int lastHeight = 1;
    private boolean showPointer = true;
    private Consumer<T> onMove = t -> { };
    private Consumer<T> onActivate = t -> { };
    private Predicate<KeyStroke> extraKeys = k -> false;
    /** Type-ahead: the letters typed so far, and when the last one came (System.nanoTime). */
    private final StringBuilder typed = new StringBuilder();
    private long typedAt;

    /** Letters typed further apart than this start a new type-ahead prefix (what file managers use: 1 s). */
    static final long TYPE_AHEAD_NANOS = 1_000_000_000L;

    public PickList(Glyphs glyphs, int preferredRows, Function<T, String> label) {
        this.glyphs = glyphs;
        this.preferredRows = preferredRows;
        this.label = label;
    }

    /** Called with the entry the choice moved to. */
    public PickList<T> onMove(Consumer<T> action) {
        this.onMove = action;
        return this;
    }

    /** Called with the chosen entry on Enter. */
    public PickList<T> onActivate(Consumer<T> action) {
        this.onActivate = action;
        return this;
    }

    /** Keys handled before the list's own (type-ahead filters); return true when handled. */
    public PickList<T> extraKeys(Predicate<KeyStroke> handler) {
        this.extraKeys = handler;
        return this;
    }

    /** Whether the chosen entry is marked when the list is not focused. */
    public synchronized PickList<T> showPointer(boolean show) {
        this.showPointer = show;
        invalidate();
        return this;
    }

    /** Replaces the entries and chooses {@code index} (-1: none). {@code onMove} is not called. */
    public synchronized PickList<T> setItems(List<T> newItems, int index) {
        this.items = List.copyOf(newItems);
        this.selected = items.isEmpty() ? -1 : Math.max(-1, Math.min(index, items.size() - 1));
        this.top = 0;
        ensureVisible();
        invalidate();
        return this;
    }

    public synchronized List<T> items() {
        return items;
    }

    public synchronized int selectedIndex() {
        return selected;
    }

    /** The chosen entry, or null. */
    public synchronized T selected() {
        return selected >= 0 && selected < items.size() ? items.get(selected) : null;
    }

    private void ensureVisible() {
        if (selected >= 0) {
            if (selected < top) {
                top = selected;
            } else if (selected >= top + lastHeight) {
                top = selected - lastHeight + 1;
            }
        }
        top = Math.max(0, Math.min(top, Math.max(0, items.size() - lastHeight)));
    }

    @Override
    protected Result handleKeyStroke(KeyStroke key) {
        if (extraKeys.test(key)) {
            invalidate();
            return Result.HANDLED;
        }
        if (key.isAltDown() || key.isCtrlDown()) {
            return super.handleKeyStroke(key);
        }
        T moved;
        T activated = null;
        synchronized (this) {
            int before = selected;
            int page = Math.max(1, lastHeight - 1);
            int last = items.size() - 1;
            switch (key.getKeyType()) {
                case ArrowUp -> {
                    if (selected <= 0) {
                        return Result.MOVE_FOCUS_UP;
                    }
                    selected--;
                }
                case ArrowDown -> {
                    if (selected >= last) {
                        return Result.MOVE_FOCUS_DOWN;
                    }
                    selected++;
                }
                case PageUp -> selected = Math.max(0, selected - page);
                case PageDown -> selected = Math.min(last, selected + page);
                case Home -> selected = Math.min(0, last);
                case End -> selected = last;
                case Enter -> activated = selected();
                case Character -> {
                    // A printable key in a list is type-ahead, never a global action: a path typed
                    // with the focus here ("firm_details.sql" holds a q) must not quit (docs/tui.md, Keys).
                    if (key.getCharacter() == null || Character.isISOControl(key.getCharacter())) {
                        return Result.HANDLED;
                    }
                    typeAhead(key.getCharacter(), System.nanoTime());
                }
                default -> {
                    return super.handleKeyStroke(key);
                }
            }
            ensureVisible();
            moved = selected != before ? selected() : null;
        }
        invalidate();
        if (moved != null) {
            onMove.accept(moved);
        }
        if (activated != null) {
            onActivate.accept(activated);
        }
        return Result.HANDLED;
    }

    /**
     * Moves the choice to the first entry, from the chosen one on, whose label starts with the letters
     * typed within {@link #TYPE_AHEAD_NANOS} of each other (case-insensitive, leading blanks ignored); a
     * single letter typed again moves to the next such entry. Nothing matching: the choice stays.
     */
    private void typeAhead(char c, long now) {
        if (typed.length() > 0 && now - typedAt > TYPE_AHEAD_NANOS) {
            typed.setLength(0);
        }
        typedAt = now;
        boolean repeat = typed.length() == 1 && Character.toLowerCase(typed.charAt(0)) == Character.toLowerCase(c);
        if (!repeat) {
            typed.append(c);
        }
        String prefix = typed.toString().toLowerCase(java.util.Locale.ROOT);
        int n = items.size();
        int from = Math.max(0, selected) + (repeat || typed.length() == 1 ? 1 : 0);
        for (int i = 0; i < n; i++) {
            int index = (from + i) % n;
            if (label.apply(items.get(index)).strip().toLowerCase(java.util.Locale.ROOT).startsWith(prefix)) {
                selected = index;
                return;
            }
        }
    }

    /** The type-ahead letters typed so far (empty after a pause). */
    public synchronized String typedPrefix() {
        return typed.toString();
    }

    @Override
    protected InteractableRenderer<PickList<T>> createDefaultRenderer() {
        return new InteractableRenderer<>() {
            @Override
            public TerminalPosition getCursorLocation(PickList<T> list) {
                return null;
            }

            @Override
            public TerminalSize getPreferredSize(PickList<T> list) {
                int width = 20;
                for (T item : list.items()) {
                    width = Math.max(width, Math.min(120, TerminalTextUtils.getColumnWidth(list.label.apply(item)) + 3));
                }
                return new TerminalSize(width, list.preferredRows);
            }

            @Override
            public void drawComponent(TextGUIGraphics g, PickList<T> list) {
                list.draw0(g);
            }
        };
    }

    private synchronized void draw0(TextGUIGraphics g) {
        int height = g.getSize().getRows();
        int width = g.getSize().getColumns();
        if (height <= 0 || width <= 0) {
            return;
        }
        lastHeight = height;
        ensureVisible();
        g.applyThemeStyle(getThemeDefinition().getNormal());
        g.fill(' ');
        boolean overflow = items.size() > height;
        int textWidth = overflow ? width - 1 : width;
        for (int row = 0; row < height && top + row < items.size(); row++) {
            int index = top + row;
            boolean chosen = index == selected;
            String mark = chosen && (showPointer || isFocused()) ? glyphs.pointer() + " " : "  ";
            String text = glyphs.text(Fmt.printable(label.apply(items.get(index))));
            String line = mark + text;
            if (TerminalTextUtils.getColumnWidth(line) > textWidth) {
                line = TerminalTextUtils.fitString(line, Math.max(0, textWidth - glyphs.ellipsis().length()))
                        + glyphs.ellipsis();
            }
            if (chosen && isFocused()) {
                g.enableModifiers(SGR.REVERSE);
                g.putString(0, row, Fmt.pad(line, textWidth));
                g.disableModifiers(SGR.REVERSE);
            } else {
                g.putString(0, row, line);
            }
        }
        if (overflow) {
            if (top > 0) {
                g.setCharacter(width - 1, 0, glyphs.unicode() ? '▲' : '^');
            }
            if (top + height < items.size()) {
                g.setCharacter(width - 1, height - 1, glyphs.unicode() ? '▼' : 'v');
            }
        }
    }
}
