package dev.firmquery.tui;

import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.gui2.DefaultWindowManager;
import com.googlecode.lanterna.gui2.EmptySpace;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.gui2.SameTextGUIThread;
import com.googlecode.lanterna.gui2.TextGUIThread;
import com.googlecode.lanterna.screen.TerminalScreen;
import dev.firmquery.app.DatabaseSession;
import dev.firmquery.app.SessionMetrics;
import dev.firmquery.app.RunExecutor;
import dev.firmquery.app.RunService;
import dev.firmquery.app.SessionException;
import dev.firmquery.app.SwitchableSession;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.exit.CommandFailure;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.kerberos.TicketGuard;
import dev.firmquery.tui.core.Background;
import dev.firmquery.tui.core.Scheduler;
import dev.firmquery.tui.core.UiContext;
import dev.firmquery.tui.profiles.ProfilesController;
import dev.firmquery.tui.widget.Glyphs;
import dev.firmquery.tui.widget.UiTheme;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The full-screen terminal UI ({@code firmquery} without a command, {@code firmquery demo}): opens
 * Lanterna on the process's terminal, runs the UI until the user quits, and always gives the terminal
 * back as it was, also after a crash, SIGTERM or SIGHUP.
 *
 * <pre>
 * return TuiApp.run(TuiSession.of(loaded, env, roots, cwd, home, Preselection.none()), env, service);
 * </pre>
 */
public final class TuiApp {
    /** What to tell a user who started the UI without a terminal. */
    public static final String NO_TERMINAL_MESSAGE = "the full-screen UI needs a terminal, but standard input or "
            + "output is redirected (a pipe, a file, cron, nohup). Run 'firmquery' in a terminal, or run headless: "
            + "'firmquery run --ids FILE --query NAME' (see 'firmquery --help')";

    private static final Logger log = LoggerFactory.getLogger(TuiApp.class);
    private static final Duration IDLE_SLEEP = Duration.ofMillis(10);

    private final TuiSession session;
    private final RunExecutor.Factory runners;
    private final Supplier<ConnectionPool.PoolState> poolState;
    private final RunService service;
    private final ProfilesController.SessionSwitch sessions;

    /**
     * @param session   what the UI starts with
     * @param runners   runs the requests (the engine on the session's pool in use)
     * @param poolState the pool's counts, for the status bar
     * @param service   prepares, executes and audits the runs
     * @param sessions  replaces the database session (another environment)
     */
    TuiApp(TuiSession session, RunExecutor.Factory runners, Supplier<ConnectionPool.PoolState> poolState,
           RunService service, ProfilesController.SessionSwitch sessions) {
        this.session = session;
        this.runners = runners;
        this.poolState = poolState;
        this.service = service;
        this.sessions = sessions;
    }

    /**
     * Opens the UI on this process's terminal with one {@link DatabaseSession} at a time
     * ({@link SwitchableSession}: the connection profiles replace it between runs).
     * With {@code database.auth: kerberos} it logs in first, runs every chunk behind a
     * {@link TicketGuard} (renewal; an expired ticket makes the UI ask for {@code kinit}), and shows the
     * principal and the ticket's time left in the status bar. {@code metrics.port} and
     * {@code output.metrics_file} export the metrics of every run of the session from start to quit.
     *
     * @param environment the environment for the database password or the Kerberos settings
     * @param service     prepares, executes and audits the UI's runs
     * @return the UI's exit code (see {@link #run()})
     * @throws CommandFailure   without a terminal, when the UI cannot set it up or stops on an error, or
     *                          when the metrics file cannot be written or the metrics port bound
     * @throws SessionException when it cannot log in or set up the connections
     */
    public static ExitCode run(TuiSession session, Map<String, String> environment, RunService service)
            throws CommandFailure, SessionException {
        if (!terminalAvailable()) {
            throw new CommandFailure(NO_TERMINAL_MESSAGE, ExitCode.USAGE);
        }
        try (SwitchableSession db = SwitchableSession.open(session.config(), environment);
             SessionMetrics metrics = SessionMetrics.start(session.config().metrics(), db)) {
            // Read each time: after a switch the login (or none) is the new session's.
            TuiSession s = session.withCredentialsStatus(() -> db.kerberos()
                    .map(login -> login.status().statusBar(Instant.now())));
            return new TuiApp(s, metrics.runners(db), db::poolState, service, db::switchTo).run();
        } catch (IOException e) {
            throw new CommandFailure("cannot write the metrics file a last time: " + e.getMessage()
                    + "; check output.metrics_file's folder", ExitCode.USAGE, e);
        }
    }

    /** Whether standard input and output are a terminal the UI can use. */
    public static boolean terminalAvailable() {
        return System.console() != null;
    }

