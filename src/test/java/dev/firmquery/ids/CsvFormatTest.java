package dev.firmquery.ids;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static dev.firmquery.ids.IdFixtures.BOM;
import static dev.firmquery.ids.IdFixtures.invalidValues;
import static dev.firmquery.ids.IdFixtures.lines;
import static dev.firmquery.ids.IdFixtures.loadFile;
import static dev.firmquery.ids.IdFixtures.longs;
import static dev.firmquery.ids.IdFixtures.onlyReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("CSV and TSV ID files")
class CsvFormatTest {
    @TempDir
    Path dir;

    private IdLoadResult csv(String content) throws IdInputException {
        return loadFile(IdFixtures.integers(), dir, "ids.csv", content);
    }

    private IdLoadResult csv(String idColumn, String content) throws IdInputException {
        return loadFile(IdFixtures.integers(idColumn), dir, "ids.csv", content);
    }

    @Test
    void idColumnIsFoundByTheDefaultHeader() throws Exception {
        IdLoadResult result = csv("name,firm_root_id\nacme,1\nbeta,2\n");
        assertEquals(List.of(1L, 2L), longs(result));
        assertEquals("firm_root_id", result.columnName());
    }

    @Test
    void headerMatchIgnoresCase() throws Exception {
        IdLoadResult result = csv("name,FIRM_Root_ID\nacme,1\n");
        assertEquals(List.of(1L), longs(result));
        assertEquals("FIRM_Root_ID", result.columnName());
    }

    @Test
    void headerMatchIgnoresSurroundingBlanksQuotesAndBom() throws Exception {
        IdLoadResult result = csv(BOM + "name, \"firm_root_id\" \nacme,1\n");
        assertEquals(List.of(1L), longs(result));
        assertEquals("firm_root_id", result.columnName());
    }

    @Test
    void headerRowIsNotAValue() throws Exception {
        IdLoadResult result = csv("firm_root_id,name\n1,a\n");
        assertEquals(1, result.stats().values());
        assertEquals(0, result.stats().invalid());
        assertEquals(2, result.stats().lines());
    }

    @ParameterizedTest(name = "delimiter {0}")
    @ValueSource(strings = {",", ";", "\t", "|"})
    void delimiterIsDetectedFromTheHeader(String d) throws Exception {
        IdLoadResult result = csv("name" + d + "firm_root_id\nacme" + d + "1\nbeta" + d + "2\n");
        assertEquals(List.of(1L, 2L), longs(result));
    }

    @Test
    void delimiterIsDecidedOnceNotPerRow() throws Exception {
        // The header says ';'. A later row with commas is one field "9,x": invalid, not re-split.
        IdLoadResult result = csv("firm_root_id;name\n1;a\n9,x\n2;b\n");
        assertEquals(List.of(1L, 2L), longs(result));
        assertEquals(List.of("9,x"), invalidValues(result));
        assertEquals(List.of(3L), lines(result));
    }

    @Test
    void mostFrequentDelimiterOutsideQuotesWins() throws Exception {
        IdLoadResult result = csv("\"a,b\";\"c,d\";firm_root_id\nx;y;1\n");
        assertEquals(List.of(1L), longs(result));
    }

    @Test
    void delimiterInsideQuotesIsPartOfTheField() throws Exception {
        IdLoadResult result = csv("firm_root_id,name\n1,\"Acme, Inc.\"\n2,\"x\"\n");
        assertEquals(List.of(1L, 2L), longs(result));
        assertEquals(0, result.stats().invalid());
    }

    @Test
    void quotedIdIsUnquoted() throws Exception {
        assertEquals(List.of(12L), longs(csv("firm_root_id,name\n\"12\",a\n")));
    }

    @Test
    void doubledQuotesInAFieldAreOneQuote() throws Exception {
        IdLoadResult result = csv("firm_root_id\n\"1\"\"2\"\n");
        assertEquals(List.of("1\"2"), invalidValues(result));
    }

    @Test
    void quotedLineBreakKeepsLaterLineNumbersRight() throws Exception {
        IdLoadResult result = csv("firm_root_id,note\n1,\"two\nline\nnote\"\nbad,x\n");
        assertEquals(List.of(1L), longs(result));
        assertEquals(List.of(5L), lines(result));
        assertEquals(5, result.stats().lines());
    }

