package dev.firmquery.ids;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.firmquery.ids.IdFixtures.loadStream;
import static dev.firmquery.ids.IdFixtures.longs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Standard input and pasted text (AUTO format)")
class AutoFormatTest {
    private final IdLoader loader = IdFixtures.integers();

    @Test
    void pastedListOfIdsIsText() throws Exception {
        IdLoadResult result = loader.loadText("1\n2 3\n");
        assertEquals(List.of(1L, 2L, 3L), longs(result));
        assertNull(result.columnName());
    }

    @Test
    void pastedCommaSeparatedIdsAreTextNotCsv() throws Exception {
        // A delimiter but no header-like field: a list of IDs, not a one-row CSV.
        assertEquals(List.of(1L, 2L, 3L), longs(loader.loadText("1,2,3")));
    }

    @Test
    void pastedSpreadsheetColumnsWithAHeaderAreCsv() throws Exception {
        IdLoadResult result = loader.loadText("name\tfirm_root_id\nacme\t1\nbeta\t2\n");
        assertEquals(List.of(1L, 2L), longs(result));
        assertEquals("firm_root_id", result.columnName());
        assertEquals(0, result.stats().invalid());
    }

    @Test
    void csvWithoutTheDefaultHeaderNeedsTheIdColumn() {
        IdInputException e = assertThrows(IdInputException.class, () -> loader.loadText("name;code\nacme;1\n"));
        assertTrue(e.getMessage().startsWith("<pasted text>:1: no ID column"), e.getMessage());
    }

    @Test
    void csvHeaderIsRecognisedByTheConfiguredColumnName() throws Exception {
        IdLoadResult result = IdFixtures.integers("code").loadText("name;code\nacme;1\n");
        assertEquals(List.of(1L), longs(result));
    }

    @Test
    void singleWordHeaderWithoutDelimiterIsATextHeader() throws Exception {
        IdLoadResult result = loader.loadText("firm_root_id\n1\n2\n");
        assertEquals(List.of(1L, 2L), longs(result));
        assertEquals("firm_root_id", result.columnName());
    }

    @Test
    void pastedTextHasSourceDash() throws Exception {
        assertEquals("-", loader.loadText("1").source());
    }

    @Test
    void stdinAutoReadsCsv() throws Exception {
        IdLoadResult result = loadStream(loader, "firm_root_id|x\n5|a\n", InputFormat.AUTO);
        assertEquals(List.of(5L), longs(result));
        assertEquals("-", result.source());
    }

    @Test
    void stdinWithExplicitTextFormatIsNotSniffed() throws Exception {
        // As TEXT, "firm_root_id,name" is two values on the first line: no header, two invalid values.
        IdLoadResult result = loadStream(loader, "firm_root_id,name\n5\n", InputFormat.TEXT);
        assertEquals(List.of(5L), longs(result));
        assertEquals(2, result.stats().invalid());
    }

    @Test
    void stdinWithExplicitCsvFormatIsCsv() throws Exception {
        IdLoadResult result = loadStream(loader, "x,firm_root_id\na,5\n", InputFormat.CSV);
        assertEquals(List.of(5L), longs(result));
    }

    @Test
    void stdinErrorsNameStdin() {
        IdInputException e = assertThrows(IdInputException.class,
                () -> loadStream(loader, "a,b\n1,2\n", InputFormat.CSV));
        assertTrue(e.getMessage().startsWith("<stdin>:1:"), e.getMessage());
    }

    @Test
    void emptyPasteGivesNoIdsAndAWarning() throws Exception {
        IdLoadResult result = loader.loadText("");
        assertEquals(0, result.ids().size());
        assertEquals(0, result.stats().lines());
        assertTrue(result.warnings().stream().anyMatch(w -> w.contains("no valid IDs")));
    }
}
