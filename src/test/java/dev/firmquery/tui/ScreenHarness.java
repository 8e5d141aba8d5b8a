package dev.firmquery.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.gui2.DefaultWindowManager;
import com.googlecode.lanterna.gui2.EmptySpace;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.gui2.SameTextGUIThread;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.firmquery.app.OutputFolders;
import dev.firmquery.app.RunExecutor;
import dev.firmquery.app.RunService;
import dev.firmquery.audit.AuditLog;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.tui.core.Background;
import dev.firmquery.tui.core.ManualScheduler;
import dev.firmquery.tui.core.UiContext;
import dev.firmquery.tui.widget.Glyphs;
import dev.firmquery.tui.widget.UiTheme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The UI on Lanterna's virtual terminal: keys go in, the screen text comes out. The GUI thread is the
 * test's thread; {@link #settle()} processes input, tasks and repaints until nothing is left, and the
 * {@code await} methods do that until the screen shows something (background loads and runs) or a
 * generous timeout passes.
 */
final class ScreenHarness implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    final DefaultVirtualTerminal terminal;
    final TerminalScreen screen;
    final MultiWindowTextGUI gui;
    final ManualScheduler scheduler = new ManualScheduler();
    final Background background = Background.start();
    final AtomicReference<ConnectionPool.PoolState> pool =
            new AtomicReference<>(new ConnectionPool.PoolState(0, 0, 0, 0));
    final UiContext context;
    final Ui ui;
    /** The configurations the UI switched the database session to, in order (unless a real switch was given). */
    final java.util.List<dev.firmquery.config.AppConfig> switched = new java.util.concurrent.CopyOnWriteArrayList<>();

    ScreenHarness(TuiSession session, RunExecutor.Factory runners) {
        this(session, runners, new TerminalSize(80, 24));
    }

    ScreenHarness(TuiSession session, RunExecutor.Factory runners, TerminalSize size) {
        this(session, runners, size, null);
    }

    /**
     * @param sessions replaces the database session on a switch; null records the switches in
     *                 {@link #switched} only
     */
    ScreenHarness(TuiSession session, RunExecutor.Factory runners, TerminalSize size,
                  dev.firmquery.tui.profiles.ProfilesController.SessionSwitch sessions) {
        try {
            terminal = new DefaultVirtualTerminal(size);
            screen = new TerminalScreen(terminal);
            screen.startScreen();
            gui = new MultiWindowTextGUI(new SameTextGUIThread.Factory(), screen, new DefaultWindowManager(), null,
                    new EmptySpace(TextColor.ANSI.DEFAULT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Glyphs glyphs = Glyphs.forEnvironment(session.environment());
        gui.setTheme(UiTheme.create(glyphs));
        Supplier<ConnectionPool.PoolState> poolState = pool::get;
        context = new UiContext(gui, glyphs, background, scheduler, System::nanoTime, Clock.systemDefaultZone(),
                () -> LocalTime.of(12, 0, 0));
        RunService service = new RunService(session.queryRoots(), new AuditLog(Map.of()), Clock.systemDefaultZone(),
                new OutputFolders(OutputFolders.stateFolderOf(session.userHome())));
        ui = new Ui(context, session, runners, poolState, service, sessions != null ? sessions : switched::add);
        ui.start();
        settle();
    }

    /** Processes everything pending on the GUI thread. */
    void settle() {
        try {
            for (int i = 0; i < 100; i++) {
                if (!gui.getGUIThread().processEventsAndUpdate()) {
                    if (!gui.isPendingUpdate()) {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Presses keys one after the other. */
    ScreenHarness press(KeyStroke... keys) {
        for (KeyStroke k : keys) {
            terminal.addInput(k);
            settle();
        }
        return this;
    }

    ScreenHarness press(KeyType... types) {
        for (KeyType t : types) {
            press(new KeyStroke(t));
        }
        return this;
    }

    /** Types text, a key per character. */
    ScreenHarness type(String text) {
        for (char c : text.toCharArray()) {
            terminal.addInput(c == '\n' ? new KeyStroke(KeyType.Enter) : new KeyStroke(c, false, false));
        }
        settle();
        return this;
    }

    static KeyStroke ctrl(char c) {
        return new KeyStroke(c, true, false);
    }

    static KeyStroke alt(char c) {
        return new KeyStroke(c, false, true);
    }

    static KeyStroke key(char c) {
        return new KeyStroke(c, false, false);
    }

    /** The screen as text, one line per row, trailing blanks removed. */
    String text() {
        TerminalSize size = terminal.getTerminalSize();
        StringBuilder b = new StringBuilder();
        for (int row = 0; row < size.getRows(); row++) {
            b.append(row(row)).append('\n');
        }
        return b.toString();
    }

    /** One row of the screen, trailing blanks removed. */
    String row(int row) {
        TerminalSize size = terminal.getTerminalSize();
        StringBuilder line = new StringBuilder();
        for (int col = 0; col < size.getColumns(); col++) {
            TextCharacter c = terminal.getCharacter(col, row);
            line.append(c == null ? " " : c.getCharacterString());
        }
        return line.toString().stripTrailing();
    }

    /** Settles until the screen contains {@code expected}; fails with the screen after the timeout. */
    String awaitText(String expected) {
        return await(t -> t.contains(expected), "the screen to show '" + expected + "'");
    }

    /** Settles until {@code condition} holds for the screen text. */
    String await(Predicate<String> condition, String what) {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            settle();
            String t = text();
            if (condition.test(t)) {
                return t;
            }
            if (System.nanoTime() > end) {
                fail("timed out waiting for " + what + "; the screen:\n" + t);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    @Override
    public void close() {
        scheduler.close();
        background.close();
        try {
            screen.stopScreen();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
