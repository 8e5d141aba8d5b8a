package dev.firmquery.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.tui.core.Action;
import dev.firmquery.tui.core.View;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.firmquery.tui.ScreenHarness.alt;
import static dev.firmquery.tui.ScreenHarness.ctrl;
import static dev.firmquery.tui.ScreenHarness.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frame around the windows: tabs, key hints, status bar, help, keys, resizing, plain terminals. */
class WindowAndKeysTest {
    @TempDir
    Path dir;

    private ScreenHarness ui;

    @AfterEach
    void close() {
        if (ui != null) {
            ui.close();
        }
    }

    private ScreenHarness open(TuiSession session) {
        ui = new ScreenHarness(session, new ScriptedRunner());
        return ui;
    }

    @Test
    @DisplayName("the status bar shows the database, the run state, the auth mode, the credentials hook and the pool")
    void statusBar() {
        TuiSession session = Sessions.session(dir, "database.host=db.example", "database.port=26257",
                "database.database=firms").withCredentialsStatus(() -> Optional.of("ana@CORP 7h12m left"));
        open(session);
        ui.pool.set(new ConnectionPool.PoolState(2, 1, 1, 0));
        ui.scheduler.tick();
        ui.settle();
        String status = ui.row(23);
        assertEquals(" db.example:26257/firms │ idle │ kerberos ana@CORP 7h12m left │ pool 1/2 busy", status);
        ui.close();

        ui = new ScreenHarness(session, new ScriptedRunner(), new TerminalSize(120, 30));
        ui.pool.set(new ConnectionPool.PoolState(2, 1, 1, 0));
        ui.scheduler.tick();
        ui.settle();
        assertTrue(ui.row(29).endsWith("kerberos ana@CORP 7h12m left │ pool 1 busy 1 idle of 2"), ui.row(29));
    }

    @Test
    @DisplayName("each window shows its keys, with a Ctrl or Alt alternative for every F-key")
    void keyHints() {
        open(Sessions.session(dir));
        assertTrue(ui.row(0).contains("F2/M-i Input") && ui.row(0).contains("F8/M-p Progress")
                && ui.row(0).contains("F9/M-s Results") && ui.row(0).contains("F7/M-c Config")
                && ui.row(0).contains("F1/? Help"), ui.row(0));
        assertEquals(" F3/^O Browse  M-v Paste IDs  F4/M-l Load  F5/^R Run  F10/q Quit  F1 all keys", ui.row(22));
        ui.press(alt('p'));
        assertEquals(View.PROGRESS, ui.ui.view());
        assertTrue(ui.row(22).contains("F9/M-s Results"), ui.row(22));
        ui.press(alt('s'));
        assertEquals(View.RESULTS, ui.ui.view());
        assertTrue(ui.row(22).contains("M-n/^N New run  F6/M-f Re-run failed"), ui.row(22));
        ui.press(alt('c'));
        assertEquals(View.CONFIG, ui.ui.view());
        assertTrue(ui.row(22).contains("M-a Apply  M-z Reset"), ui.row(22));
        ui.press(alt('i'));
        assertEquals(View.INPUT, ui.ui.view());
    }

    @Test
    @DisplayName("the key hints that do not fit at 80 columns (History, Profiles) end in F1 all keys, and the help lists them")
    void keyHintsThatDoNotFitPointToTheHelp() {
        open(Sessions.session(dir));
        assertFalse(ui.row(22).contains("M-e Profiles"), ui.row(22));
        assertTrue(ui.row(22).endsWith("F1 all keys"), ui.row(22));
        ui.press(KeyType.F1);
        ui.press(KeyType.PageDown);
        assertTrue(ui.text().contains("Alt-T") && ui.text().contains("Run history")
                && ui.text().contains("Alt-E") && ui.text().contains("Connection profiles"), ui.text());
    }

    @Test
    @DisplayName("on a wide terminal the key hints show History, Profiles and Tab moves, and no F1 all keys")
    void keyHintsOnAWideTerminal() {
        ui = new ScreenHarness(Sessions.session(dir), new ScriptedRunner(), new TerminalSize(120, 30));
        assertEquals(" F3/^O Browse  M-v Paste IDs  F4/M-l Load  F5/^R Run  F10/q Quit  M-t History  M-e Profiles"
                + "  Tab moves", ui.row(28));
    }

    @Test
    @DisplayName("F1 opens the help with every action's keys; Esc closes it")
    void help() {
        open(Sessions.session(dir));
        ui.press(KeyType.F1);
        String screen = ui.text();
        assertTrue(screen.contains("Help: keys"), screen);
        assertTrue(screen.contains("F5, Ctrl-R, Alt-R") && screen.contains("Run the loaded input"), screen);
        assertTrue(screen.contains("Esc, Ctrl-C") && screen.contains("F10, q, Alt-Q"), screen);
        ui.press(KeyType.End);
        assertTrue(ui.text().contains("firmquery.log"), ui.text());
        ui.press(KeyType.Escape);
        assertFalse(ui.text().contains("Help: keys"), ui.text());
    }

