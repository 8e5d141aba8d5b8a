package dev.firmquery.cli;

import dev.firmquery.audit.AuditLog;
import dev.firmquery.config.AppConfig;
import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.config.ConfigException;
import dev.firmquery.config.ConfigListing;
import dev.firmquery.config.ConfigLoader;
import dev.firmquery.config.ConfigRequest;
import dev.firmquery.config.LoadedConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.db.Database;
import dev.firmquery.kerberos.HeadlessExpiredTicketHandler;
import dev.firmquery.kerberos.KerberosException;
import dev.firmquery.kerberos.KerberosSession;
import dev.firmquery.kerberos.TicketGuard;
import dev.firmquery.run.RunEngine;
import dev.firmquery.run.RunException;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunSetup;
import dev.firmquery.run.Version;
import dev.firmquery.sql.QueryResolver;
import dev.firmquery.tui.TuiApp;
import dev.firmquery.tui.TuiSession;

import javax.sql.DataSource;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The {@code firmquery} command: parses the command line, loads the configuration and dispatches.
 * Exit codes: 0 completed, 1 partial, 2 usage/config/input/template error, 3 cannot connect or
 * authenticate, 130 interrupted.
 */
public final class Main {
    public static final int EXIT_OK = 0;
    public static final int EXIT_PARTIAL = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_CONNECT = 3;
    public static final int EXIT_INTERRUPTED = 130;

