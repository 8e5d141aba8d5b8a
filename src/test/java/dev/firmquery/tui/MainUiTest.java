package dev.firmquery.tui;

import dev.firmquery.cli.Main;
import dev.firmquery.testing.TestConfigs;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code firmquery} without a command opens the UI, which needs a terminal. */
class MainUiTest {
    @TempDir
    Path home;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int firmquery(String... args) {
        Main main = new Main(Map.of(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]),
                TestConfigs.home(), home, false, false);
        return main.run(args);
    }

    @Test
    @DisplayName("without a terminal, firmquery explains how to run headless and exits with 2")
    void noTerminal() {
        assertEquals(2, firmquery());
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("the full-screen UI needs a terminal"), message);
        assertTrue(message.contains("firmquery run --ids FILE --query NAME"), message);
    }

    @Test
    @DisplayName("common options without a command also mean the UI")
    void optionsWithoutCommand() {
        assertEquals(2, firmquery("--set", "processing.chunk_size=10"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("needs a terminal"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("the demo without --headless needs a terminal too, and says so before starting a database")
    void demoWithoutTerminal() {
        assertEquals(2, firmquery("demo", "--size", "1000"));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("firmquery demo --headless"), message);
    }
}
