package dev.firmquery.tui;

import dev.firmquery.exit.ExitCode;
import dev.firmquery.testing.CliHarness;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code firmquery} without a command opens the UI, which needs a terminal. */
class MainUiTest {
    @TempDir
    Path home;

    private CliHarness cli;

    private ExitCode firmquery(String... args) {
        cli = new CliHarness(home);
        return cli.run(Map.of(), args);
    }

    @Test
    @DisplayName("without a terminal, firmquery explains how to run headless and exits as a usage error (2)")
    void noTerminal() {
        assertEquals(ExitCode.USAGE, firmquery());
        String message = cli.stderr();
        assertTrue(message.contains("the full-screen UI needs a terminal"), message);
        assertTrue(message.contains("firmquery run --ids FILE --query NAME"), message);
    }

    @Test
    @DisplayName("common options without a command also mean the UI")
    void optionsWithoutCommand() {
        assertEquals(ExitCode.USAGE, firmquery("--set", "processing.chunk_size=10"));
        assertTrue(cli.stderr().contains("needs a terminal"), cli.stderr());
    }

    @Test
    @DisplayName("the demo without --headless needs a terminal too, and says so before starting a database")
    void demoWithoutTerminal() {
        assertEquals(ExitCode.USAGE, firmquery("demo", "--size", "1000"));
        String message = cli.stderr();
        assertTrue(message.contains("firmquery demo --headless"), message);
    }
}
