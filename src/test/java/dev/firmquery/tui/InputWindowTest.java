package dev.firmquery.tui;

import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.tui.core.View;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.firmquery.tui.ScreenHarness.alt;
import static dev.firmquery.tui.ScreenHarness.ctrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The input window on an 80x24 virtual terminal: choosing, loading and previewing an input. */
class InputWindowTest {
    /** 4 valid IDs, 1 duplicate, 2 invalid values (lines 4 and 7), 1 blank line, under a header. */
    static final String IDS = "firm_root_id\n101\n102\nabc\n102\n103\n\n1.5\n104\n";

    @TempDir
    Path dir;

    private ScreenHarness ui;

    @AfterEach
    void close() {
        if (ui != null) {
            ui.close();
        }
    }

    private ScreenHarness open(String... sets) {
        ui = new ScreenHarness(Sessions.session(dir, sets), new ScriptedRunner());
        return ui;
    }

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    /** The screen with rows joined, scroll marks dropped and blanks collapsed: wrapped lines read as one. */
    static String flat(String screen) {
        return screen.replaceAll("[│█░▲▼]", " ").replaceAll("\\s+", " ");
    }

    @Test
    @DisplayName("loading a file previews the counts, the first invalid values with line numbers and the plan, and enables Run")
    void loadingAFileShowsThePreview() throws IOException {
        Path ids = write("ids.csv", IDS);
        open();
        ui.type(ids.toString()).press(KeyType.Enter);
        String screen = ui.awaitText("Preview: ready to run");
        String flat = flat(screen);
        assertTrue(flat.contains("IDs 4 valid, 1 duplicates, 2 invalid, 1 blank: 7 values on 9 lines, column "
                + "firm_root_id"), screen);
        assertTrue(flat.contains("Plan 1 chunk of ≤ 4 IDs, longest statement"), screen);
        assertTrue(flat.contains("From " + ids), screen);
        assertTrue(flat.contains("line 4: 'abc':"), screen);
        assertTrue(screen.contains("<Run F5/^R>"), screen);
        assertTrue(ui.row(23).contains("ready"), "status bar: " + ui.row(23));

        ui.press(KeyType.ReverseTab, KeyType.ReverseTab, KeyType.PageDown);
        assertTrue(flat(ui.text()).contains("line 8: '1.5': is a decimal number"), "scrolled preview:\n" + ui.text());
    }

    @Test
    @DisplayName("Run is disabled until an input is loaded; F5 then says why instead of running")
    void runIsDisabledUntilLoaded() {
        open();
        assertTrue(ui.text().contains("Run: load first (F4)"), ui.text());
        ui.press(KeyType.F5);
        assertTrue(flat(ui.text()).contains("Load the input first: F4"), ui.text());
        assertEquals(View.INPUT, ui.ui.view());
    }

    @Test
    @DisplayName("an input without valid IDs shows the error in the preview and Run stays disabled")
    void inputWithoutValidIdsCannotRun() throws IOException {
        Path ids = write("bad.txt", "abc\n-5\n");
        open();
        ui.type(ids.toString()).press(KeyType.Enter);
        String screen = ui.awaitText("Preview: cannot run yet");
        assertTrue(flat(screen).contains("Error No valid IDs in " + ids), screen);
        assertTrue(screen.contains("Run: fix the errors"), screen);
    }

    @Test
    @DisplayName("near the configured cap the preview warns; over it, it refuses with the limit")
    void warningThresholdAndCap() throws IOException {
        Path ids = write("ids.csv", IDS);
        open("application.warning_threshold=3");
        ui.type(ids.toString()).press(KeyType.Enter);
        String flat = flat(ui.awaitText("Preview: ready to run"));
        assertTrue(flat.contains("Warn") && flat.contains("more than the warning threshold of 3"), flat);
        ui.close();

        open("application.max_input_ids=3", "application.warning_threshold=2");
        ui.type(ids.toString()).press(KeyType.Enter);
        String screen = ui.awaitText("Preview: cannot run yet");
        assertTrue(flat(screen).contains("application.max_input_ids"), screen);
    }

    @Test
    @DisplayName("Tab completes a unique path, lists ambiguous matches, and moves on when there is nothing to complete")
    void tabCompletesThePath() throws IOException {
        write("firm_ids_2024.csv", IDS);
        write("firm_ids_2025.csv", IDS);
        write("notes.txt", "1\n");
        open();
        ui.type(dir + "/no").press(KeyType.Tab);
        assertTrue(ui.row(1).contains(dir + "/notes.txt"), ui.row(1));

        for (int i = 0; i < "notes.txt".length(); i++) {
            ui.press(KeyType.Backspace);
        }
        ui.type("fi").press(KeyType.Tab);
        assertTrue(ui.row(1).contains(dir + "/firm_ids_202"), ui.row(1));
        ui.press(KeyType.Tab);
        assertTrue(ui.text().contains("2 matches: firm_ids_2024.csv  firm_ids_2025.csv"), ui.text());
        ui.type("5").press(KeyType.Tab);
        assertTrue(ui.row(1).contains(dir + "/firm_ids_2025.csv"), ui.row(1));
        ui.press(KeyType.Tab);
        ui.type("x");
        assertFalse(ui.row(1).contains("csvx"), "a Tab with nothing to complete moves the focus on: " + ui.row(1));
    }

