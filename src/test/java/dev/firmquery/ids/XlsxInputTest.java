package dev.firmquery.ids;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static dev.firmquery.ids.IdFixtures.invalidValues;
import static dev.firmquery.ids.IdFixtures.lines;
import static dev.firmquery.ids.IdFixtures.loadFile;
import static dev.firmquery.ids.IdFixtures.longs;
import static dev.firmquery.ids.IdFixtures.onlyReason;
import static dev.firmquery.ids.IdFixtures.strings;
import static dev.firmquery.ids.XlsxFixture.bool;
import static dev.firmquery.ids.XlsxFixture.error;
import static dev.firmquery.ids.XlsxFixture.formula;
import static dev.firmquery.ids.XlsxFixture.inline;
import static dev.firmquery.ids.XlsxFixture.number;
import static dev.firmquery.ids.XlsxFixture.textFormula;
import static dev.firmquery.ids.XlsxFixture.unsavedFormula;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("ID input from .xlsx workbooks")
class XlsxInputTest {
    @TempDir
    Path dir;

    private IdLoadResult load(XlsxFixture workbook) throws Exception {
        return IdFixtures.integers().load(workbook.write(dir.resolve("ids.xlsx")));
    }

    private IdLoadResult loadSheet(XlsxFixture workbook, String sheet) throws Exception {
        return new IdLoader(IdLoadOptions.integers().withSheet(sheet)).load(workbook.write(dir.resolve("ids.xlsx")));
    }

    private static XlsxFixture oneColumn(String... cells) {
        XlsxFixture w = new XlsxFixture().sheet("IDs");
        w.row(1, w.text("A1", "firm_root_id"));
        for (int i = 0; i < cells.length; i++) {
            w.row(i + 2, cells[i]);
        }
        return w;
    }

    @Test
    void workbookCountsAsTheSameTableSavedAsCsv() throws Exception {
        XlsxFixture w = new XlsxFixture().sheet("IDs");
        w.row(1, w.text("A1", "name"), w.text("B1", "firm_root_id"))
                .row(2, w.text("A2", "acme"), number("B2", "1001"))
                .row(3, w.text("A3", "beta"), w.text("B3", "  1002 "))
                .row(4, inline("B4", "0001003"))
                .row(5, number("B5", "1.2E7"))
                .row(6, formula("B6", "B2+1", "1002"))
                // rows 7 and 8 are blank: a sheet leaves them out
                .row(9, w.text("B9", "x12"))
                .row(10, number("B10", "1001"));
        IdLoadResult xlsx = load(w);
        IdLoadResult csv = loadFile(IdFixtures.integers(), dir, "ids.csv",
                "name,firm_root_id\nacme,1001\nbeta,  1002 \n,0001003\n,12000000\n,1002\n\n\n,x12\n,1001");

        assertEquals(longs(csv), longs(xlsx));
        assertEquals(List.of(1001L, 1002L, 1003L, 12_000_000L), longs(xlsx));
        assertEquals(csv.stats(), xlsx.stats());
        assertEquals(lines(csv), lines(xlsx));
        assertEquals(csv.columnName(), xlsx.columnName());
    }

    @Test
    void numericCellIsTheNumberItHoldsNotItsDisplay() throws Exception {
        IdLoadResult result = load(oneColumn(number("A2", "1.2E7"), number("A3", "42.000")));
        assertEquals(List.of(12_000_000L, 42L), longs(result));
    }

    @Test
    void fractionalNumberIsRefusedWithItsCellAndTheFix() throws Exception {
        IdLoadResult result = load(oneColumn(number("A2", "7"), number("A3", "1.5")));
        assertEquals(List.of(7L), longs(result));
        String reason = onlyReason(result);
        assertTrue(reason.contains("cell A3") && reason.contains("1.5") && reason.contains("not a whole number")
                && reason.contains("correct the cell"), reason);
        assertEquals(List.of(3L), lines(result));
    }

    @Test
    void numberBeyondWhatANumericCellHoldsExactlyIsRefusedWithTheFix() throws Exception {
        IdLoadResult result = load(oneColumn(number("A2", "1E20"), number("A3", "9007199254740992")));
        assertEquals(List.of(9_007_199_254_740_992L), longs(result));
        String reason = onlyReason(result);
        assertTrue(reason.contains("cell A2") && reason.contains("2^53") && reason.contains("format the column as Text"),
                reason);
        assertEquals(List.of("100000000000000000000"), invalidValues(result));
    }

    @Test
    void formulaCellUsesItsSavedResult() throws Exception {
        IdLoadResult result = load(oneColumn(formula("A2", "40+2", "42"), textFormula("A3", "\"4\"&\"3\"", "43")));
        assertEquals(List.of(42L, 43L), longs(result));
        assertTrue(result.warnings().stream().anyMatch(w -> w.contains("2 ID cells are formulas (A2, A3)")),
                result.warnings().toString());
    }

    @Test
    void formulaWithoutASavedResultIsInvalidWithTheFix() throws Exception {
        IdLoadResult result = load(oneColumn(unsavedFormula("A2", "40+2")));
        String reason = onlyReason(result);
        assertTrue(reason.contains("cell A2") && reason.contains("without a saved result")
                && reason.contains("open and save the workbook in Excel"), reason);
    }

