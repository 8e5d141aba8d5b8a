package dev.firmquery.tui;

import dev.firmquery.testing.TestConfigs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shape of the UI's code, read from its sources: a thin frame, one package per window, shared
 * machinery below them, data flowing one way, threads only from the one factory.
 *
 * <p>Layers, lowest first: {@code tui.widget} (components), {@code tui.core} (GUI thread, executor,
 * timer, keys, dialogs), the windows ({@code tui.input}, {@code tui.progress}, {@code tui.results},
 * {@code tui.config}, {@code tui.unfinished}, {@code tui.history}), the frame ({@code tui}). A package may use only lower
 * layers, and the windows one another without a cycle.
 */
class TuiStructureTest {
    private static final Path TUI = TestConfigs.home().resolve("src/main/java/dev/firmquery/tui");
    private static final Map<String, Integer> LAYER = Map.of("widget", 0, "core", 1, "input", 2, "progress", 2,
            "results", 2, "config", 2, "unfinished", 2, "history", 2, "profiles", 2, "", 3);
    private static final Pattern USE = Pattern.compile("dev\\.firmquery\\.tui((?:\\.[a-z]\\w*)*)\\.[A-Z]");

    private static Map<Path, String> sources;

    @BeforeAll
    static void read() throws IOException {
        sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(TUI)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                sources.put(f, Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        assertTrue(sources.size() > 40, "the UI's sources under " + TUI);
    }

    /** {@code input} for {@code .../tui/input/X.java}, empty for the frame's package. */
    private static String packageOf(Path file) {
        Path rel = TUI.relativize(file.getParent());
        return rel.toString().replace('/', '.');
    }

    @Test
    @DisplayName("every package of the UI is in a known layer")
    void knownPackages() {
        Set<String> packages = new TreeSet<>();
        sources.keySet().forEach(f -> packages.add(packageOf(f)));
        assertEquals(new TreeSet<>(LAYER.keySet()), packages);
    }

    @Test
    @DisplayName("a package uses only lower layers, and the windows use one another without a cycle")
    void layers() {
        Map<String, Set<String>> uses = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<Path, String> e : sources.entrySet()) {
            String from = packageOf(e.getKey());
            Matcher m = USE.matcher(e.getValue());
            while (m.find()) {
                String to = m.group(1).isEmpty() ? "" : m.group(1).substring(1);
                if (to.equals(from)) {
                    continue;
                }
                uses.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                if (!LAYER.containsKey(to) || LAYER.get(to) > LAYER.get(from)) {
                    wrong.add(TUI.relativize(e.getKey()) + " uses tui." + to);
                }
            }
        }
        assertEquals(List.of(), wrong, "a lower layer uses a higher one");
        for (String start : uses.keySet()) {
            assertFalse(reaches(uses, start, start, new HashSet<>()), "a package cycle through tui." + start + ": "
                    + uses);
        }
    }

    private static boolean reaches(Map<String, Set<String>> uses, String from, String target, Set<String> seen) {
        for (String next : uses.getOrDefault(from, Set.of())) {
            if (next.equals(target) || (seen.add(next) && reaches(uses, next, target, seen))) {
                return true;
            }
        }
        return false;
    }

    @Test
    @DisplayName("threads come only from the one factory: no new Thread( anywhere in tui/")
    void noHandMadeThreads() {
        List<Path> found = sources.entrySet().stream().filter(e -> e.getValue().contains("new Thread("))
                .map(Map.Entry::getKey).toList();
        assertEquals(List.of(), found);
    }

    @Test
    @DisplayName("the frame is under 400 lines and no class of the UI is over 600")
    void sizes() {
        Map<String, Long> big = new TreeMap<>();
        for (Map.Entry<Path, String> e : sources.entrySet()) {
            long lines = e.getValue().lines().count();
            if (lines > 600) {
                big.put(TUI.relativize(e.getKey()).toString(), lines);
            }
        }
        assertEquals(Map.of(), big);
        long frame = sources.get(TUI.resolve("Ui.java")).lines().count();
        assertTrue(frame < 400, "Ui.java has " + frame + " lines");
    }
}
