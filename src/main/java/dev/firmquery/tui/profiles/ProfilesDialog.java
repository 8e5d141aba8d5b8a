package dev.firmquery.tui.profiles;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.app.ConnectionCheck;
import dev.firmquery.config.ConfigLoader;
import dev.firmquery.tui.core.Action;
import dev.firmquery.tui.core.Dialogs;
import dev.firmquery.tui.widget.Fmt;
import dev.firmquery.tui.widget.Glyphs;
import dev.firmquery.tui.widget.LinesView;
import dev.firmquery.tui.widget.PickList;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The connection profiles window: the environments {@code --env} accepts, the one in use marked
 * {@code *}; below, what the chosen one changes (or its configuration errors), or the steps of its
 * connection test. Keys: {@code t} tests the chosen environment's connection, {@code s} or Enter switches
 * to it, Tab moves to the text (PgUp/PgDn scroll it), Esc abandons a pending test, else closes. The
 * layout shrinks to the terminal: at 60x20 the text pane keeps about eight rows and scrolls.
 */
final class ProfilesDialog {
    /** Width of the text: an 80-column terminal minus the border and a margin. */
    static final int WIDTH = 76;
    private static final int MAX_LIST_ROWS = 5;
    /** The name shown for "no environment overlay". */
    static final String NONE = "(none)";

    /** What the keys do, on the GUI thread; {@code escape} says whether it used the key (a pending test). */
    record Actions(Consumer<ConfigLoader.Overlay> chosen, Consumer<ConfigLoader.Overlay> test,
                   Consumer<ConfigLoader.Overlay> switchTo, java.util.function.BooleanSupplier escape,
                   Runnable closed) {
    }

    private final WindowBasedTextGUI gui;
    private final Glyphs glyphs;
    private BasicWindow window;
    private PickList<ConfigLoader.Overlay> list;
    private Label heading;
    private LinesView text;
    private Label status;
    private String inUse;
    private int width = WIDTH;

    ProfilesDialog(WindowBasedTextGUI gui, Glyphs glyphs) {
        this.gui = gui;
        this.glyphs = glyphs;
    }

    /** Whether the window is open. */
    boolean isOpen() {
        return window != null;
    }

