package dev.firmquery.tui;

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
import java.util.stream.Stream;

import static dev.firmquery.tui.InputWindowTest.flat;
import static dev.firmquery.tui.ScreenHarness.alt;
import static dev.firmquery.tui.ScreenHarness.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run history (Alt-T) on an 80x24 virtual terminal, over the reports a real run against a real
 * PostgreSQL wrote: listed newest first with query and parameters, rows opened in the result browser,
 * the report shown, and the same input, query and parameters run again.
 */
class HistoryTest {
    private static final String QUERY = """
            -- Firm names from a lowest ID on
            -- @param min_id integer = 1   Lowest firm_root_id returned
            SELECT t1.firm_root_id, t1.firm_name
            FROM firm t1
            WHERE t1.firm_root_id IN ({ID_PLACEHOLDER}) AND t1.firm_root_id >= {min_id}
            ORDER BY t1.firm_root_id
            """;

    @TempDir
    Path dir;

    @AutoClose
    private final RealRunHarness runs = new RealRunHarness();
    private ScreenHarness ui;

    @BeforeEach
    void run() throws IOException {
        TestPostgres.TestDatabase db = RealRunHarness.firms("tui_history", 40);
        Path query = Files.writeString(dir.resolve("from_id.sql"), QUERY);
        Path ids = RealRunHarness.ids(dir.resolve("ids.txt"), 1, 40);
        ui = runs.session(db, dir).ids(ids).query(query.toString()).set("processing.chunk_size=10")
                .open(ScreenHarness::new);
        ui.awaitText("Preview: ready to run");
        // min_id from its default 1 to 31: from the ID file field, Tab passes Browse, the ID column,
        // Paste, the query list, the query file and the SQL to the parameter field.
        ui.press(ScreenHarness.ctrl('n'));
        for (int i = 0; i < 7; i++) {
            ui.press(KeyType.Tab);
        }
        ui.press(KeyType.End, KeyType.Backspace).type("31");
        ui.press(KeyType.F5);
        ui.awaitText("Run 1: COMPLETED");
        ui.press(ScreenHarness.ctrl('n'));
    }

    private long reports() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("out"))) {
            return s.filter(p -> p.getFileName().toString().endsWith("_report.json")).count();
        }
    }

    @Test
    @DisplayName("Alt-T lists the run from its report: start, status, query, IDs, rows; the details name its parameters")
    void listsTheRunFromItsReport() {
        String screen = ui.press(alt('t')).awaitText("Run history");
        assertTrue(flat(screen).contains("1 run in " + dir.resolve("out")), screen);
        assertTrue(flat(screen).matches(".*\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d completed from_id 40 10 .*"), screen);
        assertTrue(flat(screen).contains("Query from_id with min_id=31"), screen);
        assertTrue(flat(screen).contains("Counts 40 IDs, 10 rows, 30 missing IDs, 0 failed IDs"), screen);
    }

    @Test
    @DisplayName("Enter opens the run's rows in the result browser, over the history; Esc comes back to it")
    void enterOpensTheRows() {
        ui.press(alt('t')).awaitText("Run history");
        ui.press(KeyType.Enter);
        String screen = ui.awaitText("of 10   columns");
        assertTrue(screen.contains("All rows: firm_query_"), screen);
        ui.press(KeyType.Escape);
        ui.awaitText("Run history");
    }

    @Test
    @DisplayName("r shows the report as it is on disk")
    void rShowsTheReport() {
        ui.press(alt('t')).awaitText("Run history");
        String screen = ui.press(key('r')).awaitText("_report.json (Esc closes)");
        assertTrue(screen.contains("\"status\": \"completed\""), screen);
    }

    @Test
    @DisplayName("a loads the same input, query and parameters into the input window, and F5 runs them again")
    void aRunsItAgain() throws IOException {
        ui.press(alt('t')).awaitText("Run history");
        ui.press(key('a'));
        String screen = ui.awaitText("Preview: ready to run");
        assertTrue(screen.contains(dir.resolve("from_id.sql").toString()), screen);
        assertTrue(screen.contains(dir.resolve("ids.txt").toString()), screen);
        assertTrue(screen.lines().anyMatch(l -> l.startsWith("min_id") && l.contains("31 ")), "the past value: " + screen);
        ui.press(KeyType.F5);
        String results = ui.awaitText("Run 2: COMPLETED");
        assertTrue(flat(results).contains("Rows 10 missing IDs 30"), "bound as before: " + results);
        assertEquals(2, reports());
        screen = ui.press(alt('t')).awaitText("2 runs in");
        assertTrue(screen.indexOf("completed") >= 0, screen);
    }
}
