package dev.firmquery.testing;

import dev.firmquery.cli.Main;
import dev.firmquery.exit.ExitCode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs the {@code firmquery} command line in-process, as a user would: arguments, environment and
 * standard input in; what it printed on stdout and stderr and the {@link ExitCode} out. Standard error
 * is not a terminal (no progress line rewritten in place, no full-screen UI) and the test keeps its own
 * logging. Each run starts with empty streams.
 *
 * <pre>
 * CliHarness cli = new CliHarness(tmp);
 * assertEquals(ExitCode.COMPLETED, cli.run(env, "run", "--ids", ids, "--query", "firm_details"), cli.both());
 * assertTrue(cli.stdout().contains("firmquery: completed"));
 * </pre>
 */
public final class CliHarness {
    private final Path userHome;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** @param userHome the user's home directory the command sees (for {@code ~/.config/firmquery}) */
    public CliHarness(Path userHome) {
        this.userHome = userHome;
    }

    /** Runs {@code firmquery args...} with {@code env} and an empty standard input. */
    public ExitCode run(Map<String, String> env, String... args) {
        return runWithInput(env, "", args);
    }

    /** Runs {@code firmquery args...} with {@code env}, {@code stdin} (UTF-8) as standard input. */
    public ExitCode runWithInput(Map<String, String> env, String stdin, String... args) {
        out.reset();
        err.reset();
        Main main = new Main(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), TestConfigs.home(), userHome,
                false, false);
        return main.run(args);
    }

    /** What the last run printed on standard output (summaries, listings). */
    public String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What the last run printed on standard error (preview, progress, warnings, errors). */
    public String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Both streams, for assertion messages. */
    public String both() {
        return "--- stdout\n" + stdout() + "--- stderr\n" + stderr();
    }
}
