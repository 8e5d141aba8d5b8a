package dev.firmquery.tui.widget;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shell-style path completion. */
class PathCompletionTest {
    @TempDir
    Path dir;

    @BeforeEach
    void files() throws IOException {
        Files.writeString(dir.resolve("ids_march.csv"), "1");
        Files.writeString(dir.resolve("ids_april.csv"), "1");
        Files.writeString(dir.resolve(".hidden.csv"), "1");
        Files.createDirectories(dir.resolve("inputs"));
    }

    private PathCompletion.Result complete(String typed) {
        return PathCompletion.complete(typed, dir, dir.resolve("inputs"), false);
    }

    @Test
    @DisplayName("a unique match is completed; a directory gets a slash")
    void uniqueMatch() {
        assertEquals(new PathCompletion.Result("inputs/", List.of()), complete("in"));
        assertEquals(new PathCompletion.Result(dir + "/ids_march.csv", List.of()), complete(dir + "/ids_m"));
    }

    @Test
    @DisplayName("several matches complete to their common prefix and are listed")
    void commonPrefix() {
        assertEquals(new PathCompletion.Result("ids_", List.of("ids_april.csv", "ids_march.csv")), complete("i"
                + "ds"));
    }

    @Test
    @DisplayName("no match, or a missing directory, leaves the text as typed")
    void noMatch() {
        assertEquals(new PathCompletion.Result("zz", List.of()), complete("zz"));
        assertEquals(new PathCompletion.Result("nowhere/x", List.of()), complete("nowhere/x"));
    }

    @Test
    @DisplayName("hidden files only when the prefix starts with a dot; ~ is the home directory")
    void hiddenAndHome() {
        assertEquals(new PathCompletion.Result(".hidden.csv", List.of()), complete(".h"));
        assertEquals(new PathCompletion.Result("ids_", List.of("ids_april.csv", "ids_march.csv")), complete("id"));
        assertEquals(dir.resolve("inputs"), PathCompletion.resolve("~", dir, dir.resolve("inputs")));
        assertEquals(dir.resolve("inputs/a.csv"), PathCompletion.resolve("~/a.csv", dir, dir.resolve("inputs")));
    }

    @Test
    @DisplayName("an output-directory field is offered directories only")
    void directoriesOnly() {
        assertEquals(new PathCompletion.Result("i", List.of("ids_april.csv", "ids_march.csv", "inputs/")),
                PathCompletion.complete("i", dir, dir, false));
        assertEquals("inputs/", PathCompletion.complete("i", dir, dir, true).text());
    }
}