    @Test
    @DisplayName("? opens the help from a button, but is typed as text in a field")
    void questionMark() {
        open(Sessions.session(dir));
        ui.type("a?b");
        assertTrue(ui.row(1).contains("a?b"), ui.row(1));
        assertFalse(ui.text().contains("Help: keys"));
        ui.press(KeyType.Tab);
        ui.press(key('?'));
        assertTrue(ui.text().contains("Help: keys"), ui.text());
        ui.press(key('q'));
        assertFalse(ui.text().contains("Help: keys"), "q closes the help, not the UI: " + ui.text());
        assertFalse(ui.ui.isClosed());
    }

    @Test
    @DisplayName("q quits at once when no run is active, but is typed as text in a field")
    void quit() {
        open(Sessions.session(dir));
        ui.type("q");
        assertFalse(ui.ui.isClosed());
        assertTrue(ui.row(1).contains("q"), ui.row(1));
        ui.press(KeyType.Tab);
        ui.press(key('q'));
        assertTrue(ui.ui.isClosed());
        assertEquals(ExitCode.COMPLETED, ui.ui.exitCode());
    }

    @Test
    @DisplayName("Ctrl-C with no run quits; an unbound Ctrl or Alt key is not typed into a field")
    void ctrlKeys() {
        open(Sessions.session(dir));
        ui.press(ctrl('a'), alt('x'), ctrl('l'));
        assertEquals("IDs file", ui.row(1).replace("<Browse F3>", "").strip());
        ui.press(ctrl('c'));
        assertTrue(ui.ui.isClosed());
    }

    @Test
    @DisplayName("the screen follows terminal resizes: tabs on the first row, status bar on the last")
    void resize() {
        open(Sessions.session(dir));
        ui.terminal.setTerminalSize(new TerminalSize(132, 43));
        ui.settle();
        assertTrue(ui.row(0).contains("F2/M-i Input"), ui.row(0));
        assertTrue(ui.row(42).contains("│ idle │"), ui.row(42));
        assertTrue(ui.row(41).contains("F5/^R Run"), ui.row(41));
        ui.terminal.setTerminalSize(new TerminalSize(80, 24));
        ui.settle();
        assertTrue(ui.row(23).contains("│ idle │"), ui.row(23));
        assertTrue(ui.row(22).contains("F5/^R Run"), ui.row(22));
        assertTrue(ui.text().contains("IDs file"), ui.text());
    }

    @Test
    @DisplayName("on a VT100 (or without a UTF-8 locale) only ASCII characters are drawn")
    void vt100IsAscii() {
        open(Sessions.session(dir, Map.of("TERM", "vt100"), TuiSession.Preselection.none()));
        ui.press(KeyType.F1);
        String screen = ui.text();
        for (char c : screen.toCharArray()) {
            assertTrue(c < 128, "non-ASCII '" + c + "' on a VT100 screen:\n" + screen);
        }
        assertTrue(screen.contains("+-") && screen.contains("Help: keys"), screen);
    }

    @Test
    @DisplayName("the frame and its windows refuse calls off the GUI thread, and the screen stays as it was")
    void offTheGuiThread() throws Exception {
        open(Sessions.session(dir));
        String before = ui.text();
        for (Runnable call : List.<Runnable>of(() -> ui.ui.show(View.CONFIG), ui.ui::quit, ui.ui::run,
                () -> ui.ui.perform(Action.HELP, new KeyStroke(KeyType.F1)))) {
            Throwable e = CompletableFuture.supplyAsync(() -> {
                try {
                    call.run();
                    return null;
                } catch (RuntimeException x) {
                    return (Throwable) x;
                }
            }).get(10, TimeUnit.SECONDS);
            IllegalStateException refused = assertInstanceOf(IllegalStateException.class, e);
            assertTrue(refused.getMessage().contains("must run on the GUI thread ('" + Thread.currentThread().getName()
                    + "')"), refused.getMessage());
        }
        ui.settle();
        assertEquals(View.INPUT, ui.ui.view());
        assertFalse(ui.ui.isClosed());
        assertEquals(before, ui.text());
    }

    @Test
    @DisplayName("an exception on the GUI thread is logged and shown, and the UI carries on")
    void exceptionHandler() {
        open(Sessions.session(dir));
        ui.gui.getGUIThread().invokeLater(() -> {
            throw new IllegalStateException("boom in a repaint");
        });
        ui.settle();
        String screen = ui.text();
        assertTrue(screen.contains("Unexpected error") && screen.contains("boom in a repaint"), screen);
        ui.press(KeyType.Enter);
        assertFalse(ui.text().contains("Unexpected error"), ui.text());
        ui.press(KeyType.F7);
        assertEquals(View.CONFIG, ui.ui.view());
    }
}