    /**
     * Runs the UI on this process's terminal until the user quits.
     *
     * @return {@link ExitCode#COMPLETED} when the user quit; {@link ExitCode#INTERRUPTED} after SIGTERM,
     *         SIGHUP or SIGINT or when the terminal went away
     * @throws CommandFailure {@link ExitCode#USAGE} when there is no terminal or it cannot be set up,
     *                        {@link ExitCode#INTERNAL} when the UI stopped on an unexpected error
     */
    ExitCode run() throws CommandFailure {
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        if (!terminalAvailable()) {
            throw new CommandFailure(NO_TERMINAL_MESSAGE, ExitCode.USAGE);
        }
        Charset charset = Glyphs.utf8Locale(session.environment()) ? StandardCharsets.UTF_8 : Charset.defaultCharset();
        FirmqueryTerminal terminal;
        BracketedPaste paste = new BracketedPaste(charset);
        try {
            terminal = new FirmqueryTerminal(paste.filter(in), out, charset);
            terminal.getInputDecoder().addProfile(paste.profile());
        } catch (IOException | RuntimeException e) {
            log.error("cannot set up the terminal", e);
            throw new CommandFailure("cannot set up the terminal for the full-screen UI (" + e.getMessage()
                    + "); check that /dev/tty and /bin/stty are usable, or run headless: 'firmquery run ...'",
                    ExitCode.USAGE, e);
        }
        TerminalScreen screen = null;
        Restore restore = new Restore(terminal);
        Scheduler scheduler = Scheduler.onTimerThread();
        Background background = Background.start();
        try {
            screen = new TerminalScreen(terminal);
            restore.screen = screen;
            System.setOut(new PrintStream(new LogStream(log, "standard output"), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new LogStream(log, "standard error"), true, StandardCharsets.UTF_8));
            screen.startScreen();
            terminal.bracketedPaste(true);
            MultiWindowTextGUI gui = new MultiWindowTextGUI(new SameTextGUIThread.Factory(), screen,
                    new DefaultWindowManager(), null, new EmptySpace(TextColor.ANSI.DEFAULT));
            Glyphs glyphs = Glyphs.forEnvironment(session.environment());
            gui.setTheme(UiTheme.create(glyphs));
            UiContext context = new UiContext(gui, glyphs, background, scheduler, System::nanoTime,
                    Clock.systemDefaultZone(), UiContext.systemTimeOfDay());
            Ui ui = new Ui(context, session, runners, poolState, service, sessions);
            try (TerminalSignals signals = new TerminalSignals(ui::requestShutdown, restore::run)) {
                ui.start();
                loop(gui.getGUIThread(), ui);
            }
            log.info("UI closed (exit code {})", ui.exitCode());
            return ui.exitCode();
        } catch (IOException | RuntimeException e) {
            log.error("the full-screen UI failed", e);
            restore.run();
            System.setOut(out);
            System.setErr(err);
            // A terminal that fails is the host's problem; any other exception is a bug of ours.
            throw new CommandFailure("the full-screen UI stopped because of an error: " + e + "; the details are in "
                    + "the log (" + session.config().logging().directory().resolve("firmquery.log") + ")",
                    e instanceof IOException ? ExitCode.USAGE : ExitCode.INTERNAL, e);
        } finally {
            scheduler.close();
            background.close();
            restore.run();
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Processes input, tasks and repaints until the UI closes; sleeps briefly when idle. */
    private static void loop(TextGUIThread thread, Ui ui) {
        while (!ui.isClosed()) {
            try {
                if (!thread.processEventsAndUpdate()) {
                    Thread.sleep(IDLE_SLEEP.toMillis());
                }
                if (ui.ioErrors() > 100) {
                    throw new EOFException("too many terminal I/O errors");
                }
            } catch (EOFException e) {
                // The terminal is gone (SSH dropped, stdin closed): finish a run's files without a screen.
                log.warn("terminal input ended: {}", e.getMessage());
                ui.requestShutdown("the terminal closed");
                try {
                    ui.awaitRunEnd(Duration.ofMinutes(10));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                return;
            } catch (IOException e) {
                log.error("terminal I/O error", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ui.requestShutdown("interrupted");
                return;
            }
        }
    }

    /**
     * Leaves the alternate screen and gives the terminal its stty settings back, once, whichever of the
     * normal exit, the error path or a second signal (on the signal thread) comes first; never throws.
     */
    private static final class Restore implements Runnable {
        private final FirmqueryTerminal terminal;
        private volatile TerminalScreen screen;
        private boolean done;

        Restore(FirmqueryTerminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public synchronized void run() {
            if (done) {
                return;
            }
            done = true;
            try {
                terminal.bracketedPaste(false);
            } catch (IOException | RuntimeException e) {
                log.debug("ending bracketed paste failed", e);
            }
            try {
                if (screen != null) {
                    screen.stopScreen(false);
                }
            } catch (IOException | RuntimeException e) {
                log.debug("leaving the screen failed", e);
            }
            try {
                terminal.close();
            } catch (IOException | RuntimeException e) {
                log.debug("restoring the terminal failed", e);
            }
        }
    }
}
