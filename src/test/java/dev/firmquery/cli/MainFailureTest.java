package dev.firmquery.cli;

import dev.firmquery.config.ConfigException;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.run.RunException;
import dev.firmquery.testing.CliHarness;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a failure that ends a command reaches the user: its message on stderr and its exit code. */
class MainFailureTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private ExitCode failed(Exception e) {
        return Main.failed(e, new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("a usage error: its message, a pointer to --help, exit 2")
    void usage() {
        assertEquals(ExitCode.USAGE, failed(new UsageException("unknown option --idz; did you mean --ids?")));
        assertEquals("firmquery: unknown option --idz; did you mean --ids?\n"
                + "Run 'firmquery --help' for the commands and options.\n", stderr());
    }

    @Test
    @DisplayName("a configuration error: every problem, no --help pointer, exit 2")
    void configuration() {
        assertEquals(ExitCode.USAGE, failed(new ConfigException(List.of("a", "b"))));
        assertTrue(stderr().startsWith("firmquery: 2 configuration errors:"), stderr());
        assertFalse(stderr().contains("--help"), stderr());
    }

    @Test
    @DisplayName("a run failure ends with the code it carries")
    void runFailure() {
        assertEquals(ExitCode.CONNECT, failed(new RunException("cannot connect to db:5432", ExitCode.CONNECT)));
        assertEquals("firmquery: cannot connect to db:5432\n", stderr());
    }

    @Test
    @DisplayName("any other exception is a bug: exit 70, said to be one, the stack trace in the log")
    void internal() {
        assertEquals(ExitCode.INTERNAL, failed(new IllegalStateException("chunk index out of range")));
        assertTrue(stderr().startsWith("firmquery: internal error: java.lang.IllegalStateException: chunk index out "
                + "of range; this is a bug"), stderr());
    }

    @Test
    @DisplayName("--help lists every exit code with its meaning, from the enum")
    void helpListsEveryCode() {
        CliHarness cli = new CliHarness(tmp);
        assertEquals(ExitCode.COMPLETED, cli.run(Map.of(), "--help"));
        for (ExitCode c : ExitCode.values()) {
            assertTrue(cli.stdout().contains(String.format("  %-4d %s%n", c.code(), c.meaning())), c + "\n" + cli.stdout());
        }
    }

    @Test
    @DisplayName("an unknown command goes through the same path: exit 2 with a suggestion")
    void unknownCommand() {
        CliHarness cli = new CliHarness(tmp);
        assertEquals(ExitCode.USAGE, cli.run(Map.of(), "rn"));
        assertTrue(cli.stderr().contains("unknown command 'rn'; did you mean 'run'?"), cli.both());
        assertTrue(cli.stderr().contains("firmquery --help"), cli.both());
    }
}
