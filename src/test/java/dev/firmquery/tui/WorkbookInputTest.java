package dev.firmquery.tui;

import com.googlecode.lanterna.input.KeyType;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.firmquery.tui.InputWindowTest.flat;
import static dev.firmquery.tui.ScreenHarness.alt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The input window loads an .xlsx workbook as it loads a CSV file: its first sheet, the others named; the
 * Sheet button picks another, as {@code --sheet NAME} does headless.
 */
class WorkbookInputTest {
    @TempDir
    Path dir;

    private ScreenHarness ui;

    @AfterEach
    void close() {
        if (ui != null) {
            ui.close();
        }
    }

    private Path workbook() throws IOException {
        Path file = dir.resolve("ids.xlsx");
        try (OutputStream out = Files.newOutputStream(file); Workbook wb = new Workbook(out, "test", "1.0")) {
            Worksheet ids = wb.newWorksheet("IDs");
            ids.value(0, 0, "firm_root_id");
            ids.value(1, 0, 101);
            ids.value(2, 0, 102);
            ids.value(3, 0, "abc");
            ids.value(4, 0, 102);
            ids.value(5, 0, 1.5);
            wb.newWorksheet("Notes").value(0, 0, "not IDs");
        }
        return file;
    }

    @Test
    @DisplayName("a workbook previews the counts of its first sheet, the invalid cells by row and cell, and can run")
    void aWorkbookIsPreviewedLikeACsvFile() throws IOException {
        Path file = workbook();
        ui = new ScreenHarness(Sessions.session(dir), new ScriptedRunner());
        ui.type(file.toString()).press(KeyType.Enter);
        String screen = ui.awaitText("Preview: ready to run");
        String flat = flat(screen);
        assertTrue(flat.contains("IDs 2 valid, 1 duplicates, 2 invalid, 0 blank: 5 values on 6 lines, column "
                + "firm_root_id"), screen);
        assertTrue(flat.contains("read the first sheet 'IDs' of 2 ('IDs', 'Notes')"), screen);
        assertTrue(screen.contains("<Run F5/^R>"), screen);

        ui.press(KeyType.ReverseTab, KeyType.ReverseTab, KeyType.PageDown);
        String scrolled = flat(ui.text());
        assertTrue(scrolled.contains("line 4: 'abc':") && scrolled.contains("line 6: '1.5': cell A6 holds the number "
                + "1.5, not a whole number"), "scrolled preview:\n" + ui.text());
    }

    /** Three sheets: notes first (no IDs), then 4 IDs, then 2 IDs. */
    private Path threeSheets() throws IOException {
        Path file = dir.resolve("three.xlsx");
        try (OutputStream out = Files.newOutputStream(file); Workbook wb = new Workbook(out, "test", "1.0")) {
            Worksheet notes = wb.newWorksheet("Notes");
            notes.value(0, 0, "note");
            notes.value(1, 0, "the IDs are on the next sheets");
            Worksheet ids = wb.newWorksheet("IDs");
            ids.value(0, 0, "firm_root_id");
            for (int i = 0; i < 4; i++) {
                ids.value(i + 1, 0, 101 + i);
            }
            Worksheet more = wb.newWorksheet("More IDs");
            more.value(0, 0, "firm_root_id");
            more.value(1, 0, 201);
            more.value(2, 0, "202");
        }
        return file;
    }

    /** From the ID file field to the Sheet button (after Browse and the ID column), and Enter on it. */
    private String openSheets() {
        ui.press(alt('n'));
        ui.press(KeyType.Tab, KeyType.Tab, KeyType.Tab, KeyType.Enter);
        return ui.awaitText("which holds the IDs?");
    }

