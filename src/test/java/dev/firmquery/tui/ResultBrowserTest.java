package dev.firmquery.tui;

import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.firmquery.tui.ScreenHarness.key;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The result browser at 80x24 over a whole result CSV (docs/tui.md, "Result browser"). */
class ResultBrowserTest {
    static final int ROWS = 300_000;

    @TempDir
    Path dir;

    private ScreenHarness ui;
    private final ScriptedRunner engine = new ScriptedRunner();

    @BeforeEach
    void finishedRun() throws IOException {
        Path csv = dir.resolve("firm_query_1.csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("firm_root_id,firm_name,country,id_scheme,id_value,updated_at\r\n");
            for (int i = 1; i <= ROWS; i++) {
                w.write((10_000_000 + i) + ",\"Firm " + i + ", Ltd\",DE,LEI,L" + i + ",2026-11-" + (1 + i % 28) + "\r\n");
            }
        }
        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, "101\n102\n");
        ui = new ScreenHarness(Sessions.session(dir, Map.of(),
                new TuiSession.Preselection(ids, "firm_names", dir.resolve("out"), null)), engine);
        ui.awaitText("Preview: ready to run");
        ui.press(KeyType.F5);
        engine.awaitRequest();
        List<RunReport.OutputFileInfo> files = List.of(Reports.file("results-csv", csv, Files.size(csv)));
        engine.finish(r -> Reports.of(r, RunStatus.COMPLETED, 1, 0, ROWS, 0, List.of(), files));
        ui.awaitText("Run 1: COMPLETED");
    }

    @AfterEach
    void close() {
        ui.close();
    }

    @Test
    @DisplayName("4 opens every row: the first page, then the count once indexed, the ID column first")
    void opensAndIndexes() {
        ui.press(key('4'));
        ui.awaitText("rows 1-19 of 300,000   columns");
        String screen = ui.awaitText("10000001    │Firm 1, Ltd");
        assertTrue(screen.contains("firm_root_id│firm_name"), screen);
    }

    @Test
    @DisplayName("End goes to the last row, Home back to the first")
    void endAndHome() {
        ui.press(key('4'));
        ui.awaitText("of 300,000   columns");
        ui.press(KeyType.End);
        String screen = ui.awaitText("10300000    │");
        assertTrue(screen.contains("rows 299,982-300,000 of 300,000"), screen);
        ui.press(KeyType.Home);
        ui.awaitText("10000001    │");
    }

    @Test
    @DisplayName("g and a row number jump to that row")
    void jumpToRow() {
        ui.press(key('4'));
        ui.awaitText("of 300,000   columns");
        ui.press(key('g'));
        ui.type("123456");
        assertTrue(ui.text().contains("Go to row: 123456_"), ui.text());
        ui.press(KeyType.Enter);
        String screen = ui.awaitText("10123456    │Firm 123456, Ltd");
        assertTrue(screen.contains("rows 123,456-"), screen);
    }

    @Test
    @DisplayName("Right scrolls the columns beside the frozen ID column")
    void horizontalScroll() {
        ui.press(key('4'));
        ui.awaitText("of 300,000   columns");
        ui.press(KeyType.ArrowRight, KeyType.ArrowRight);
        String screen = ui.text();
        assertTrue(screen.contains("firm_root_id│id_scheme"), screen);
        assertTrue(screen.contains("columns from 4"), screen);
        assertFalse(screen.contains("firm_name"), screen);
    }

    @Test
    @DisplayName("Esc closes the browser and goes back to the results window")
    void escCloses() {
        ui.press(key('4'));
        ui.awaitText("of 300,000   columns");
        ui.press(KeyType.Escape);
        assertTrue(ui.text().contains("Run 1: COMPLETED"), ui.text());
        assertFalse(ui.ui.isClosed());
    }

    @Test
    @DisplayName("f and an ID find it: the row moves to the top and the status says where")
    void findAnId() {
        ui.press(key('4'));
        ui.awaitText("of 300,000   columns");
        ui.press(key('f'));
        ui.type("10250000");
        ui.press(KeyType.Enter);
        ui.awaitText("Found ID '10250000' at row 250,000");
        ui.awaitText("│10250000    │Firm 250000, Ltd"); // the page is read after the search answers
    }

    @Test
    @DisplayName("/ searches the first scrolled column from the row below the top one, case-insensitively")
    void searchAColumn() {
        ui.press(key('4'));
        ui.awaitText("of 300,000   columns");
        ui.press(KeyType.ArrowRight, KeyType.ArrowRight, KeyType.ArrowRight);
        ui.press(key('/'));
        ui.type("l77777");
        assertTrue(ui.text().contains("Search id_value for: l77777_"), ui.text());
        ui.press(KeyType.Enter);
        ui.awaitText("Found id_value containing 'l77777' at row 77,777");
        ui.awaitText("│10077777    │L77777");
    }

    @Test
    @DisplayName("an ID that is not there says so and leaves the rows where they were")
    void idNotFound() {
        ui.press(key('4'));
        ui.awaitText("of 300,000   columns");
        ui.press(key('f'));
        ui.type("99");
        ui.press(KeyType.Enter);
        String screen = ui.awaitText("No ID '99' from row 1 down; Home, then search again");
        assertTrue(screen.contains("│10000001    │"), screen);
    }

    @Test
    @DisplayName("s shows the first scrolled column's statistics: rows, distinct, min, max, top values")
    void columnStatistics() {
        ui.press(key('4'));
        ui.awaitText("of 300,000   columns");
        ui.press(KeyType.ArrowRight, KeyType.ArrowRight, KeyType.ArrowRight, KeyType.ArrowRight);
        ui.press(key('s'));
        String screen = ui.awaitText("Column statistics");
        assertTrue(screen.contains("Column    updated_at"), screen);
        assertTrue(screen.contains("Rows      300,000, non-empty 300,000, empty 0"), screen);
        assertTrue(screen.contains("Distinct  28"), screen);
        assertTrue(screen.contains("Min       2026-11-1"), screen);
        assertTrue(screen.contains("Max       2026-11-9"), screen);
        assertTrue(screen.contains("10,715    3.6%  2026-11-"), screen);
    }
}
