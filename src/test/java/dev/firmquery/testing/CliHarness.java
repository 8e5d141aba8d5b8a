package dev.firmquery.testing;

import dev.firmquery.cli.Main;
import dev.firmquery.exit.ExitCode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;

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
 *
 * <p>The specs of commands against a test database use {@link #on}: {@link #firmquery} then runs with
 * the database's environment ({@link TestConfigs#environment}) and the variables given {@link #with};
 * {@link #idFile}, {@link #resultFiles} and {@link #process} are the fixtures they share.
 */
public final class CliHarness {
    private final Path userHome;
    private final Map<String, String> environment;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** @param userHome the user's home directory the command sees (for {@code ~/.config/firmquery}) */
    public CliHarness(Path userHome) {
        this(userHome, Map.of());
    }

    private CliHarness(Path userHome, Map<String, String> environment) {
        this.userHome = userHome;
        this.environment = Map.copyOf(environment);
    }

    /** A harness whose {@link #firmquery} runs against {@code db}, as the user whose home is {@code userHome}. */
    public static CliHarness on(TestPostgres.TestDatabase db, Path userHome) {
        return new CliHarness(userHome, TestConfigs.environment(db));
    }

    /** This harness with the environment variable {@code name} set to {@code value} for {@link #firmquery}. */
    public CliHarness with(String name, String value) {
        Map<String, String> env = new HashMap<>(environment);
        env.put(name, value);
        return new CliHarness(userHome, env);
    }

    /** The environment {@link #firmquery} runs with: the database's and the variables given {@link #with}. */
    public Map<String, String> environment() {
        return environment;
    }

    /** Runs {@code firmquery args...} with {@link #environment()} and an empty standard input. */
    public ExitCode firmquery(String... args) {
        return run(environment, args);
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

    /** Writes the ID file {@code file}: the header {@code firm_root_id}, then {@code ids} one a line. */
    public static Path idFile(Path file, LongStream ids) throws IOException {
        StringBuilder sb = new StringBuilder("firm_root_id\n");
        ids.forEach(v -> sb.append(v).append('\n'));
        return Files.writeString(file, sb.toString());
    }

    /** What {@code dir} holds, files and folders ({@code .firmquery} too), sorted by name. */
    public static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    /** The regular files of {@code dir} a run published, sorted by name: its run reports and working folder left out. */
    public static List<Path> resultFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith("_report.json"))
                    .sorted().toList();
        }
    }

    /**
     * A real {@code firmquery args...} process, in its own JVM on the tests' class path (for signals), with
     * {@code env} added to the environment and its log in {@code logs}; the caller redirects its output.
     */
    public static ProcessBuilder process(Map<String, String> env, Path logs, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dfirmquery.home=" + TestConfigs.home(),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.environment().put("FIRMQUERY_LOGGING_DIRECTORY", logs.toString());
        return pb;
    }
}
