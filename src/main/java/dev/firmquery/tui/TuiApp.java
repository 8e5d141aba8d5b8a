package dev.firmquery.tui;

import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.gui2.DefaultWindowManager;
import com.googlecode.lanterna.gui2.EmptySpace;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.gui2.SameTextGUIThread;
import com.googlecode.lanterna.gui2.TextGUIThread;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.Terminal;
import dev.firmquery.audit.AuditLog;
import dev.firmquery.db.ConnectionPool;
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

/**
 * The full-screen terminal UI ({@code firmquery} without a command, {@code firmquery demo}): opens
 * Lanterna on the process's terminal, runs the UI until the user quits, and always gives the terminal
 * back as it was, also after a crash, SIGTERM or SIGHUP.
 *
 * <pre>
 * try (ConnectionPool pool = new ConnectionPool(Database.dataSource(config.database(), env), config.database())) {
 *     return new TuiApp(TuiSession.of(loaded, env, roots, cwd, home, Preselection.none()), pool,
 *             new AuditLog(env)).run();
 * }
 * </pre>
 */
public final class TuiApp {
    /** Exit code when there is no terminal to draw on. */
    public static final int EXIT_NO_TERMINAL = 2;
    /** What to tell a user who started the UI without a terminal. */
    public static final String NO_TERMINAL_MESSAGE = "the full-screen UI needs a terminal, but standard input or "
            + "output is redirected (a pipe, a file, cron, nohup). Run 'firmquery' in a terminal, or run headless: "
            + "'firmquery run --ids FILE --query NAME' (see 'firmquery --help')";

    private static final Logger log = LoggerFactory.getLogger(TuiApp.class);
    private static final Duration IDLE_SLEEP = Duration.ofMillis(10);

    private final TuiSession session;
    private final ConnectionPool pool;
    private final AuditLog audit;

    /**
     * @param session what the UI starts with
     * @param pool    the connection pool of the whole session (every run uses it; the caller closes it)
     * @param audit   where runs are recorded
     */
    public TuiApp(TuiSession session, ConnectionPool pool, AuditLog audit) {
        this.session = session;
        this.pool = pool;
        this.audit = audit;
    }

    /** Whether standard input and output are a terminal the UI can use. */
    public static boolean terminalAvailable() {
        return System.console() != null;
    }

    /**
     * Runs the UI on this process's terminal until the user quits.
     *
     * @return 0 when the user quit; 130 after SIGTERM, SIGHUP or SIGINT or when the terminal went away;
     *         {@link #EXIT_NO_TERMINAL} when there is no terminal or it cannot be set up
     */
    public int run() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        if (!terminalAvailable()) {
            err.println("firmquery: " + NO_TERMINAL_MESSAGE);
            return EXIT_NO_TERMINAL;
        }
        Charset charset = Glyphs.utf8Locale(session.environment()) ? StandardCharsets.UTF_8 : Charset.defaultCharset();
        Terminal terminal;
        try {
            terminal = new FirmqueryTerminal(in, out, charset);
        } catch (IOException | RuntimeException e) {
            log.error("cannot set up the terminal", e);
            err.println("firmquery: cannot set up the terminal for the full-screen UI (" + e.getMessage()
                    + "); check that /dev/tty and /bin/stty are usable, or run headless: 'firmquery run ...'");
            return EXIT_NO_TERMINAL;
        }
        TerminalScreen screen = null;
        Restore restore = new Restore(terminal);
        Scheduler scheduler = Scheduler.onTimerThread();
        try {
            screen = new TerminalScreen(terminal);
            restore.screen = screen;
            System.setOut(new PrintStream(new LogStream(log, "standard output"), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new LogStream(log, "standard error"), true, StandardCharsets.UTF_8));
            screen.startScreen();
            MultiWindowTextGUI gui = new MultiWindowTextGUI(new SameTextGUIThread.Factory(), screen,
                    new DefaultWindowManager(), null, new EmptySpace(TextColor.ANSI.DEFAULT));
            gui.setTheme(UiTheme.create(Glyphs.forEnvironment(session.environment())));
            Ui ui = new Ui(gui, session, Runner.engine(pool), pool::snapshot, audit, scheduler, System::nanoTime, Clock.systemDefaultZone(),
                    LiveRun.systemTime());
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
            err.println("firmquery: the full-screen UI stopped because of an error: " + e
                    + "; the details are in the log (" + session.config().logging().directory().resolve("firmquery.log")
                    + ")");
            return EXIT_NO_TERMINAL;
        } finally {
            scheduler.close();
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
        private final Terminal terminal;
        private volatile TerminalScreen screen;
        private boolean done;

        Restore(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public synchronized void run() {
            if (done) {
                return;
            }
            done = true;
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
