package dev.firmquery.tui.core;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every user action and its keys. F-keys are the primary keys; each action also has a Ctrl or Alt
 * key (shown as {@code ^X} and {@code M-x}) because F-keys beyond F4 do not exist on a VT100 and are
 * mangled by some tmux/SSH combinations. Plain characters ({@code ?}, {@code q}) only act when the
 * focused field does not take them as text. The help window and the key bars are generated from here,
 * so what is shown is what works.
 */
public enum Action {
    HELP("Help: all keys", KeyType.F1, '?', null, 'h'),
    INPUT("Input window", KeyType.F2, null, null, 'i'),
    BROWSE("Browse for an ID file", KeyType.F3, null, 'o', 'b'),
    LOAD("Load the input and show the preview (also Enter in a path field)", KeyType.F4, null, null, 'l'),
    RUN("Run the loaded input", KeyType.F5, null, 'r', 'r'),
    RERUN("Re-run failed (and not run) chunks only", KeyType.F6, null, null, 'f'),
    RESUME("Unfinished runs in the output folder: resume or delete (shown at start)", null, null, null, 'u'),
    CONFIG("Configuration window", KeyType.F7, null, null, 'c'),
    PROGRESS("Progress window", KeyType.F8, null, null, 'p'),
    RESULTS("Results window", KeyType.F9, null, null, 's'),
    QUIT("Quit (asks first while a run is active)", KeyType.F10, 'q', null, 'q'),
    CANCEL("Cancel the run (asks first; finished chunks are kept)", KeyType.Escape, null, 'c', null),
    PASTE("Paste IDs instead of a file", null, null, null, 'v'),
    NEW_RUN("New run: back to the input, same connection pool", null, null, 'n', 'n'),
    APPLY("Apply the edited session values (configuration window)", null, null, null, 'a'),
    RESET("Reset the session values to the configuration (configuration window)", null, null, null, 'z'),
    REDRAW("Redraw the screen", null, null, 'l', null),
    HISTORY("Run history: open a past run, its report, run it again, resume", null, null, null, 't'),
    PROFILES("Connection profiles: switch environment, see what it changes, test it", null, null, null, 'e');

    private final String description;
    private final KeyType key;
    private final Character plain;
    private final Character ctrl;
    private final Character alt;

    Action(String description, KeyType key, Character plain, Character ctrl, Character alt) {
        this.description = description;
        this.key = key;
        this.plain = plain;
        this.ctrl = ctrl;
        this.alt = alt;
    }

    public String description() {
        return description;
    }

    /**
     * The action bound to {@code k}, ignoring plain characters: F-keys, Escape, Ctrl and Alt
     * combinations, which no text field uses.
     */
    public static Optional<Action> command(KeyStroke k) {
        for (Action a : values()) {
            // Alt is ignored on F-keys and Esc: an Esc typed just before another key arrives as "Alt+key".
            if (a.key != null && k.getKeyType() == a.key && !k.isCtrlDown()) {
                return Optional.of(a);
            }
            if (k.getKeyType() == KeyType.Character && k.getCharacter() != null) {
                char c = Character.toLowerCase(k.getCharacter());
                if (a.ctrl != null && k.isCtrlDown() && !k.isAltDown() && c == a.ctrl) {
                    return Optional.of(a);
                }
                if (a.alt != null && k.isAltDown() && !k.isCtrlDown() && c == a.alt) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    /** The action of a plain character ({@code ?}, {@code q}) that no component took as text. */
    public static Optional<Action> plain(KeyStroke k) {
        if (k.getKeyType() != KeyType.Character || k.getCharacter() == null || k.isAltDown() || k.isCtrlDown()) {
            return Optional.empty();
        }
        for (Action a : values()) {
            if (a.plain != null && a.plain == k.getCharacter()) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The action's name in the key bar, e.g. {@code Re-run failed} in {@code F6/M-f Re-run failed}. */
    public String hint() {
        return switch (this) {
            case HELP -> "Help";
            case INPUT -> "Input";
            case BROWSE -> "Browse";
            case LOAD -> "Load";
            case RUN -> "Run";
            case RERUN -> "Re-run failed";
            case RESUME -> "Unfinished runs";
            case HISTORY -> "History";
            case PROFILES -> "Profiles";
            case CONFIG -> "Config";
            case PROGRESS -> "Progress";
            case RESULTS -> "Results";
            case QUIT -> "Quit";
            case CANCEL -> "Cancel run";
            case PASTE -> "Paste IDs";
            case NEW_RUN -> "New run";
            case APPLY -> "Apply";
            case RESET -> "Reset";
            case REDRAW -> "Redraw";
        };
    }

    /** The primary key, e.g. {@code F5}, {@code Esc}, or the Alt key when there is no F-key. */
    public String primary() {
        if (key != null) {
            return key == KeyType.Escape ? "Esc" : key.name();
        }
        return alt != null ? altKey() : ctrlKey();
    }

    /** Short form for bars: {@code F5/^R}, {@code F1/?}, {@code Esc/^C}, {@code M-v}. */
    public String shortKeys() {
        List<String> keys = new ArrayList<>();
        if (key != null) {
            keys.add(primary());
            if (plain != null) {
                keys.add(String.valueOf(plain));
            } else if (ctrl != null) {
                keys.add(ctrlKey());
            } else if (alt != null) {
                keys.add(altKey());
            }
        } else {
            if (alt != null) {
                keys.add(altKey());
            }
            if (ctrl != null) {
                keys.add(ctrlKey());
            }
        }
        return String.join("/", keys);
    }

    /** Every key, for the help window: {@code F5, Ctrl-R, Alt-R}. */
    public String allKeys() {
        List<String> keys = new ArrayList<>();
        if (key != null) {
            keys.add(primary());
        }
        if (plain != null) {
            keys.add(String.valueOf(plain));
        }
        if (ctrl != null) {
            keys.add("Ctrl-" + Character.toUpperCase(ctrl));
        }
        if (alt != null) {
            keys.add("Alt-" + Character.toUpperCase(alt));
        }
        return String.join(", ", keys);
    }

    private String ctrlKey() {
        return "^" + Character.toUpperCase(ctrl);
    }

    private String altKey() {
        return "M-" + alt;
    }
}