    @Test
    @DisplayName("the file browser filters by typed text and loads the chosen file")
    void fileBrowserChoosesAFile() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("inputs"));
        Files.writeString(sub.resolve("march_ids.csv"), IDS);
        Files.writeString(sub.resolve("april_ids.csv"), IDS);
        open();
        ui.press(KeyType.F3);
        String screen = ui.text();
        assertTrue(screen.contains("Choose an ID file"), screen);
        assertTrue(screen.contains("inputs/"), screen);
        ui.type("inp").press(KeyType.Enter);
        screen = ui.text();
        assertTrue(screen.contains("april_ids.csv") && screen.contains("march_ids.csv"), screen);
        ui.type("mar");
        assertTrue(ui.text().contains("Filter: mar  (1 match)"), ui.text());
        ui.press(KeyType.Enter);
        screen = ui.awaitText("Preview: ready to run");
        assertTrue(ui.row(1).contains(sub.resolve("march_ids.csv").toString()), ui.row(1));
        assertTrue(flat(screen).contains("4 valid, 1 duplicates, 2 invalid"), screen);
    }

    @Test
    @DisplayName("Esc leaves the file browser without changing the input")
    void fileBrowserEscCancels() {
        open();
        ui.press(KeyType.F3);
        assertTrue(ui.text().contains("Type to filter the names"), ui.text());
        ui.press(KeyType.Escape);
        assertFalse(ui.text().contains("Type to filter the names"), ui.text());
        assertEquals("IDs file", ui.row(1).replace("<Browse F3>", "").strip());
    }

    @Test
    @DisplayName("pasted IDs are loaded and previewed like a file")
    void pastedIds() {
        open();
        ui.press(alt('v'));
        assertTrue(ui.text().contains("Paste IDs"), ui.text());
        ui.type("5\n6\n6\nx");
        ui.press(ctrl('d'));
        String screen = ui.awaitText("Preview: ready to run");
        assertTrue(flat(screen).contains("2 valid, 1 duplicates, 1 invalid"), screen);
        assertTrue(screen.contains("using pasted text (4 lines)"), screen);
    }

    @Test
    @DisplayName("the query list shows each query's description, and the SQL preview follows the choice")
    void queryListAndSqlPreview() {
        open();
        String screen = ui.text();
        assertTrue(screen.contains("firm_details  Firm details with every identifier"), screen);
        assertTrue(screen.contains("firm_names    Firm names only"), screen);
        assertTrue(screen.contains("SELECT DISTINCT"), screen);
        ui.press(KeyType.Tab, KeyType.Tab, KeyType.Tab, KeyType.Tab, KeyType.ArrowDown);
        screen = ui.text();
        assertFalse(screen.contains("SELECT DISTINCT"), screen);
        assertTrue(ui.row(6).contains("-- Firm names only"), screen);
    }

    @Test
    @DisplayName("a query file path overrides the list and is validated when loading")
    void queryFilePath() throws IOException {
        Path ids = write("ids.csv", IDS);
        Path sql = write("bad.sql", "-- no placeholder\nSELECT 1\n");
        ScreenHarness h = new ScreenHarness(Sessions.session(dir, Map.of(),
                new TuiSession.Preselection(ids, sql.toString(), null, null)), new ScriptedRunner());
        ui = h;
        String screen = ui.awaitText("Preview: cannot run yet");
        assertTrue(ui.row(6).contains("-- no placeholder"), screen);
        assertTrue(flat(screen).contains("{ID_PLACEHOLDER}"), screen);
    }

    @Test
    @DisplayName("changing the input after loading disables Run until it is loaded again")
    void changedInputMustBeReloaded() throws IOException {
        Path ids = write("ids.csv", IDS);
        open();
        ui.type(ids.toString()).press(KeyType.Enter);
        ui.awaitText("Preview: ready to run");
        ui.press(KeyType.Tab, KeyType.Backspace);
        assertTrue(ui.text().contains("Run: input changed (F4)"), ui.text());
        ui.press(KeyType.F5);
        assertEquals(View.INPUT, ui.ui.view());
        ui.type("v").press(KeyType.F4);
        ui.awaitText("Preview: ready to run");
        assertTrue(ui.text().contains("<Run F5/^R>"), ui.text());
    }
}