    @Test
    void crlfRecordsAreRead() throws Exception {
        IdLoadResult result = csv("firm_root_id,name\r\n1,a\r\nbad,b\r\n2,c\r\n");
        assertEquals(List.of(1L, 2L), longs(result));
        assertEquals(List.of(3L), lines(result));
        assertEquals(4, result.stats().lines());
    }

    @Test
    void loneCrRecordsAreRead() throws Exception {
        IdLoadResult result = csv("firm_root_id,name\r1,a\rbad,b\r2,c");
        assertEquals(List.of(1L, 2L), longs(result));
        assertEquals(List.of(3L), lines(result));
    }

    @Test
    void byteOrderMarkIsIgnored() throws Exception {
        assertEquals(List.of(1L), longs(csv(BOM + "firm_root_id\n1\n")));
    }

    @Test
    void columnIsChosenByName() throws Exception {
        IdLoadResult result = csv("Company", "firm_root_id,company\n1,100\n2,200\n");
        assertEquals(List.of(100L, 200L), longs(result));
        assertEquals("company", result.columnName());
    }

    @Test
    void columnIsChosenByOneBasedNumber() throws Exception {
        IdLoadResult result = csv("2", "a,b,c\n1,10,100\n2,20,200\n");
        assertEquals(List.of(10L, 20L), longs(result));
        assertEquals("b", result.columnName());
    }

    @Test
    void numberedColumnWithAnIdOnTheFirstRowHasNoHeader() throws Exception {
        IdLoadResult result = csv("2", "x,10\ny,20\n");
        assertEquals(List.of(10L, 20L), longs(result));
        assertNull(result.columnName());
    }

    @Test
    void numberedColumnBeyondTheFirstRowIsAnError() {
        IdInputException e = assertThrows(IdInputException.class, () -> csv("4", "a,b,c\n1,2,3\n"));
        assertTrue(e.getMessage().contains("only 3 columns"), e.getMessage());
        assertTrue(e.getMessage().contains("'a', 'b', 'c'"), e.getMessage());
    }

    @Test
    void columnNumberZeroIsAnError() {
        IdInputException e = assertThrows(IdInputException.class, () -> csv("0", "a,b\n1,2\n"));
        assertTrue(e.getMessage().contains("between 1 and"), e.getMessage());
    }

    @Test
    void multiColumnFileWithoutTheHeaderListsTheHeadersAndTheOption() {
        IdInputException e = assertThrows(IdInputException.class, () -> csv("id_firm,name,city\n1,a,b\n"));
        String m = e.getMessage();
        assertTrue(m.contains("ids.csv:1"), m);
        assertTrue(m.contains("'id_firm', 'name', 'city'"), m);
        assertTrue(m.contains("--id-column NAME|NUMBER"), m);
        assertTrue(m.contains("firm_root_id"), m);
    }

    @Test
    void unknownColumnNameListsTheHeaders() {
        IdInputException e = assertThrows(IdInputException.class, () -> csv("nope", "a;b\n1;2\n"));
        assertTrue(e.getMessage().contains("--id-column 'nope'"), e.getMessage());
        assertTrue(e.getMessage().contains("'a', 'b'"), e.getMessage());
        assertTrue(e.getMessage().contains("';' (semicolon)"), e.getMessage());
    }

    @Test
    void oneColumnFileWithoutHeaderUsesItsOnlyColumn() throws Exception {
        IdLoadResult result = csv("1\n2\n3\n");
        assertEquals(List.of(1L, 2L, 3L), longs(result));
        assertNull(result.columnName());
    }

    @Test
    void oneColumnFileWithAnotherHeaderNameSkipsTheHeader() throws Exception {
        IdLoadResult result = csv("ids\n1\n2\n");
        assertEquals(List.of(1L, 2L), longs(result));
        assertEquals("ids", result.columnName());
        assertEquals(0, result.stats().invalid());
        assertTrue(result.warnings().stream().anyMatch(w -> w.contains("'ids' is taken as the header")));
    }

    @Test
    void oneColumnFileKeepsCommasInsideItsValues() throws Exception {
        // No delimiter on the first line: the file has one column, so "1,234" is one (invalid) value.
        IdLoadResult result = csv("firm_root_id\n1,234\n5\n");
        assertEquals(List.of(5L), longs(result));
        assertTrue(onlyReason(result).startsWith("contains thousands separators"));
    }

