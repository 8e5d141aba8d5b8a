package dev.firmquery.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.run.RunStatus;
import dev.firmquery.tui.core.View;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.firmquery.tui.ScreenHarness.alt;
import static dev.firmquery.tui.ScreenHarness.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The keys that must never cost the user their input (docs/tui.md, "No traps"). */
class NoTrapsTest {
    @TempDir
    Path dir;

    private ScreenHarness ui;
    private final ScriptedRunner engine = new ScriptedRunner();

    @AfterEach
    void close() {
        if (ui != null) {
            ui.close();
        }
    }

    private ScreenHarness open() {
        ui = new ScreenHarness(Sessions.session(dir), engine);
        return ui;
    }

    /** The UI with three IDs loaded from a file chosen in it (typed into the ID file field). */
    private ScreenHarness openLoaded() throws IOException {
        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, "101\n102\n103\n");
        open();
        ui.type(ids.toString()).press(KeyType.Enter);
        ui.awaitText("Preview: ready to run");
        return ui;
    }

    /** From the ID file field, Tab four times reaches the query list (as in InputWindowTest). */
    private void focusQueryList() {
        ui.press(KeyType.Tab, KeyType.Tab, KeyType.Tab, KeyType.Tab);
    }

    @Test
    @DisplayName("q typed on the query list does not quit: letters there are type-ahead")
    void qOnAListDoesNotQuit() {
        open();
        focusQueryList();
        ui.type("firm_details.sql q?");
        assertFalse(ui.ui.isClosed(), ui.text());
        assertFalse(ui.text().contains("Help: keys"), "? on a list is not Help either:\n" + ui.text());
        assertEquals(View.INPUT, ui.ui.view());
    }

    @Test
    @DisplayName("type-ahead on the query list moves the choice to the entry that starts with the typed letters")
    void typeAheadMovesTheChoice() {
        open();
        focusQueryList();
        assertTrue(ui.text().contains("SELECT DISTINCT"), "firm_details is chosen first:\n" + ui.text());
        ui.type("firm_n");
        assertTrue(ui.text().contains("-- Firm names only"), "firm_names is chosen:\n" + ui.text());
        assertFalse(ui.ui.isClosed());
    }

    @Test
    @DisplayName("F10 still quits from a list, and asks nothing when nothing is loaded")
    void functionKeysStillWorkOnAList() {
        open();
        focusQueryList();
        ui.press(KeyType.F10);
        assertTrue(ui.ui.isClosed());
        assertEquals(ExitCode.COMPLETED, ui.ui.exitCode());
    }

    @Test
    @DisplayName("quitting with a loaded input that never ran asks; n stays, y quits")
    void quitWithLoadedInputAsks() throws IOException {
        openLoaded();
        ui.press(KeyType.F10);
        String screen = ui.text();
        assertTrue(screen.contains("The loaded input was not run yet"), screen);
        assertFalse(ui.ui.isClosed());
        ui.press(key('n'));
        assertFalse(ui.ui.isClosed());
        assertFalse(ui.text().contains("The loaded input was not run yet"), ui.text());
        ui.press(KeyType.F10);
        ui.press(KeyType.Escape);
        assertFalse(ui.ui.isClosed(), "Esc in the question stays");
        ui.press(KeyType.F10);
        ui.press(key('y'));
        assertTrue(ui.ui.isClosed());
        assertEquals(ExitCode.COMPLETED, ui.ui.exitCode());
    }

    @Test
    @DisplayName("the ID file given on the command line does not ask: the same command loads it again")
    void commandLineInputDoesNotAsk() throws IOException {
        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, "101\n102\n103\n");
        ui = new ScreenHarness(Sessions.session(dir, Map.of(),
                new TuiSession.Preselection(ids, "firm_names", dir.resolve("out"), null)), engine);
        ui.awaitText("Preview: ready to run");
        ui.press(KeyType.F10);
        assertTrue(ui.ui.isClosed(), ui.text());
    }

    @Test
    @DisplayName("after the loaded input ran and its results were shown, quitting asks nothing")
    void quitAfterASeenRunDoesNotAsk() throws IOException {
        openLoaded();
        ui.press(KeyType.F5);
        engine.awaitRequest();
        engine.finish(r -> Reports.of(r, RunStatus.COMPLETED, 1, 0, 3, 0, List.of(), List.of()));
        ui.awaitText("Run 1: COMPLETED");
        ui.press(KeyType.F10);
        assertTrue(ui.ui.isClosed(), ui.text());
    }

    @Test
    @DisplayName("a run that ended while another window was open stays unseen: the status bar says F9, quitting asks")
    void quitWithAnUnseenRunAsks() throws IOException {
        openLoaded();
        ui.press(KeyType.F5);
        engine.awaitRequest();
        ui.press(KeyType.F7);
        engine.finish(r -> Reports.of(r, RunStatus.COMPLETED, 1, 0, 3, 0, List.of(), List.of()));
        ui.await(t -> ui.row(23).contains("run 1 completed: F9"), "the status bar to point at the results");
        assertEquals(View.CONFIG, ui.ui.view(), "the configuration window stays");
        ui.press(KeyType.F10);
        assertTrue(ui.text().contains("Run 1 ended (completed) and its results were not looked at"), ui.text());
        ui.press(key('n'));
        ui.press(KeyType.F9);
        assertTrue(ui.text().contains("Run 1: COMPLETED"), ui.text());
        ui.press(KeyType.F10);
        assertTrue(ui.ui.isClosed(), "seen now:\n" + ui.text());
    }

    @Test
    @DisplayName("Esc in the paste window with typed IDs asks; n keeps them, y drops them")
    void escInThePasteWindowAsks() {
        open();
        ui.press(alt('v'));
        ui.type("5\n6\n7");
        ui.press(KeyType.Escape);
        String screen = ui.text();
        assertTrue(screen.contains("Drop the IDs?") && screen.contains("3 values"), screen);
        ui.press(key('n'));
        assertTrue(ui.text().contains("Paste or type IDs"), ui.text());
        ui.type("\n8");
        ui.press(KeyType.Escape);
        assertTrue(ui.text().contains("4 values"), ui.text());
        ui.press(key('y'));
        assertFalse(ui.text().contains("Paste or type IDs"), ui.text());
        assertFalse(ui.ui.isClosed());
    }

    @Test
    @DisplayName("Esc in an empty paste window closes it at once")
    void escInAnEmptyPasteWindowCloses() {
        open();
        ui.press(alt('v'));
        ui.press(KeyType.Escape);
        assertFalse(ui.text().contains("Paste or type IDs"), ui.text());
        assertFalse(ui.text().contains("Drop the IDs?"), ui.text());
    }

    @Test
    @DisplayName("a Kerberos ticket ending soon is emphasised on the status bar with what to do")
    void ticketEndingSoonOnTheStatusBar() {
        ui = new ScreenHarness(Sessions.session(dir, "database.auth=kerberos")
                .withCredentialsStatus(() -> Optional.of("ana@CORP 12m0s left: run kinit")), engine);
        ui.scheduler.tick();
        ui.settle();
        String status = ui.row(23);
        int at = status.indexOf("kerberos ana@CORP 12m0s left: run kinit");
        assertTrue(at >= 0, status);
        assertTrue(ui.terminal.getCharacter(at + 2, 23).getModifiers().contains(SGR.REVERSE)
                != ui.terminal.getCharacter(1, 23).getModifiers().contains(SGR.REVERSE),
                "the ticket segment stands out from the rest of the bar");
    }

    @Test
    @DisplayName("a ticket with hours left is not emphasised")
    void ticketWithTimeLeftIsPlain() {
        ui = new ScreenHarness(Sessions.session(dir, "database.auth=kerberos")
                .withCredentialsStatus(() -> Optional.of("ana@CORP 7h12m")), engine);
        ui.scheduler.tick();
        ui.settle();
        int at = ui.row(23).indexOf("kerberos ana@CORP 7h12m");
        assertTrue(at >= 0, ui.row(23));
        assertEquals(ui.terminal.getCharacter(1, 23).getModifiers().contains(SGR.REVERSE),
                ui.terminal.getCharacter(at + 2, 23).getModifiers().contains(SGR.REVERSE));
    }
}
