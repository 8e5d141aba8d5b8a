package dev.firmquery.tui.input;

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
import dev.firmquery.tui.widget.Fmt;
import dev.firmquery.tui.widget.Glyphs;
import dev.firmquery.tui.widget.PickList;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The keyboard file browser for ID files: folders first, then files with their sizes; typing filters
 * the list (case-insensitive, anywhere in the name), Backspace removes a filter character or goes up
 * one folder, {@code ~} goes home, Enter opens a folder or chooses a file, Esc cancels. It opens in the
 * folder of the current path, else the last folder used.
 */
final class FileBrowser {
    /** Entries listed at most; a folder with more shows a note to filter. */
    static final int MAX_ENTRIES = 5_000;

    /** A line of the listing. */
    record Entry(String name, Path path, boolean directory, long size) {
    }

    private final WindowBasedTextGUI gui;
    private final Glyphs glyphs;
    private final Path home;

    FileBrowser(WindowBasedTextGUI gui, Glyphs glyphs, Path home) {
        this.gui = gui;
        this.glyphs = glyphs;
        this.home = home;
    }

    /**
     * Opens the browser in {@code start}.
     *
     * @param onChoose called with the chosen file
     * @param onFolder called with each folder the browser shows (to remember the last one)
     */
    Window open(Path start, Consumer<Path> onChoose, Consumer<Path> onFolder, Runnable onCancel) {
        BasicWindow w = new BasicWindow("Choose an ID file");
        w.setHints(List.of(Window.Hint.MODAL, Window.Hint.CENTERED));
        Panel body = new Panel(new LinearLayout(Direction.VERTICAL));
        Label folder = new Label("");
        Label filterLine = new Label("");
        PickList<Entry> list = new PickList<>(glyphs, 14, this::describe);
        list.setPreferredSize(new TerminalSize(72, 14));
        body.addComponent(folder);
        body.addComponent(filterLine);
        body.addComponent(list, LinearLayout.createLayoutData(LinearLayout.Alignment.Fill, LinearLayout.GrowPolicy.CanGrow));
        body.addComponent(new Label("Enter: open folder / choose file  Backspace: up  ~: home  Esc: cancel"));
        w.setComponent(body);

        State state = new State(start, "");
        AtomicBoolean done = new AtomicBoolean();
        Runnable refresh = () -> {
            List<Entry> entries = list(state.dir, state.filter);
            list.setItems(entries, entries.size() > 1 && entries.get(0).name().equals("..") ? 1 : 0);
            folder.setText(Fmt.fitStart("Folder " + state.dir, 72, glyphs));
            filterLine.setText(state.filter.isEmpty() ? "Type to filter the names" :
                    "Filter: " + state.filter + "  (" + Fmt.plural(entries.stream().filter(e -> !e.name().equals(".."))
                            .count(), "match", "matches") + ")");
            onFolder.accept(state.dir);
        };
        list.onActivate(e -> {
            if (e.directory()) {
                state.dir = e.path();
                state.filter = "";
                refresh.run();
            } else if (done.compareAndSet(false, true)) {
                w.close();
                onChoose.accept(e.path());
            }
        });
        list.extraKeys(k -> {
            if (k.isAltDown() || k.isCtrlDown()) {
                return false;
            }
            if (k.getKeyType() == KeyType.Backspace) {
                if (!state.filter.isEmpty()) {
                    state.filter = state.filter.substring(0, state.filter.length() - 1);
                } else if (state.dir.getParent() != null) {
                    state.dir = state.dir.getParent();
                }
                refresh.run();
                return true;
            }
            if (k.getKeyType() == KeyType.Character && k.getCharacter() != null) {
                char c = k.getCharacter();
                if (c == '~' && state.filter.isEmpty()) {
                    state.dir = home;
                } else if (c == '/' && state.filter.isEmpty()) {
                    state.dir = state.dir.getRoot();
                } else if (c != ' ') {
                    state.filter += c;
                } else {
                    return false;
                }
                refresh.run();
                return true;
            }
            return false;
        });
        w.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window window, KeyStroke key, AtomicBoolean deliver) {
                if (key.getKeyType() == KeyType.Escape) {
                    deliver.set(false);
                    if (done.compareAndSet(false, true)) {
                        w.close();
                        onCancel.run();
                    }
                }
            }
        });
        refresh.run();
        gui.addWindow(w);
        w.setFocusedInteractable(list);
        return w;
    }

    /** Where the browser is; confined to the GUI thread. */
    private static final class State {
        Path dir;
        String filter;

        State(Path dir, String filter) {
            this.dir = dir;
            this.filter = filter;
        }
    }

    private String describe(Entry e) {
        if (e.name().equals("..")) {
            return "../  (up one folder)";
        }
        if (e.directory()) {
            return e.name() + "/";
        }
        return Fmt.pad(e.name(), 56) + " " + (e.size() < 0 ? "" : Fmt.bytes(e.size()));
    }

    /** The entries of {@code dir} matching {@code filter}: "..", folders, then files, each by name. */
    static List<Entry> list(Path dir, String filter) {
        List<Entry> dirs = new ArrayList<>();
        List<Entry> files = new ArrayList<>();
        String f = filter.toLowerCase(Locale.ROOT);
        boolean hidden = filter.startsWith(".");
        int seen = 0;
        String problem = null;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                String name = p.getFileName().toString();
                if ((name.startsWith(".") && !hidden) || !name.toLowerCase(Locale.ROOT).contains(f)) {
                    continue;
                }
                if (++seen > MAX_ENTRIES) {
                    problem = "(more than " + Fmt.count(MAX_ENTRIES) + " entries: type to filter)";
                    break;
                }
                if (Files.isDirectory(p)) {
                    dirs.add(new Entry(name, p, true, -1));
                } else {
                    long size;
                    try {
                        size = Files.size(p);
                    } catch (IOException e) {
                        size = -1;
                    }
                    files.add(new Entry(name, p, false, size));
                }
            }
        } catch (IOException | SecurityException e) {
            problem = "(cannot list " + dir + ": " + e.getMessage() + ")";
        }
        Comparator<Entry> byName = Comparator.comparing(e -> e.name().toLowerCase(Locale.ROOT));
        dirs.sort(byName);
        files.sort(byName);
        List<Entry> out = new ArrayList<>();
        if (dir.getParent() != null) {
            out.add(new Entry("..", dir.getParent(), true, -1));
        }
        out.addAll(dirs);
        out.addAll(files);
        if (problem != null) {
            out.add(new Entry(problem, dir, true, -1));
        }
        return out;
    }
}
