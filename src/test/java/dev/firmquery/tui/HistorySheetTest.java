package dev.firmquery.tui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.testing.RealRunHarness;
import dev.firmquery.testing.TestPostgres;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.firmquery.tui.InputWindowTest.flat;
import static dev.firmquery.tui.ScreenHarness.alt;
import static dev.firmquery.tui.ScreenHarness.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run history's "again" of a run that read the second sheet of a workbook, on an 80x24 virtual
 * terminal over a real run against a real PostgreSQL: the same sheet is loaded, not the first.
 */
class HistorySheetTest {
    private static final String QUERY = """
            SELECT t1.firm_root_id, t1.firm_name
            FROM firm t1
            WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})
            ORDER BY t1.firm_root_id
            """;

    @TempDir
    Path dir;

    @AutoClose
    private final RealRunHarness runs = new RealRunHarness();

    /** Two sheets: {@code First} with the IDs 1 to 5, then {@code Second} with 11 to 13. */
    private Path workbook() throws IOException {
        Path file = dir.resolve("ids.xlsx");
        try (OutputStream out = Files.newOutputStream(file); Workbook wb = new Workbook(out, "test", "1.0")) {
            Worksheet first = wb.newWorksheet("First");
            first.value(0, 0, "firm_root_id");
            for (int i = 0; i < 5; i++) {
                first.value(i + 1, 0, 1 + i);
            }
            Worksheet second = wb.newWorksheet("Second");
            second.value(0, 0, "firm_root_id");
            for (int i = 0; i < 3; i++) {
                second.value(i + 1, 0, 11 + i);
            }
        }
        return file;
    }

    /** From the ID file field to the Sheet button (after Browse and the ID column), Enter on it, and a move in the list. */
    private static void chooseSheet(ScreenHarness ui, KeyType move) {
        ui.press(alt('n'));
        ui.press(KeyType.Tab, KeyType.Tab, KeyType.Tab, KeyType.Enter);
        ui.awaitText("which holds the IDs?");
        ui.press(move, KeyType.Enter);
    }

    private List<String> sheetsInReports() throws IOException {
        List<String> sheets = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir.resolve("out"))) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith("_report.json")).sorted().toList()) {
                sheets.add(new ObjectMapper().readTree(p.toFile()).path("ids").path("sheet").asText());
            }
        }
        return sheets;
    }

    @Test
    @DisplayName("a of a run on a workbook's second sheet loads that sheet again, and F5 runs it")
    void againLoadsTheSheetTheRunRead() throws IOException {
        TestPostgres.TestDatabase db = RealRunHarness.firms("tui_history_sheet", 20);
        Path file = workbook();
        Path query = Files.writeString(dir.resolve("names.sql"), QUERY);
        ScreenHarness ui = runs.session(db, dir).ids(file).query(query.toString()).open(ScreenHarness::new);
        assertTrue(flat(ui.awaitText("Preview: ready to run")).contains("<Sheet First>"), ui.text());
        chooseSheet(ui, KeyType.ArrowDown);
        ui.awaitText("<Sheet Second>");
        ui.awaitText("Preview: ready to run");
        ui.press(KeyType.F5);
        assertTrue(flat(ui.awaitText("Run 1: COMPLETED")).contains("Rows 3 missing IDs 0"), ui.text());
        ui.press(ScreenHarness.ctrl('n'));
        // Back on the first sheet, so that what "again" loads cannot be what the window still shows.
        chooseSheet(ui, KeyType.ArrowUp);
        ui.awaitText("<Sheet First>");

        String history = flat(ui.press(alt('t')).awaitText("Run history"));
        assertTrue(history.contains("Input " + file + ", sheet 'Second'"), history);
        ui.press(key('a'));
        String again = flat(ui.awaitText("<Sheet Second>"));
        ui.awaitText("Preview: ready to run");
        again = flat(ui.text());
        assertTrue(again.contains("From " + file + ", sheet 'Second'"), again);
        assertTrue(again.contains("IDs 3 valid"), again);
        ui.press(KeyType.F5);
        assertTrue(flat(ui.awaitText("Run 2: COMPLETED")).contains("Rows 3 missing IDs 0"), ui.text());
        assertEquals(List.of("Second", "Second"), sheetsInReports());
    }
}
