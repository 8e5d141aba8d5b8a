package dev.firmquery.ids;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static dev.firmquery.ids.XlsxFixture.number;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Hostile .xlsx workbooks are refused before a row is read")
class XlsxGuardTest {
    @TempDir
    Path dir;

    private IdInputException refused(XlsxFixture workbook) throws Exception {
        Path file = workbook.write(dir.resolve("ids.xlsx"));
        return assertThrows(IdInputException.class, () -> IdFixtures.integers().load(file));
    }

    @Test
    void aPartThatInflatesAHundredfoldIsRefusedAsAZipBomb() throws Exception {
        // 8 MB of blanks deflate to about 8 KB: a ratio near 1000.
        byte[] bomb = ("<worksheet><sheetData>" + " ".repeat(8 << 20) + "</sheetData></worksheet>")
                .getBytes(StandardCharsets.US_ASCII);
        IdInputException e = refused(new XlsxFixture().sheet("IDs").row(1, number("A1", "1"))
                .part("xl/worksheets/sheet9.xml", bomb));
        assertTrue(e.getMessage().contains("xl/worksheets/sheet9.xml") && e.getMessage().contains("zip bomb")
                && e.getMessage().contains("inflates more than 100 times"), e.getMessage());
    }

    @Test
    void aBinaryPartIsHeldToTheSameRatio() throws Exception {
        IdInputException e = refused(new XlsxFixture().sheet("IDs").row(1, number("A1", "1"))
                .part("xl/media/image1.png", new byte[8 << 20]));
        assertTrue(e.getMessage().contains("xl/media/image1.png") && e.getMessage().contains("zip bomb"),
                e.getMessage());
    }

    @ParameterizedTest(name = "cell {0}")
    @ValueSource(strings = {"XFE1", "A1048577", "FXSHRXW1", "A0"})
    void aCellOutsideExcelsGridIsRefusedBeforeTheReaderAllocatesItsRow(String ref) throws Exception {
        // FastExcel sizes a row's list of cells by the highest column a cell claims: FXSHRXW is 2^31-1.
        IdInputException e = refused(new XlsxFixture().sheet("IDs").row(1, number(ref, "1")));
        assertTrue(e.getMessage().contains("a cell at " + ref) && e.getMessage().contains("beyond Excel's grid"),
                e.getMessage());
    }

    @Test
    void aRowOfMoreCellsThanExcelsColumnsIsRefused() throws Exception {
        String cells = "<c><v>1</v></c>".repeat(XlsxGuard.MAX_COLUMNS + 1);
        IdInputException e = refused(new XlsxFixture().sheet("IDs").row(1, cells));
        assertTrue(e.getMessage().contains("a row of more than 16,384 cells"), e.getMessage());
    }

    @Test
    void aRowNumberBeyondExcelsLastRowIsRefused() throws Exception {
        IdInputException e = refused(new XlsxFixture().sheet("IDs").row(1_048_577, number("A1", "1")));
        assertTrue(e.getMessage().contains("a row numbered 1048577"), e.getMessage());
    }

    @Test
    void anEntityDefinitionIsNeverExpanded() throws Exception {
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\">"
                + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
                + "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&c;</t></is></c></row>"
                + "</sheetData></worksheet>";
        IdInputException e = refused(new XlsxFixture().sheet("IDs").row(1, number("A1", "1"))
                .part("xl/worksheets/sheet5.xml", laughs.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("xl/worksheets/sheet5.xml") && e.getMessage().contains("not valid XML"),
                e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"<c r=\"A2\" t=\"s\"><v>x</v></c>", "<c r=\"A2\"><v>1,5</v></c>",
            "<c r=\"A2\" s=\"style\"><v>1</v></c>"})
    void aCellWhoseValueIsNotWhatItsTypeSaysIsRefusedNamingTheRow(String cell) throws Exception {
        XlsxFixture w = new XlsxFixture().sheet("IDs");
        w.row(1, w.text("A1", "firm_root_id")).row(2, cell);
        IdInputException e = refused(w);
        assertTrue(e.getMessage().contains("sheet 'IDs': cannot read the sheet after row 1")
                && e.getMessage().contains("export the ID column as CSV"), e.getMessage());
    }

    @Test
    void anOrdinaryWorkbookPasses() throws Exception {
        Path file = new XlsxFixture().sheet("IDs").row(1, number("A1", "1")).write(dir.resolve("ok.xlsx"));
        XlsxGuard.check(file, file.toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"A1", "$B$2", "XFD1048576", "xfd1", "AA10"})
    void cellReferencesInsideTheGridAreValid(String ref) {
        assertTrue(XlsxGuard.validCellReference(ref));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "A", "1", "1A", "AAAA1", "XFE1", "A0", "A1048577", "A01x", "É1"})
    void cellReferencesOutsideTheGridOrMalformedAreNot(String ref) {
        assertFalse(XlsxGuard.validCellReference(ref));
    }
}
