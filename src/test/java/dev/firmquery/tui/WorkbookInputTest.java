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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The input window loads an .xlsx workbook as it loads a CSV file: its first sheet, the others named. */
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
}
