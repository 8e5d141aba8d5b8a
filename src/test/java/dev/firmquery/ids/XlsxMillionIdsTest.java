package dev.firmquery.ids;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The production size from a workbook: 1,000,000 numeric ID cells beside a text column, as a
 * spreadsheet program writes them (FastExcel's writer: shared strings, numbers as numbers). A real
 * sheet of this size must pass {@link XlsxGuard}'s inflate ratio and limits. Counts only, no timing.
 */
@DisplayName("1,000,000 IDs from a workbook")
class XlsxMillionIdsTest {
    private static final int MILLION = 1_000_000;
    private static final long BASE = 10_000_000_000L;

    @TempDir
    Path dir;

    static void writeMillion(Path file) throws Exception {
        try (OutputStream out = Files.newOutputStream(file); Workbook wb = new Workbook(out, "test", "1.0")) {
            Worksheet sheet = wb.newWorksheet("IDs");
            sheet.value(0, 0, "firm_root_id");
            sheet.value(0, 1, "name");
            for (int i = 0; i < MILLION; i++) {
                sheet.value(i + 1, 0, BASE + i * 7L);
                sheet.value(i + 1, 1, "firm " + (i % 5000));
                if (i % 10_000 == 0) {
                    sheet.flush();
                }
            }
        }
    }

    @Test
    void millionNumericIdCellsAreCountedExactly() throws Exception {
        Path file = dir.resolve("million.xlsx");
        writeMillion(file);
        IdLoadResult result = IdFixtures.integers().load(file);
        assertEquals(new IdStats(MILLION + 1, MILLION, MILLION, 0, 0, 0), result.stats());
        assertEquals(BASE, result.ids().longAt(0));
        assertEquals(BASE + (MILLION - 1) * 7L, result.ids().longAt(MILLION - 1));
        assertEquals("firm_root_id", result.columnName());
    }
}