    private static final Set<String> COMMON_VALUES = Set.of("config", "env", "set");
    private static final Set<String> COMMON_FLAGS = Set.of("verbose", "help");
    private static final Set<String> RUN_VALUES = Set.of("ids", "query", "out", "format", "id-column", "id-column-out",
            "resume", "retry-failed");
    private static final Set<String> RUN_FLAGS = Set.of("keep-work");
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
        int code;
        try {
            code = main.run(args);
        } catch (OutOfMemoryError e) {
            System.err.println("firmquery: out of memory (" + e.getMessage() + "); the Java heap is limited by -Xmx in"
                    + " JAVA_OPTS (now " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB): raise it, e.g."
                    + " JAVA_OPTS=-Xmx512m");
            code = EXIT_USAGE;
        }
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** Runs one command line and returns the exit code. */
    public int run(String... argv) {
        List<String> args = Arrays.asList(argv);
        String first = args.isEmpty() ? "" : args.get(0);
        List<String> rest = args.isEmpty() ? args : args.subList(1, args.size());
        try {
            if (args.isEmpty() || isCommonOption(first)) {
                // No command: the full-screen UI (issue #3), with the common options if given.
                return ui(parse("firmquery", args, COMMON_VALUES, COMMON_FLAGS));
            }
            switch (first) {
                case "--help", "-h", "help" -> {
                    out.print(Help.TEXT);
                    return EXIT_OK;
                }
                case "--version", "-V", "version" -> {
                    out.println("firmquery " + version());
                    return EXIT_OK;
                }
                case "run" -> {
                    return run(parse("run", rest, union(COMMON_VALUES, RUN_VALUES), union(COMMON_FLAGS, RUN_FLAGS)));
                }
                case "demo" -> {
                    return demo(parse("demo", rest, union(COMMON_VALUES, DEMO_VALUES), union(COMMON_FLAGS, DEMO_FLAGS)));
                }
                case "queries" -> {
                    return queries(parse("queries", rest, COMMON_VALUES, COMMON_FLAGS));
                }
                case "config" -> {
                    return showConfig(parse("config", rest, COMMON_VALUES, union(COMMON_FLAGS, CONFIG_FLAGS)));
                }
                case "check" -> {
                    return check(parse("check", rest, COMMON_VALUES, COMMON_FLAGS));
                }
                default -> {
                    String hint = Suggest.closest(first, List.of("run", "demo", "queries", "config", "check", "--help",
                            "--version"));
                    throw new UsageException("unknown command '" + first + "'" + (hint == null ? "" : "; did you mean '" + hint + "'?"));
                }
            }
        } catch (UsageException e) {
            err.println("firmquery: " + e.getMessage());
            err.println("Run 'firmquery --help' for the commands and options.");
            return EXIT_USAGE;
        } catch (HelpShown e) {
            return EXIT_OK;
        } catch (CommandFailed e) {
            err.println("firmquery: " + e.getMessage());
            return e.exitCode;
        }
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

    private int run(Args a) throws UsageException, CommandFailed {
        String resume = a.value("resume");
        String retry = a.value("retry-failed");
        if (resume != null || retry != null) {
            if (resume != null && retry != null) {
                throw new UsageException("--resume and --retry-failed are alternatives; give one run directory");
            }
            if (a.value("ids") != null || a.value("query") != null || a.value("out") != null
                    || a.value("format") != null) {
                throw new UsageException("--" + (resume != null ? "resume" : "retry-failed") + " takes the IDs, query "
                        + "and output files from the run directory; drop --ids, --query, --out and --format");
            }
        }
        String ids = resume != null || retry != null ? null
                : a.required("ids", "--ids firm_ids.csv (or --ids - for standard input)");
        String query = resume != null || retry != null ? null
                : a.required("query", "--query firm_details (a name under sql/queries/) or --query my.sql");
        LoadedConfig loaded = config(a);
        Path cwd = Paths.get("").toAbsolutePath();
        boolean keepWork = a.flag("keep-work");
        if (resume != null || retry != null) {
            Path dir = cwd.resolve(resume != null ? resume : retry);
            boolean retryOnly = retry != null;
            return runHeadless(loaded.config(), env, new Preparation("run directory " + dir, null,
                    setup -> setup.resume(dir, retryOnly).withKeepWork(keepWork)));
        }
        RunSetup.Choices choices = new RunSetup.Choices(ids.equals("-") ? null : cwd.resolve(ids), in, query,
                a.value("out") == null ? null : cwd.resolve(a.value("out")), formats(a.value("format")),
                a.value("id-column"), a.value("id-column-out"));
        return runHeadless(loaded.config(), env, new Preparation(null, choices,
                setup -> setup.prepare(choices).withKeepWork(keepWork)));
    }

    /** How a headless run gets its request: a new run from choices, or a resumed one. */
    record Preparation(String description, RunSetup.Choices choices, Preparer preparer) {
    }

    /** Builds the request; throws with exit 2 when the input, template or run directory is unusable. */
    @FunctionalInterface
    interface Preparer {
        RunRequest prepare(RunSetup setup) throws RunException;
    }

    /**
     * Runs one prepared choice headless: preview on stderr, progress, summary on stdout, audit line.
     * Shared by {@code run} and {@code demo}.
     */
    public int runHeadless(AppConfig config, Map<String, String> environment, RunSetup.Choices choices) {
        return runHeadless(config, environment, new Preparation(null, choices, setup -> setup.prepare(choices)));
    }

    private int runHeadless(AppConfig config, Map<String, String> environment, Preparation preparation) {
        AuditLog audit = new AuditLog(env);
        RunSetup setup = new RunSetup(config, RunSetup.queryRoots(appHome, Paths.get("")), Clock.systemDefaultZone());
        RunRequest request;
        try {
            request = preparation.preparer().prepare(setup);
        } catch (RunException e) {
            err.println("firmquery: " + e.getMessage());
            if (preparation.choices() != null) {
                audit.refused(preparation.choices(), e.getMessage());
            } else {
                audit.refused(preparation.description(), e.getMessage());
            }
            return e.exitCode();
        }
        KerberosSession kerberos = null;
        if (config.database().auth() == AppConfig.AuthMode.KERBEROS) {
            try {
                kerberos = KerberosSession.login(config, environment);
            } catch (KerberosException e) {
                err.println("firmquery: Kerberos login failed: " + e.getMessage());
                audit.failed(request, e.getMessage());
                return EXIT_CONNECT;
            }
        }
        Summary.preview(request, config, kerberos, err);
        HeadlessProgress progress = new HeadlessProgress(err, terminal);
        DataSource unpooled = kerberos == null ? Database.dataSource(config.database(), environment)
                : kerberos.dataSource(config.database(), environment);
        try (KerberosSession session = kerberos;
             ConnectionPool pool = new ConnectionPool(unpooled, config.database())) {
            // With Kerberos every chunk first checks the ticket: renewed past half-life; expired for good
            // -> wait for kinit (kerberos.expired_wait), then stop as a resumable partial run.
            TicketGuard guard = session == null ? null : new TicketGuard(pool, session,
                    new HeadlessExpiredTicketHandler(line -> {
                        progress.close();
                        err.println(line);
                    }, config.kerberos().expiredWait(), Clock.systemUTC()));
            RunEngine engine = new RunEngine(guard == null ? pool : guard, progress, new SplittableRandom(),
                    Clock.systemUTC());
            Runnable cancel = guard == null ? engine::cancel : () -> {
                guard.abandonWaits();
                engine.cancel();
            };
            RunReport report;
            Signals.Installed signals = Signals.install(cancel, err, terminal);
            try {
                report = engine.execute(request);
            } finally {
                signals.close();
            }
            progress.close();
            audit.finished(request, report);
            Summary.print(report, out);
            return report.status().exitCode();
        } catch (RunException e) {
            progress.close();
            err.println("firmquery: " + e.getMessage());
            audit.failed(request, e.getMessage());
            return e.exitCode();
        } catch (SQLException e) {
            // The pool could not even be built (a driver or configuration problem, not a network one).
            err.println("firmquery: cannot set up connections to " + Database.describe(config.database()) + ": "
                    + e.getMessage() + "; check the database section of the configuration");
            return EXIT_CONNECT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            progress.close();
            err.println("firmquery: interrupted; files of the finished chunks are kept");
            return EXIT_INTERRUPTED;
        }
    }

    private static boolean isCommonOption(String arg) {
        String name = arg.startsWith("--") ? arg.substring(2).split("=", 2)[0] : "";
        return !name.equals("help") && (COMMON_VALUES.contains(name) || COMMON_FLAGS.contains(name));
    }

    /** {@code firmquery} without a command: the full-screen UI on this terminal. */
    private int ui(Args a) throws CommandFailed {
        if (!terminal) {
            err.println("firmquery: " + TuiApp.NO_TERMINAL_MESSAGE);
            return EXIT_USAGE;
        }
        LoadedConfig loaded = config(a);
        return runUi(uiSession(loaded, TuiSession.Preselection.none()), env);
    }

    /** The UI session for {@code loaded}: query roots, working directory and home of this process. */
    TuiSession uiSession(LoadedConfig loaded, TuiSession.Preselection preselect) {
        Path cwd = Paths.get("").toAbsolutePath();
        return TuiSession.of(loaded, env, RunSetup.queryRoots(appHome, cwd), cwd, userHome, preselect);
    }

    /** Opens the full-screen UI (one connection pool for the session); shared by the bare command and demo. */
    int runUi(TuiSession session, Map<String, String> environment) {
        return TuiApp.run(session, environment, new AuditLog(env), err);
    }

    private int demo(Args a) throws UsageException, CommandFailed {
        if (!a.flag("headless") && !terminal) {
            err.println("firmquery demo: " + TuiApp.NO_TERMINAL_MESSAGE.replace("'firmquery run --ids FILE --query NAME'",
                    "'firmquery demo --headless'"));
            return EXIT_USAGE;
        }
        LoadedConfig loaded = config(a);
        Integer size = a.intValue("size", 1_000, 50_000_000);
        Integer sample = a.intValue("sample", 1, 1_000_000);
        Integer seed = a.intValue("seed", 0, Integer.MAX_VALUE);
        Path cwd = Paths.get("").toAbsolutePath();
        DemoCommand.Options options = new DemoCommand.Options(size == null ? 200_000 : size,
                sample == null ? 50_000 : sample, seed == null ? 42 : seed,
                a.value("out") == null ? null : cwd.resolve(a.value("out")),
                a.value("query") == null ? "firm_details" : a.value("query"), formats(a.value("format")),
                a.flag("headless"));
        return new DemoCommand(this, env, err).run(loaded, options);
    }

    private int queries(Args a) {
        QueryResolver resolver = new QueryResolver(RunSetup.queryRoots(appHome, Paths.get("")));
        var list = resolver.list();
        if (list.isEmpty()) {
            out.println("no queries found under " + RunSetup.queryRoots(appHome, Paths.get("")));
            return EXIT_OK;
        }
        int width = 4;
        for (var q : list) {
            width = Math.max(width, q.name().length());
        }
        for (var q : list) {
            out.printf(Locale.ROOT, "%-" + width + "s  %s%n    %s%n", q.name(), q.description(), q.path());
        }
        return EXIT_OK;
    }

    private int check(Args a) throws CommandFailed {
        LoadedConfig loaded = config(a);
        return new CheckCommand(env, out).run(loaded);
    }

    private int showConfig(Args a) throws CommandFailed {
        LoadedConfig loaded = config(a);
        for (String line : ConfigListing.lines(loaded.settings(), a.flag("describe"))) {
            out.println(line);
        }
        return EXIT_OK;
    }

    /** The configuration, or a {@link CommandFailed} (exit 2) listing every problem. */
    private LoadedConfig config(Args a) throws CommandFailed {
        try {
            return loadConfig(a);
        } catch (ConfigException e) {
            throw new CommandFailed(e.getMessage(), EXIT_USAGE);
        }
    }

    /** A command cannot go on; {@link #run(String...)} prints the message and exits with the code. */
    static final class CommandFailed extends Exception {
        private final int exitCode;

        CommandFailed(String message, int exitCode) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }
    }

    LoadedConfig loadConfig(Args a) throws ConfigException {
        Path cwd = Paths.get("").toAbsolutePath();
        ConfigRequest request = new ConfigRequest(a.value("config") == null ? null : cwd.resolve(a.value("config")),
                a.value("env"), a.all("set"));
        LoadedConfig loaded = new ConfigLoader(appHome, env, userHome).load(request);
        if (ownsLogging) {
            String warning = Logging.configure(loaded.config().logging().directory(), a.flag("verbose"));
            if (warning != null) {
                err.println("firmquery: warning: " + warning);
            }
        }
        for (String w : loaded.warnings()) {
            err.println("firmquery: warning: " + w);
        }
        return loaded;
    }

    private static Set<Format> formats(String value) throws UsageException {
        if (value == null) {
            return null;
        }
        Set<Format> formats = EnumSet.noneOf(Format.class);
        for (String f : value.split(",")) {
            switch (f.trim().toLowerCase(Locale.ROOT)) {
                case "csv" -> formats.add(Format.CSV);
                case "xlsx", "excel" -> formats.add(Format.XLSX);
                case "" -> {
                }
                default -> throw new UsageException("--format " + value + ": unknown format '" + f.trim()
                        + "'; use csv, xlsx or csv,xlsx");
            }
        }
        if (formats.isEmpty()) {
            throw new UsageException("--format " + value + ": name at least one format: csv, xlsx or csv,xlsx");
        }
        return formats;
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
