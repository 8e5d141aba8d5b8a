package dev.firmquery.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.testing.RealRunHarness;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.firmquery.tui.InputWindowTest.flat;
import static dev.firmquery.tui.ScreenHarness.alt;
import static dev.firmquery.tui.ScreenHarness.ctrl;
import static dev.firmquery.tui.ScreenHarness.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run history over several output folders, on Lanterna's virtual terminal with real runs against a
 * real PostgreSQL: the runs of the folders this user's earlier sessions used are listed with the folder
 * each is in, a remembered folder that became a link is skipped with the reason (never followed), the
 * window is readable at 60x20, and its key is in the key-hint row where the row has room at 80 columns.
 */
class HistoryFoldersTest {
    private static final String QUERY = """
            -- Firm names
            SELECT t1.firm_root_id, t1.firm_name
            FROM firm t1
            WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})
            ORDER BY t1.firm_root_id
            """;

    @TempDir
    Path dir;

    @AutoClose
    private final RealRunHarness runs = new RealRunHarness();
    private TestPostgres.TestDatabase db;
    private Path ids;
    private Path query;

    @BeforeEach
    void input() throws IOException {
        db = RealRunHarness.firms("tui_history_folders", 20);
        ids = RealRunHarness.ids(dir.resolve("ids.txt"), 1, 20);
        query = Files.writeString(dir.resolve("names.sql"), QUERY);
    }

    /** A session (home {@code dir}) on a {@code size} screen that ran the query over the IDs into {@code out}. */
    private ScreenHarness ranInto(Path out, TerminalSize size) {
        ScreenHarness ui = runs.session(db, dir).ids(ids).query(query.toString()).out(out)
                .open((session, engines) -> new ScreenHarness(session, engines, size));
        ui.awaitText("Preview: ready to run");
        ui.press(KeyType.F5);
        ui.awaitText("Run 1: COMPLETED");
        ui.press(ctrl('n'));
        return ui;
    }

    /** The session's background work done (the folder it used remembered), as when the UI quits. */
    private static void ended(ScreenHarness ui) throws InterruptedException {
        ui.background.close();
        assertTrue(ui.background.awaitTermination(ScreenHarness.TIMEOUT), "the background work ended");
    }

    @Test
    @DisplayName("Alt-T lists the runs of an output folder an earlier session used, and the details name each run's folder")
    void listsTheRunsOfTheOtherFoldersUsed() throws Exception {
        Path earlier = Files.createDirectories(dir.resolve("earlier")).toRealPath();
        ended(ranInto(earlier, new TerminalSize(80, 24)));
        Path out = dir.resolve("out");
        ScreenHarness ui = ranInto(out, new TerminalSize(80, 24));

        String screen = ui.press(alt('t')).awaitText("Run history");
        assertTrue(flat(screen).contains("2 runs in 2 folders, newest first"), screen);
        assertTrue(flat(screen).contains("Folder " + out), "the newest run, of this session's folder: " + screen);
        screen = ui.press(KeyType.ArrowDown).awaitText("Folder   " + earlier);
        assertTrue(flat(screen).contains("Counts 20 IDs, 20 rows, 0 missing IDs"), screen);
    }

    @Test
    @DisplayName("a remembered folder that is a link now is skipped, not followed: the heading counts it and s says why")
    void aFolderReplacedByALinkIsSkipped() throws Exception {
        Path earlier = Files.createDirectories(dir.resolve("earlier")).toRealPath();
        ended(ranInto(earlier, new TerminalSize(80, 24)));
        Path moved = Files.move(earlier, dir.resolve("moved"));
        Files.createSymbolicLink(earlier, moved);
        Path out = dir.resolve("out");
        ScreenHarness ui = ranInto(out, new TerminalSize(80, 24));

        String screen = ui.press(alt('t')).awaitText("Run history");
        assertTrue(flat(screen).contains("1 run in "), screen);
        assertTrue(flat(screen).contains("/out, newest first (1 skipped: s shows why):"), screen);
        assertFalse(screen.contains("Folder   " + earlier), "the link is not followed: " + screen);
        screen = flat(ui.press(key('s')).awaitText("Skipped (Esc closes)"));
        assertTrue(screen.contains(earlier + " is skipped: it is a symbolic link"), screen);
        assertTrue(screen.contains("is not followed"), screen);
        ui.press(KeyType.Escape).awaitText("Run history");
    }

    @Test
    @DisplayName("at 60x20 the history fits the screen: whole border, and the heading says where the IDs column went")
    void readableAt60x20() throws Exception {
        ScreenHarness ui = ranInto(dir.resolve("out"), new TerminalSize(60, 20));
        String screen = ui.press(alt('t')).awaitText("Run history");
        int top = -1;
        for (int row = 0; row < 20; row++) {
            if (ui.row(row).contains("Run history")) {
                top = row;
            }
        }
        assertTrue(top >= 0 && ui.row(top).indexOf('┌') >= 0 && ui.row(top).indexOf('┐') > ui.row(top).indexOf('┌'),
                "the top border is whole: " + screen);
        assertTrue(screen.lines().anyMatch(l -> l.indexOf('└') >= 0 && l.indexOf('┘') > l.indexOf('└')),
                "the bottom border is whole: " + screen);
        assertTrue(flat(screen).contains("newest first (IDs in Counts):"), "says where the IDs column went: " + screen);
        assertTrue(flat(screen).contains("Started Status Query Rows Took"), screen);
        assertTrue(flat(screen).matches(".*\\d\\d-\\d\\d \\d\\d:\\d\\d completed names 20 .*"), screen);
        assertTrue(flat(screen).contains("Counts 20 IDs, 20 rows, 0 missing IDs, 0 failed IDs"), screen);
        assertTrue(screen.contains("Enter rows  r report  a run again  Esc closes"), screen);
    }

    @Test
    @DisplayName("at 80 columns the history key is in the key-hint row where it fits (progress, configuration), not on the input window's, whose row ends in F1 all keys")
    void historyKeyInTheHintRow() {
        try (ScreenHarness ui = new ScreenHarness(Sessions.session(dir, Map.of(), TuiSession.Preselection.none()),
                new ScriptedRunner())) {
            assertEquals(" F3/^O Browse  M-v Paste IDs  F4/M-l Load  F5/^R Run  F10/q Quit  F1 all keys", ui.row(22));
            ui.press(KeyType.F8);
            assertTrue(ui.row(22).endsWith("F10/q Quit  M-t History  M-e Profiles  Tab moves"), ui.row(22));
            ui.press(KeyType.F7);
            assertTrue(ui.row(22).endsWith("F10/q Quit  M-t History  F1 all keys"), ui.row(22));
        }
    }
}
