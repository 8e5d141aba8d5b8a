package dev.firmquery.cli;

import dev.firmquery.app.OutputFolders;
import dev.firmquery.app.Preparation;
import dev.firmquery.app.RunService;
import dev.firmquery.audit.AuditLog;
import dev.firmquery.config.AppConfig;
import dev.firmquery.config.ConfigException;
import dev.firmquery.config.ConfigListing;
import dev.firmquery.config.ConfigLoader;
import dev.firmquery.config.ConfigRequest;
import dev.firmquery.config.LoadedConfig;
import dev.firmquery.exit.CommandFailure;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.exit.FirmqueryException;
import dev.firmquery.run.RunSetup;
import dev.firmquery.run.RunStatus;
import dev.firmquery.run.Version;
import dev.firmquery.config.SystemLayer;
import dev.firmquery.sql.QueryRoots;
import dev.firmquery.text.TerminalText;
import dev.firmquery.tui.TuiApp;
import dev.firmquery.tui.TuiSession;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code firmquery} command: parses the command line, loads the configuration and dispatches to
 * the command, which does its work through the {@code app} service layer. A command ends with an
 * {@link ExitCode}, returned or carried by the {@link FirmqueryException} it throws; {@link #run}
 * turns the exception into its message on stderr, and {@link #main} is the one place that turns the
 * {@link ExitCode} into the process's exit status.
 */
public final class Main {

    private static final Set<String> COMMON_VALUES = Set.of("config", "env", "set");
    private static final Set<String> COMMON_FLAGS = Set.of("verbose", "help");
    private static final Set<String> RUN_VALUES = Set.of("ids", "query", "out", "format", "id-column", "id-column-out", "sheet", "param",
            "resume", "retry-failed", "metrics-file", "metrics-port");
    private static final Set<String> RUN_FLAGS = Set.of("keep-work");
    private static final Set<String> BATCH_VALUES = Set.of("resume", "metrics-file", "metrics-port");
    private static final Set<String> EXPLAIN_VALUES = Set.of("ids", "query", "chunk", "id-column", "sheet", "param");
    private static final Set<String> DEMO_VALUES = Set.of("size", "sample", "seed", "out", "format", "query");
    private static final Set<String> DEMO_FLAGS = Set.of("headless");
    private static final Set<String> CONFIG_FLAGS = Set.of("describe");

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final Path appHome;
    private final Path userHome;
    private final boolean terminal;
    private final boolean ownsLogging;

    /**
     * @param env      the process environment
     * @param out      summaries and listings
     * @param err      progress, warnings and errors
     * @param in       standard input, for {@code --ids -}
     * @param appHome  the installation: {@code config/}, {@code sql/queries/}
     * @param userHome the user's home, for {@code ~/.config/firmquery/config.yaml}
     * @param terminal whether stderr is an interactive terminal (progress line rewritten in place)
     * @param ownsLogging whether to point Logback at {@code logging.directory} (the process's own
     *                 command line does; an embedding program or a test keeps its logging)
     */
    public Main(Map<String, String> env, PrintStream out, PrintStream err, InputStream in, Path appHome,
                Path userHome, boolean terminal, boolean ownsLogging) {
        this.env = Map.copyOf(env);
        this.out = out;
        this.err = err;
        this.in = in;
        this.appHome = appHome;
        this.userHome = userHome;
        this.terminal = terminal;
        this.ownsLogging = ownsLogging;
    }

    public static void main(String[] args) {
        Logging.preset(defaultLogDir(System.getenv()));
        Main main = new Main(System.getenv(), System.out, System.err, System.in, locateHome(),
                Paths.get(System.getProperty("user.home")), System.console() != null, true);
        ExitCode code;
        try {
            code = main.run(args);
        } catch (OutOfMemoryError e) {
            // The fix is a setting (the heap size), as for any other configuration error.
            System.err.println("firmquery: out of memory (" + e.getMessage() + "); the Java heap is limited by -Xmx in"
                    + " JAVA_OPTS (now " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB): raise it, e.g."
                    + " JAVA_OPTS=-Xmx512m");
            code = ExitCode.USAGE;
        }
        System.out.flush();
        System.err.flush();
        System.exit(code.code());
    }

    /**
     * Runs one command line. Never throws: a {@link FirmqueryException} is printed (what failed and the
     * fix) and ends with its code; any other exception is a bug, logged with its stack trace, and ends
     * with {@link ExitCode#INTERNAL}.
     */
    public ExitCode run(String... argv) {
        List<String> args = Arrays.asList(argv);
        String first = args.isEmpty() ? "" : args.get(0);
        List<String> rest = args.isEmpty() ? args : args.subList(1, args.size());
        try {
            if (args.isEmpty() || isCommonOption(first)) {
                // No command: the full-screen UI (docs/tui.md), with the common options if given.
                return ui(parse("firmquery", args, COMMON_VALUES, COMMON_FLAGS));
            }
            switch (first) {
                case "--help", "-h", "help" -> {
                    out.print(Help.TEXT);
                    return ExitCode.COMPLETED;
                }
                case "--version", "-V", "version" -> {
                    out.print(Version.describe());
                    return ExitCode.COMPLETED;
                }
                case "run" -> {
                    return run(parse("run", rest, union(COMMON_VALUES, RUN_VALUES), union(COMMON_FLAGS, RUN_FLAGS)));
                }
                case "batch" -> {
                    return batch(rest);
                }
                case "demo" -> {
                    return demo(parse("demo", rest, union(COMMON_VALUES, DEMO_VALUES), union(COMMON_FLAGS, DEMO_FLAGS)));
                }
                case "queries" -> {
                    return queries(rest);
                }
                case "config" -> {
                    return showConfig(parse("config", rest, COMMON_VALUES, union(COMMON_FLAGS, CONFIG_FLAGS)));
                }
                case "check" -> {
                    return check(parse("check", rest, COMMON_VALUES, COMMON_FLAGS));
                }
                case "explain" -> {
                    return explain(parse("explain", rest, union(COMMON_VALUES, EXPLAIN_VALUES), COMMON_FLAGS));
                }
                default -> {
                    String hint = Suggest.closest(first, List.of("run", "batch", "demo", "queries", "config", "check", "explain", "--help",
                            "--version"));
                    throw new UsageException("unknown command '" + first + "'" + (hint == null ? "" : "; did you mean '" + hint + "'?"));
                }
            }
        } catch (HelpShown e) {
            return ExitCode.COMPLETED;
        } catch (FirmqueryException | RuntimeException e) {
            return failed(e, err);
        }
    }

    /**
     * The one place a failure becomes what the user reads and the code the process ends with: a
     * {@link FirmqueryException}'s message (what failed, where, the fix) and its {@link ExitCode}, with
     * a pointer to {@code --help} for a usage error; any other exception is a bug of ours, logged with
     * its stack trace, and ends with {@link ExitCode#INTERNAL}.
     */
    static ExitCode failed(Exception e, PrintStream err) {
        if (e instanceof FirmqueryException f) {
            err.println("firmquery: " + TerminalText.printable(f.getMessage())); // server error texts may hold control characters
            if (f instanceof UsageException) {
                err.println("Run 'firmquery --help' for the commands and options.");
            }
            return f.exitCode();
        }
        // Looked up here, not in a static field: a static logger starts Logback when Main is loaded, before
        // main() presets the log directory, and the log then goes to the default directory.
        LoggerFactory.getLogger(Main.class).error("internal error", e);
        err.println("firmquery: internal error: " + e + "; this is a bug in firmquery: please report it with the "
                + "stack trace from the application log (logging.directory, firmquery.log)");
        return ExitCode.INTERNAL;
    }

    private Args parse(String command, List<String> rest, Set<String> values, Set<String> flags)
            throws UsageException, HelpShown {
        Args a = Args.parse(command, rest, values, flags);
        if (a.flag("help")) {
            out.print(Help.TEXT);
            throw new HelpShown();
        }
        return a;
    }

    /** Thrown to end a command after printing help. */
    private static final class HelpShown extends Exception {
        HelpShown() {
            super(null, null, false, false);
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** {@code firmquery run}: a new run, {@code --resume} or {@code --retry-failed}, headless. */
    private ExitCode run(Args a) throws FirmqueryException {
        RunSetup.Choices jobs = RunCommand.jobChoices(a, Paths.get("").toAbsolutePath(), in);
        if (jobs != null) {
            AppConfig config = loadConfig(a).config();
            config = config.withMetrics(RunCommand.metricsOptions(a, Paths.get("").toAbsolutePath(), config.metrics()));
            return new RunCommand(env, out, err, QueryRoots.paths(queryRoots(Paths.get("").toAbsolutePath())), terminal,
                    outputFolders())
                    .runJobs(config, env, jobs, RunCommand.queries(a), a.flag("keep-work"));
        }
        Preparation preparation = RunCommand.preparation(a, Paths.get("").toAbsolutePath(), in);
        LoadedConfig loaded = loadConfig(a);
        AppConfig config = loaded.config();
        config = config.withMetrics(RunCommand.metricsOptions(a, Paths.get("").toAbsolutePath(), config.metrics()));
        return runHeadless(config, env, preparation);
    }

    /**
     * {@code firmquery batch FILE.yaml [options]}: the jobs of a batch file, headless
     * ({@link RunCommand#runBatch}).
     */
    private ExitCode batch(List<String> rest) throws FirmqueryException, HelpShown {
        boolean named = !rest.isEmpty() && !rest.get(0).startsWith("--");
        Args a = parse("batch", named ? rest.subList(1, rest.size()) : rest, union(COMMON_VALUES, BATCH_VALUES),
                union(COMMON_FLAGS, RUN_FLAGS));
        Path cwd = Paths.get("").toAbsolutePath();
        if (a.value("resume") != null) {
            if (named) {
                throw new UsageException("--resume takes the batch file from the batch folder; drop " + rest.get(0));
            }
            AppConfig config = loadConfig(a).config();
            config = config.withMetrics(RunCommand.metricsOptions(a, cwd, config.metrics()));
            return new RunCommand(env, out, err, QueryRoots.paths(queryRoots(cwd)), terminal, outputFolders())
                    .resumeBatch(config, env, cwd.resolve(a.value("resume")), a.flag("keep-work"));
        }
        if (!named) {
            throw new UsageException("missing the batch file; for example: firmquery batch jobs.yaml"
                    + " (docs/operations.md, \"Several queries over one ID list\")");
        }
        dev.firmquery.app.BatchFile batch = dev.firmquery.app.BatchFile.read(cwd.resolve(rest.get(0)));
        AppConfig config = loadConfig(a).config();
        config = config.withMetrics(RunCommand.metricsOptions(a, cwd, config.metrics()));
        return new RunCommand(env, out, err, QueryRoots.paths(queryRoots(cwd)), terminal, outputFolders())
                .runBatch(config, env, batch, null, a.flag("keep-work"));
    }

    /** Runs one preparation headless ({@link RunCommand}); shared by {@code run} and {@code demo}. */
    ExitCode runHeadless(AppConfig config, Map<String, String> environment, Preparation preparation)
            throws FirmqueryException {
        return new RunCommand(env, out, err, QueryRoots.paths(queryRoots(Paths.get("").toAbsolutePath())), terminal,
                    outputFolders())
                .run(config, environment, preparation);
    }

    private static boolean isCommonOption(String arg) {
        String name = arg.startsWith("--") ? arg.substring(2).split("=", 2)[0] : "";
        return !name.equals("help") && (COMMON_VALUES.contains(name) || COMMON_FLAGS.contains(name));
    }

    /** {@code firmquery} without a command: the full-screen UI on this terminal. */
    private ExitCode ui(Args a) throws FirmqueryException {
        if (!terminal) {
            throw new CommandFailure(TuiApp.NO_TERMINAL_MESSAGE, ExitCode.USAGE);
        }
        LoadedConfig loaded = loadConfig(a);
        return runUi(uiSession(loaded, TuiSession.Preselection.none())
                .withConfigSource(new ConfigLoader(appHome, env, userHome), configRequest(a)), env);
    }

    /** The UI session for {@code loaded}: query roots, working directory and home of this process. */
    TuiSession uiSession(LoadedConfig loaded, TuiSession.Preselection preselect) {
        Path cwd = Paths.get("").toAbsolutePath();
        return TuiSession.of(loaded, env, QueryRoots.paths(queryRoots(cwd)), cwd, userHome, preselect);
    }

    /** The user's list of output folders used, which every run adds its folder to (the UI's run history reads it). */
    private OutputFolders outputFolders() {
        return new OutputFolders(OutputFolders.stateFolderOf(userHome));
    }

    /** Opens the full-screen UI (one database session for the UI session); shared by the bare command and demo. */
    ExitCode runUi(TuiSession session, Map<String, String> environment) throws FirmqueryException {
        RunService service = new RunService(session.queryRoots(), new AuditLog(env), Clock.systemDefaultZone(),
                outputFolders());
        return TuiApp.run(session, environment, service);
    }

    private ExitCode demo(Args a) throws FirmqueryException {
        if (!a.flag("headless") && !terminal) {
            throw new CommandFailure(TuiApp.NO_TERMINAL_MESSAGE.replace("'firmquery run --ids FILE --query NAME'",
                    "'firmquery demo --headless'"), ExitCode.USAGE);
        }
        DemoCommand.Options options = DemoCommand.Options.of(a, Paths.get("").toAbsolutePath());
        LoadedConfig loaded = loadConfig(a);
        return new DemoCommand(this, err).run(loaded, options);
    }

    /**
     * {@code firmquery queries} and {@code firmquery queries show NAME} ({@link QueriesCommand}).
     */
    private ExitCode queries(List<String> rest) throws ConfigException, UsageException, HelpShown {
        boolean show = !rest.isEmpty() && rest.get(0).equals("show");
        List<String> options = show ? rest.subList(1, rest.size()) : rest;
        String name = null;
        if (show) {
            if (options.isEmpty() || options.get(0).startsWith("--")) {
                throw new UsageException("queries show needs a query name, e.g. firmquery queries show firm_details"
                        + " (firmquery queries lists them)");
            }
            name = options.get(0);
            options = options.subList(1, options.size());
        }
        Args a = parse(show ? "queries show" : "queries", options, COMMON_VALUES, COMMON_FLAGS);
        LoadedConfig loaded = loadConfig(a);
        QueriesCommand command = new QueriesCommand(out, err, queryRoots(Paths.get("").toAbsolutePath()),
                loaded.config());
        return show ? command.show(name) : command.list();
    }

    /** Where query names are looked up, highest first ({@link QueryRoots#standard}). */
    List<QueryRoots.Root> queryRoots(Path cwd) {
        return QueryRoots.standard(cwd, userHome, SystemLayer.queryFolder(env), appHome);
    }

    /** {@code firmquery explain}: the plan of one chunk ({@link ExplainCommand}). */
    private ExitCode explain(Args a) throws FirmqueryException {
        LoadedConfig loaded = loadConfig(a);
        Path cwd = Paths.get("").toAbsolutePath();
        return new ExplainCommand(out, QueryRoots.paths(queryRoots(cwd))).run(loaded.config(), env, a, cwd, in);
    }

    private ExitCode check(Args a) throws ConfigException {
        LoadedConfig loaded = loadConfig(a);
        return new CheckCommand(env, out).run(loaded);
    }

    private ExitCode showConfig(Args a) throws ConfigException {
        LoadedConfig loaded = loadConfig(a);
        for (String line : ConfigListing.lines(loaded.settings(), a.flag("describe"))) {
            out.println(line);
        }
        return ExitCode.COMPLETED;
    }

    /** What the command line asks of the configuration: {@code --config}, {@code --env}, {@code --set}. */
    private static ConfigRequest configRequest(Args a) {
        Path cwd = Paths.get("").toAbsolutePath();
        return new ConfigRequest(a.value("config") == null ? null : cwd.resolve(a.value("config")), a.value("env"),
                a.all("set"));
    }

    /** The configuration, with its warnings printed; a {@link ConfigException} lists every problem. */
    LoadedConfig loadConfig(Args a) throws ConfigException {
        LoadedConfig loaded = new ConfigLoader(appHome, env, userHome).load(configRequest(a));
        if (ownsLogging) {
            String warning = Logging.configure(loaded.config().logging().directory(), a.flag("verbose"),
                    loaded.config().logging().json());
            if (warning != null) {
                err.println("firmquery: warning: " + warning);
            }
        }
        for (String w : loaded.warnings()) {
            err.println("firmquery: warning: " + w);
        }
        return loaded;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        var s = new java.util.HashSet<>(a);
        s.addAll(b);
        return s;
    }

    /** The version from the jar's build, e.g. {@code 0.1.0}. */
    public static String version() {
        return Version.current();
    }

    /**
     * The installation directory: {@code -Dfirmquery.home} (set by bin/firmquery), else the directory
     * above {@code target/firmquery.jar}, else the current directory.
     */
    static Path locateHome() {
        String prop = System.getProperty("firmquery.home");
        if (prop != null && !prop.isBlank()) {
            return Paths.get(prop).toAbsolutePath().normalize();
        }
        try {
            Path code = Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path parent = code.getParent();
            if (parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("target")
                    && parent.getParent() != null && Files.isDirectory(parent.getParent().resolve("config"))) {
                return parent.getParent();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to the current directory
        }
        return Paths.get("").toAbsolutePath();
    }

    private static Path defaultLogDir(Map<String, String> env) {
        String fromEnv = env.get("FIRMQUERY_LOGGING_DIRECTORY");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Paths.get(fromEnv);
        }
        return Paths.get(System.getProperty("user.home"), ".local", "state", "firmquery", "logs");
    }

    Map<String, String> environmentWith(String key, String value) {
        Map<String, String> m = new HashMap<>(env);
        if (value != null) {
            m.put(key, value);
        }
        return m;
    }
}