    @Test
    @DisplayName("the Sheet button lists a workbook's sheets and the one chosen is loaded and run")
    void theSheetChosenIsLoadedAndRun() throws IOException {
        Path file = threeSheets();
        ScriptedRunner runner = new ScriptedRunner();
        ui = new ScreenHarness(Sessions.session(dir), runner);
        ui.type(file.toString()).press(KeyType.Enter);
        String first = flat(ui.awaitText("Preview: cannot run yet"));
        assertTrue(first.contains("No valid IDs") && first.contains("<Sheet Notes>"), "the first sheet, no IDs:\n" + first);

        String list = openSheets();
        assertTrue(list.contains("Notes") && list.contains("IDs") && list.contains("More IDs"), list);
        ui.press(KeyType.ArrowDown, KeyType.Enter);
        String ids = flat(ui.awaitText("Preview: ready to run"));
        assertTrue(ids.contains("IDs 4 valid, 0 duplicates, 0 invalid, 0 blank: 4 values on 5 lines"), ids);
        assertTrue(ids.contains("<Sheet IDs>") && ids.contains("From " + file + ", sheet 'IDs'"), ids);

        openSheets();
        ui.press(KeyType.ArrowDown, KeyType.Enter);
        String more = flat(ui.awaitText("sheet 'More IDs'"));
        ui.awaitText("Preview: ready to run");
        more = flat(ui.text());
        assertTrue(more.contains("IDs 2 valid, 0 duplicates, 0 invalid, 0 blank: 2 values on 3 lines"), more);

        ui.press(KeyType.F5);
        dev.firmquery.run.RunRequest request = runner.awaitRequest();
        assertEquals("More IDs", request.input().sheet(), "the run reads the sheet chosen");
        assertEquals(2, request.input().ids().size());
        assertEquals("201 202", request.input().ids().stringAt(0) + " " + request.input().ids().stringAt(1));
    }

    @Test
    @DisplayName("Esc in the list of sheets keeps the sheet read; a CSV file shows no Sheet button")
    void escKeepsTheSheetAndOtherInputsHaveNoButton() throws IOException {
        Path file = threeSheets();
        ui = new ScreenHarness(Sessions.session(dir), new ScriptedRunner());
        ui.type(file.toString()).press(KeyType.Enter);
        ui.awaitText("Preview: cannot run yet");
        openSheets();
        ui.press(KeyType.Escape);
        String kept = flat(ui.text());
        assertFalse(kept.contains("which holds the IDs?"), kept);
        assertTrue(kept.contains("<Sheet Notes>") && kept.contains("No valid IDs"), kept);

        Path csv = Files.writeString(dir.resolve("ids.csv"), "firm_root_id\n101\n");
        ui.press(alt('n'));
        ui.press(KeyType.End);
        for (int i = 0; i < file.toString().length(); i++) {
            ui.press(KeyType.Backspace);
        }
        ui.type(csv.toString()).press(KeyType.Enter);
        String loaded = flat(ui.awaitText("Preview: ready to run"));
        assertFalse(loaded.contains("<Sheet"), "no Sheet button for a CSV file:\n" + loaded);
    }

    @Test
    @DisplayName("a chosen sheet gone from the workbook is an error naming the sheets left, and F4 reads the first again")
    void aSheetGoneIsAnErrorAndTheNextLoadReadsTheFirst() throws IOException {
        Path file = threeSheets();
        ui = new ScreenHarness(Sessions.session(dir), new ScriptedRunner());
        ui.type(file.toString()).press(KeyType.Enter);
        ui.awaitText("Preview: cannot run yet");
        openSheets();
        ui.press(KeyType.ArrowDown, KeyType.ArrowDown, KeyType.Enter);
        ui.awaitText("sheet 'More IDs'");
        ui.awaitText("Preview: ready to run");

        try (OutputStream out = Files.newOutputStream(file); Workbook wb = new Workbook(out, "test", "1.0")) {
            wb.newWorksheet("Only").value(0, 0, "firm_root_id");
            wb.newWorksheet("Other").value(0, 0, "x");
        }
        ui.press(KeyType.F4);
        String gone = flat(ui.awaitText("That sheet is gone: F4 loads the first"));
        assertTrue(gone.contains("has no sheet of that name"), gone);
        assertTrue(gone.contains("'Only', 'Other'"), "the sheets there are:\n" + gone);
        ui.press(KeyType.F4);
        String again = flat(ui.awaitText("<Sheet Only>"));
        assertTrue(again.contains("read the first sheet 'Only' of 2"), again);
    }
}
