package dev.firmquery.ids;

import dev.firmquery.export.CsvDialect;
import dev.firmquery.export.IdListWriter;
import dev.firmquery.export.OutputFile;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static dev.firmquery.ids.IdFixtures.longs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A previous run's ID lists are an input as they are: {@code _missing.csv} (one column headed by the ID
 * column) and {@code _failed.csv} (ID, chunk, error), whatever the query called its ID column and in
 * every CSV dialect the run may have written them in.
 */
@DisplayName("A previous run's ID lists load back")
class PreviousRunListsTest {
    @TempDir
    Path dir;

    static Stream<CsvDialect> dialects() {
        return Stream.of(CsvDialect.RFC4180, new CsvDialect(';', true, CsvDialect.LineEnding.LF),
                new CsvDialect('\t', true, CsvDialect.LineEnding.CRLF), new CsvDialect('|', false,
                        CsvDialect.LineEnding.LF));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void aFailedListLoadsBackWhateverItsIdColumnIsNamed(CsvDialect dialect) throws Exception {
        Path failed = dir.resolve("run_failed.csv");
        try (IdListWriter w = IdListWriter.failed(failed, "firm_id", OutputFile.OWNER_READ_WRITE, false, dialect)) {
            w.failed(11, 1, "timeout; after 3 tries, \"cancelled\"");
            w.failed(12, 1, "line one\nline two|tab\there");
            w.commit();
        }
        IdLoadResult result = IdFixtures.integers().load(failed);
        assertEquals(List.of(11L, 12L), longs(result));
        assertEquals("firm_id", result.columnName());
        assertEquals(0, result.stats().invalid());
        assertTrue(result.warnings().stream().anyMatch(m -> m.contains("read as a failed-ID list")),
                result.warnings().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void aMissingListLoadsBack(CsvDialect dialect) throws Exception {
        Path missing = dir.resolve("run_missing.csv");
        try (IdListWriter w = IdListWriter.missing(missing, "firm_id", OutputFile.OWNER_READ_WRITE, false, dialect)) {
            w.id(21);
            w.id(22);
            w.commit();
        }
        IdLoadResult result = IdFixtures.integers().load(missing);
        assertEquals(List.of(21L, 22L), longs(result));
        assertEquals("firm_id", result.columnName());
    }
}
