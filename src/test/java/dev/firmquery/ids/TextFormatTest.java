package dev.firmquery.ids;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.firmquery.ids.IdFixtures.BOM;
import static dev.firmquery.ids.IdFixtures.invalidValues;
import static dev.firmquery.ids.IdFixtures.lines;
import static dev.firmquery.ids.IdFixtures.loadFile;
import static dev.firmquery.ids.IdFixtures.longs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Plain text ID files (.txt)")
class TextFormatTest {
    @TempDir
    Path dir;

    private IdLoadResult load(String content) throws IdInputException {
        return loadFile(IdFixtures.integers(), dir, "ids.txt", content);
    }

    @Test
    void oneIdPerLine() throws Exception {
        assertEquals(List.of(1L, 2L, 3L), longs(load("1\n2\n3\n")));
    }

    @Test
    void lastLineWithoutTerminatorIsRead() throws Exception {
        IdLoadResult result = load("1\n2");
        assertEquals(List.of(1L, 2L), longs(result));
        assertEquals(2, result.stats().lines());
    }

    @Test
    void byteOrderMarkIsIgnored() throws Exception {
        IdLoadResult result = load(BOM + "1\n2\n");
        assertEquals(List.of(1L, 2L), longs(result));
        assertEquals(0, result.stats().invalid());
    }

    @Test
    void crlfLineEndsCountOneLineEach() throws Exception {
        IdLoadResult result = load("1\r\n2\r\nx\r\n");
        assertEquals(List.of(1L, 2L), longs(result));
        assertEquals(3, result.stats().lines());
        assertEquals(List.of(3L), lines(result));
    }

    @Test
    void loneCarriageReturnEndsALine() throws Exception {
        IdLoadResult result = load("1\r2\rx\r");
        assertEquals(List.of(1L, 2L), longs(result));
        assertEquals(3, result.stats().lines());
        assertEquals(List.of(3L), lines(result));
    }