    /**
     * Opens the list of {@code overlays} ({@link #NONE} first), the one named {@code inUse} (null: none)
     * marked and chosen.
     */
    void open(List<ConfigLoader.Overlay> overlays, String inUse, Actions actions) {
        this.inUse = inUse;
        BasicWindow w = new BasicWindow("Connection profiles");
        w.setHints(List.of(Window.Hint.MODAL, Window.Hint.CENTERED));
        Panel body = new Panel(new LinearLayout(Direction.VERTICAL));
        List<ConfigLoader.Overlay> items = new ArrayList<>();
        items.add(new ConfigLoader.Overlay(NONE, "no --env: defaults, system file, user file, variables", false));
        items.addAll(overlays);
        int listRows = Math.max(2, Math.min(MAX_LIST_ROWS, items.size()));
        // Border 2, the three labels, the list: the rest is the text pane, at least 3 rows.
        TerminalSize textSize = Dialogs.fit(gui, WIDTH, 12, 4, listRows + 3 + 2 + 2);
        width = textSize.getColumns();
        body.addComponent(new Label(Fmt.fit("Environments (--env), * in use:", width, glyphs)));
        list = new PickList<>(glyphs, listRows, this::row);
        list.setPreferredSize(new TerminalSize(width, listRows));
        body.addComponent(list);
        heading = new Label("");
        body.addComponent(heading);
        text = new LinesView(glyphs, textSize.getRows(), false).wrap(4);
        text.setPreferredSize(textSize);
        body.addComponent(text);
        status = new Label("");
        body.addComponent(status);
        w.setComponent(body);
        int start = 0;
        for (int i = 0; i < items.size(); i++) {
            if (isInUse(items.get(i))) {
                start = i;
            }
        }
        list.onMove(actions.chosen()).onActivate(actions.switchTo());
        list.setItems(items, start);
        AtomicBoolean done = new AtomicBoolean();
        w.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window win, KeyStroke key, AtomicBoolean deliver) {
                if (key.getKeyType() == KeyType.Escape
                        || key.isAltDown() && Action.command(key).filter(a -> a == Action.PROFILES).isPresent()) {
                    deliver.set(false);
                    if (!actions.escape().getAsBoolean() && done.compareAndSet(false, true)) {
                        w.close();
                        window = null;
                        actions.closed().run();
                    }
                    return;
                }
                if (key.getKeyType() != KeyType.Character || key.getCharacter() == null || key.isCtrlDown()
                        || key.isAltDown()) {
                    return;
                }
                switch (Character.toLowerCase(key.getCharacter())) {
                    case 't' -> {
                        deliver.set(false);
                        actions.test().accept(list.selected());
                    }
                    case 's' -> {
                        deliver.set(false);
                        actions.switchTo().accept(list.selected());
                    }
                    default -> { }
                }
            }
        });
        window = w;
        gui.addWindow(w);
        w.setFocusedInteractable(list);
        actions.chosen().accept(list.selected());
    }

    /** Marks {@code name} (null: none) as the environment in use. */
    void inUse(String name) {
        inUse = name;
        if (list != null) {
            list.invalidate();
        }
    }

    /** Whether {@code o} is the environment in use. */
    boolean isInUse(ConfigLoader.Overlay o) {
        return inUse == null ? o.name().equals(NONE) : o.name().equals(inUse);
    }

    /** The chosen entry. */
    ConfigLoader.Overlay selected() {
        return list.selected();
    }

    /** Shows {@code lines} under {@code title}, from the top, with {@code keys} in the last row. */
    void show(String title, List<String> lines, String keys) {
        heading.setText(Fmt.fit(Fmt.printable(title), width, glyphs));
        text.setLines(lines.stream().map(Fmt::printable).toList());
        text.scrollHome();
        status(keys);
    }

    /** Adds lines to the text (a test's steps as they end). */
    void append(List<String> lines) {
        List<String> all = new ArrayList<>(text.lines());
        lines.forEach(l -> all.add(Fmt.printable(l)));
        text.setLines(all);
    }

    /** The last row: what happened and the keys. */
    void status(String keys) {
        status.setText(Fmt.fit(Fmt.printable(keys), width, glyphs));
    }

    /** The text shown, for the controller's messages. */
    List<String> lines() {
        return text.lines();
    }

    /** One entry: {@code * dev           /opt/firmquery/config/environments/dev.yaml}. */
    private String row(ConfigLoader.Overlay o) {
        String name = (isInUse(o) ? "* " : "  ") + Fmt.pad(Fmt.fit(o.name(), 14, glyphs), 14) + " ";
        String where = o.location() + (o.user() ? " (yours)" : "");
        return name + Fmt.fitMiddle(where, Math.max(8, width - name.length() - 2), glyphs);
    }

    // ---- the text pane's lines ----

    /** What {@code p} changes, or why it cannot be used. */
    static List<String> describe(Preview p) {
        List<String> l = new ArrayList<>();
        if (!p.usable()) {
            String env = p.environment() == null ? "no --env" : "--env " + p.environment();
            l.add("Cannot switch: " + Fmt.plural(p.problems().size(), "configuration error", "configuration errors")
                    + " (firmquery " + env + " stops the same way):");
            for (Preview.Locked k : p.locked()) {
                l.add(k.key() + "  " + shown(k.kept()) + " kept, LOCKED by policy (" + k.keptSource() + "); "
                        + shown(k.refused()) + " from " + k.origin() + " is refused");
            }
            for (String problem : p.problems()) {
                l.add("error: " + problem);
            }
        } else if (p.changes().isEmpty()) {
            l.add("No setting changes: every value is the one in use.");
        } else {
            int keyWidth = 0;
            for (Preview.Change c : p.changes()) {
                keyWidth = Math.max(keyWidth, Math.min(28, c.key().length()));
            }
            for (Preview.Change c : p.changes()) {
                l.add(Fmt.pad(c.key(), keyWidth) + "  " + shown(c.from()) + " -> " + shown(c.to()));
                l.add("    from " + c.toSource() + ", now " + c.fromSource());
            }
        }
        for (String w : p.warnings()) {
            l.add("warning: " + w);
        }
        return l;
    }

    /** A value as {@code firmquery config} shows it, with {@code ""} for an empty one. */
    private static String shown(String value) {
        return value.isEmpty() ? "\"\"" : value;
    }

    /** One step of the connection test, as {@code firmquery check} prints it. */
    static String step(ConnectionCheck.Step s) {
        return String.format(Locale.ROOT, "%-4s  %-9s  %s", s.state().label(), s.name(), s.detail());
    }
}