    @Test
    void booleanAndErrorCellsAreInvalidNamingTheirCell() throws Exception {
        IdLoadResult result = load(oneColumn(bool("A2", true), error("A3", "#N/A"), number("A4", "5")));
        assertEquals(List.of(5L), longs(result));
        assertEquals(2, result.stats().invalid());
        assertTrue(result.invalidExamples().get(0).reason().contains("cell A2 holds TRUE"));
        assertTrue(result.invalidExamples().get(1).reason().contains("cell A3 holds the error #N/A"));
    }

    @Test
    void textCellsAreCleanedAsText() throws Exception {
        XlsxFixture w = new XlsxFixture().sheet("IDs");
        w.row(1, w.text("A1", "firm_root_id")).row(2, w.text("A2", " AB-1 ")).row(3, inline("A3", "'AB-2'"))
                .row(4, number("A4", "17"));
        IdLoadResult result = new IdLoader(IdLoadOptions.texts(Pattern.compile("[A-Z]{2}-\\d+|\\d+")))
                .load(w.write(dir.resolve("texts.xlsx")));
        assertEquals(List.of("AB-1", "AB-2", "17"), strings(result));
    }

    @Test
    void firstSheetIsReadAndTheOthersAreNamed() throws Exception {
        XlsxFixture w = new XlsxFixture().sheet("IDs");
        w.row(1, number("A1", "1")).sheet("Notes").row(1, number("A1", "2"));
        IdLoadResult result = load(w);
        assertEquals(List.of(1L), longs(result));
        assertTrue(result.warnings().stream().anyMatch(m -> m.contains("read the first sheet 'IDs' of 2 ('IDs', "
                + "'Notes'); another is read with firmquery run --sheet NAME")), result.warnings().toString());
    }

    @Test
    void sheetIsChosenByNameIgnoringCase() throws Exception {
        XlsxFixture w = new XlsxFixture().sheet("IDs");
        w.row(1, number("A1", "1")).sheet("More IDs").row(1, number("A1", "2"));
        assertEquals(List.of(2L), longs(loadSheet(w, "more ids")));
    }

    @Test
    void unknownSheetIsRefusedListingTheSheets() {
        XlsxFixture w = new XlsxFixture().sheet("IDs");
        w.row(1, number("A1", "1"));
        IdInputException e = assertThrows(IdInputException.class, () -> loadSheet(w, "Sheet9"));
        assertTrue(e.getMessage().contains("--sheet 'Sheet9'") && e.getMessage().contains("Sheets (1): 'IDs'"),
                e.getMessage());
    }

    @Test
    void idColumnIsChosenByHeaderAsForCsv() throws Exception {
        XlsxFixture w = new XlsxFixture().sheet("IDs");
        w.row(1, w.text("A1", "name"), w.text("B1", "Firm")).row(2, w.text("A2", "acme"), number("B2", "9"));
        IdLoadResult result = new IdLoader(IdLoadOptions.integers().withIdColumn("firm"))
                .load(w.write(dir.resolve("ids.xlsx")));
        assertEquals(List.of(9L), longs(result));
        assertEquals("Firm", result.columnName());
    }

    @Test
    void missingIdColumnIsRefusedNamingTheSheetAndItsColumns() {
        XlsxFixture w = new XlsxFixture().sheet("IDs");
        w.row(2, w.text("A2", "name"), w.text("B2", "firm")).row(3, w.text("A3", "acme"), number("B3", "9"));
        IdInputException e = assertThrows(IdInputException.class, () -> load(w));
        assertTrue(e.getMessage().startsWith(dir.resolve("ids.xlsx") + ", sheet 'IDs', row 2: no ID column")
                && e.getMessage().contains("sheet 'IDs'): 'name', 'firm'"), e.getMessage());
    }

    @Test
    void aFileNamedXlsxThatIsNotAZipIsRefusedWithTheFix() throws Exception {
        Path file = Files.writeString(dir.resolve("ids.xlsx"), "firm_root_id\n1\n");
        IdInputException e = assertThrows(IdInputException.class, () -> IdFixtures.integers().load(file));
        assertTrue(e.getMessage().contains("not an .xlsx workbook") && e.getMessage().contains("CSV UTF-8"),
                e.getMessage());
    }

    @Test
    void aWorkbookOnStandardInputIsRefusedWithTheFix() {
        IdInputException e = assertThrows(IdInputException.class, () -> IdFixtures.integers()
                .load(new java.io.ByteArrayInputStream(new byte[]{'P', 'K', 3, 4}), "-", InputFormat.XLSX));
        assertTrue(e.getMessage().contains("--ids FILE.xlsx"), e.getMessage());
    }

    @Test
    void theWorkbooksBytesAreHashedForTheAuditTrail() throws Exception {
        Path file = oneColumn(number("A2", "1")).write(dir.resolve("ids.xlsx"));
        IdLoadResult result = IdFixtures.integers().load(file);
        assertEquals(IdFixtures.sha256(Files.readAllBytes(file)), result.sha256());
        assertEquals(file.toString(), result.source());
    }
}