    @Test
    void valuesAreSeparatedByWhitespaceCommasAndSemicolons() throws Exception {
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), longs(load("1 2,3;4\t5 ,; 6")));
    }

    @Test
    void noBreakSpaceSeparatesValues() throws Exception {
        assertEquals(List.of(1L, 2L), longs(load("1\u00A02")));
    }

    @Test
    void quotedValuesAreUnquoted() throws Exception {
        assertEquals(List.of(1L, 2L), longs(load("\"1\"\n'2'\n")));
    }

    @Test
    void blankLinesAreCountedAsBlankNotInvalid() throws Exception {
        IdLoadResult result = load("1\n\n   \n2\n");
        assertEquals(2, result.stats().blank());
        assertEquals(0, result.stats().invalid());
        assertEquals(2, result.stats().values());
    }

    @Test
    void emptyQuotedValueIsBlank() throws Exception {
        IdLoadResult result = load("1 \"\" 2");
        assertEquals(1, result.stats().blank());
        assertEquals(List.of(1L, 2L), longs(result));
    }

    @Test
    void headerWordIsSkippedAndReported() throws Exception {
        IdLoadResult result = load("firm_root_id\n1\n2\n");
        assertEquals(List.of(1L, 2L), longs(result));
        assertEquals(0, result.stats().invalid());
        assertEquals(2, result.stats().values());
        assertEquals("firm_root_id", result.columnName());
        assertTrue(result.warnings().stream().anyMatch(w -> w.contains("'firm_root_id' is a header")),
                result.warnings().toString());
    }

    @Test
    void anyNonIdWordOnTheFirstLineIsAHeader() throws Exception {
        IdLoadResult result = load("id\n1\n");
        assertEquals("id", result.columnName());
        assertEquals(0, result.stats().invalid());
    }

    @Test
    void headerAfterBlankLinesIsStillAHeader() throws Exception {
        IdLoadResult result = load("\n\nfirm_root_id\n1\n");
        assertEquals("firm_root_id", result.columnName());
        assertEquals(2, result.stats().blank());
        assertEquals(0, result.stats().invalid());
    }

    @Test
    void quotedHeaderIsAHeader() throws Exception {
        assertEquals("firm_root_id", load("\"firm_root_id\"\n1\n").columnName());
    }

    @Test
    void firstLineWithSeveralWordsIsNotAHeader() throws Exception {
        IdLoadResult result = load("firm_root_id 5\n1\n");
        assertNull(result.columnName());
        assertEquals(List.of(5L, 1L), longs(result));
        assertEquals(1, result.stats().invalid());
        assertEquals(List.of("firm_root_id"), invalidValues(result));
    }

    @Test
    void firstWordWithDigitsIsAMistypedIdNotAHeader() throws Exception {
        IdLoadResult result = load("12a4\n1\n");
        assertNull(result.columnName());
        assertEquals(List.of("12a4"), invalidValues(result));
    }

    @Test
    void wordOnALaterLineIsInvalidNotAHeader() throws Exception {
        IdLoadResult result = load("1\nfirm_root_id\n");
        assertNull(result.columnName());
        assertEquals(List.of(2L), lines(result));
    }

    @Test
    void firstLineThatIsAnIdIsData() throws Exception {
        IdLoadResult result = load("7\n8\n");
        assertNull(result.columnName());
        assertEquals(List.of(7L, 8L), longs(result));
    }

    @Test
    void duplicatesAreDroppedKeepingFirstSeenOrder() throws Exception {
        IdLoadResult result = load("5\n3\n5\n1\n3\n9\n");
        assertEquals(List.of(5L, 3L, 1L, 9L), longs(result));
        assertEquals(2, result.stats().duplicates());
        assertEquals(4, result.stats().valid());
        assertEquals(6, result.stats().values());
    }

    @Test
    void leadingZerosMakeTheSameId() throws Exception {
        IdLoadResult result = load("7\n007\n0007\n");
        assertEquals(List.of(7L), longs(result));
        assertEquals(2, result.stats().duplicates());
    }

    @Test
    void invalidExamplesCarryOneBasedLinesAndRawValues() throws Exception {
        IdLoadResult result = load("1\nabc1\n2\n-3 4\n");
        assertEquals(List.of(2L, 4L), lines(result));
        assertEquals(List.of("abc1", "-3"), invalidValues(result));
    }

    @Test
    void onlyTheFirstTwentyInvalidValuesAreKeptButAllAreCounted() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 25; i++) {
            sb.append("bad").append(i).append('\n');
        }
        IdLoadResult result = load("1\n" + sb);
        assertEquals(25, result.stats().invalid());
        assertEquals(IdLoadResult.MAX_INVALID_EXAMPLES, result.invalidExamples().size());
        assertEquals("bad20", result.invalidExamples().get(19).value());
        assertEquals(21L, result.invalidExamples().get(19).line());
    }

    @Test
    void statsAddUp() throws Exception {
        IdLoadResult result = load("1\n1\nx\n\n2\n");
        IdStats s = result.stats();
        assertEquals(new IdStats(5, 4, 2, 1, 1, 1), s);
        assertEquals(s.values(), s.valid() + s.duplicates() + s.invalid());
    }

    @Test
    void sqlFragmentBecomesInvalidTokens() throws Exception {
        IdLoadResult result = load("1\n1); DROP TABLE firm; --\n2\n");
        assertEquals(List.of(1L, 2L), longs(result));
        assertEquals(5, result.stats().invalid());
        assertTrue(result.invalidExamples().get(0).reason().contains("SQL"));
    }

    @Test
    void idColumnOptionIsIgnoredWithAWarning() throws Exception {
        IdLoadResult result = loadFile(IdFixtures.integers("firm"), dir, "ids.txt", "1\n");
        assertEquals(List.of(1L), longs(result));
        assertTrue(result.warnings().stream().anyMatch(w -> w.contains("--id-column firm is ignored")));
    }
}