    @Test
    void rowTooShortForTheIdColumnIsInvalidWithAReason() throws Exception {
        IdLoadResult result = csv("name,firm_root_id\nacme,1\nbeta\n");
        assertEquals(List.of(1L), longs(result));
        assertEquals(List.of(3L), lines(result));
        String reason = onlyReason(result);
        assertTrue(reason.startsWith("row has 1 column, but the ID column 'firm_root_id' is column 2"), reason);
    }

    @Test
    void emptyRowsAreBlank() throws Exception {
        IdLoadResult result = csv("name,firm_root_id\n\nacme,1\n,\n  \n");
        assertEquals(3, result.stats().blank());
        assertEquals(0, result.stats().invalid());
    }

    @Test
    void emptyIdFieldIsBlank() throws Exception {
        IdLoadResult result = csv("name,firm_root_id\nacme,\nbeta,\"\"\ngamma,2\n");
        assertEquals(2, result.stats().blank());
        assertEquals(List.of(2L), longs(result));
    }

    @Test
    void blankLinesBeforeTheHeaderAreSkipped() throws Exception {
        IdLoadResult result = csv("\n\nname,firm_root_id\nacme,1\nbad,x\n");
        assertEquals(List.of(1L), longs(result));
        assertEquals(List.of(5L), lines(result));
        assertEquals(2, result.stats().blank());
    }

    @Test
    void duplicatesKeepFirstSeenOrder() throws Exception {
        IdLoadResult result = csv("firm_root_id,n\n3,a\n1,b\n3,c\n2,d\n01,e\n");
        assertEquals(List.of(3L, 1L, 2L), longs(result));
        assertEquals(2, result.stats().duplicates());
    }

    @Test
    void sqlFragmentInAFieldIsOneInvalidValue() throws Exception {
        IdLoadResult result = csv("firm_root_id,n\n\"1); DROP TABLE firm; --\",a\n2,b\n");
        assertEquals(List.of(2L), longs(result));
        assertEquals(1, result.stats().invalid());
        assertTrue(onlyReason(result).contains("SQL"));
    }

    @Test
    void spreadsheetExponentInACsvGetsTheHint() throws Exception {
        IdLoadResult result = csv("firm_root_id,n\n1.23457E+11,a\n");
        assertTrue(onlyReason(result).contains("spreadsheet"));
    }

    @Test
    void textAfterAClosingQuoteIsBrokenQuoting() throws Exception {
        IdLoadResult result = csv("firm_root_id,n\n\"12\"3,a\n4,b\n");
        assertEquals(List.of(4L), longs(result));
        assertEquals(List.of(2L), lines(result));
        assertTrue(onlyReason(result).startsWith("broken quoting"));
    }

    @Test
    void blanksAfterAClosingQuoteAreFine() throws Exception {
        assertEquals(List.of(12L), longs(csv("firm_root_id,n\n\"12\"  ,a\n")));
    }

    @Test
    void quoteNeverClosedIsBrokenQuotingNotAnError() throws Exception {
        IdLoadResult result = csv("firm_root_id,n\n1,a\n\"2\n");
        assertEquals(List.of(1L), longs(result));
        assertEquals(List.of(3L), lines(result));
        assertTrue(onlyReason(result).startsWith("broken quoting"));
    }

    @Test
    void quoteClosedLinesLaterSwallowsThoseLinesIntoOneInvalidValue() throws Exception {
        IdLoadResult result = csv("firm_root_id\n\"1\n2\n3\"\n4\n");
        assertEquals(List.of(4L), longs(result));
        assertEquals(List.of(2L), lines(result));
        assertTrue(onlyReason(result).startsWith("contains a line break"));
    }

    @Test
    void tsvUsesTabs() throws Exception {
        IdLoadResult result = loadFile(IdFixtures.integers(), dir, "ids.tsv", "name\tfirm_root_id\na,b\t1\n");
        assertEquals(List.of(1L), longs(result));
    }

    @Test
    void tsvDoesNotSplitOnCommas() throws Exception {
        IdLoadResult result = loadFile(IdFixtures.integers(), dir, "ids.tab", "firm_root_id\tname\n1,2\tx\n3\ty\n");
        assertEquals(List.of(3L), longs(result));
        assertEquals(List.of("1,2"), invalidValues(result));
    }
}
