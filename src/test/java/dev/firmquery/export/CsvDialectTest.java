package dev.firmquery.export;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CSV dialects ({@code output.csv_delimiter}, {@code output.csv_bom}, {@code output.csv_line_ending}):
 * whatever the dialect, the files read back, with Jackson's CSV parser rather than the Commons CSV that
 * wrote them, to the values an RFC 4180 file holds; seeded random rows with delimiters, quotes, CR, LF
 * and non-ASCII text in their values.
 */
@DisplayName("CSV dialects")
class CsvDialectTest {
    private static final List<Column> COLUMNS = Rows.allKinds();
    private static final int ROWS = 400;

    @TempDir
    Path dir;

    static Stream<CsvDialect> dialects() {
        return Stream.of(new CsvDialect(';', true, CsvDialect.LineEnding.LF),
                new CsvDialect('\t', false, CsvDialect.LineEnding.CRLF),
                new CsvDialect('|', false, CsvDialect.LineEnding.LF),
                new CsvDialect(',', true, CsvDialect.LineEnding.CRLF));
    }

    private Path write(String name, CsvDialect dialect, boolean gzip) throws IOException {
        Rows.RandomValues values = new Rows.RandomValues(42, 0.1);
        Path target = dir.resolve(name);
        try (CsvResultWriter w = new CsvResultWriter(target, gzip, OutputFile.OWNER_READ_WRITE, false, dialect)) {
            w.begin(COLUMNS);
            for (int i = 0; i < ROWS; i++) {
                w.row(values.row(COLUMNS));
            }
            return w.commit(List.of());
        }
    }

    /** Every record as Jackson reads it, header included; the byte order mark must be there or not as said. */
    static List<List<String>> read(InputStream in, char delimiter, boolean bom) throws IOException {
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(delimiter).withQuoteChar('"');
        List<List<String>> rows = new ArrayList<>();
        try (PushbackReader r = new PushbackReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1)) {
            int first = r.read();
            assertEquals(bom, first == '\uFEFF', "byte order mark present: " + bom);
            if (first >= 0 && first != '\uFEFF') {
                r.unread(first);
            }
            try (MappingIterator<List<String>> it = mapper.readerForListOf(String.class).with(schema).readValues(r)) {
                while (it.hasNext()) {
                    rows.add(it.next());
                }
            }
        }
        return rows;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void aDialectHoldsTheValuesOfTheRfc4180File(CsvDialect dialect) throws IOException {
        List<List<String>> expected = read(Files.newInputStream(write("plain.csv", CsvDialect.RFC4180, false)), ',',
                false);
        List<List<String>> actual = read(Files.newInputStream(write("dialect.csv", dialect, false)),
                dialect.delimiter(), dialect.bom());
        assertEquals(ROWS + 1, expected.size());
        assertEquals(expected, actual);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void recordsEndWithTheDialectsLineEnding(CsvDialect dialect) throws IOException {
        String text = Files.readString(write("dialect.csv", dialect, false), StandardCharsets.UTF_8);
        String header = text.substring(dialect.bom() ? 1 : 0, text.indexOf('\n') + 1);
        assertEquals(String.join(String.valueOf(dialect.delimiter()), COLUMNS.stream().map(Column::label).toList())
                + dialect.lineEnding().chars(), header);
        assertTrue(text.endsWith(dialect.lineEnding().chars()));
        if (dialect.lineEnding() == CsvDialect.LineEnding.LF) {
            assertFalse(text.endsWith("\r\n"));
        }
    }

    @Test
    void theByteOrderMarkIsInsideTheGzipStream() throws IOException {
        CsvDialect dialect = new CsvDialect(';', true, CsvDialect.LineEnding.LF);
        Path gz = write("dialect.csv.gz", dialect, true);
        byte[] head = new GZIPInputStream(Files.newInputStream(gz)).readNBytes(3);
        assertArrayEquals(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, head);
        assertEquals(read(Files.newInputStream(write("dialect.csv", dialect, false)), ';', true),
                read(new GZIPInputStream(Files.newInputStream(gz)), ';', true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void recordsEncodedByAWorkerAreTheBytesOfRowsWrittenDirectly(CsvDialect dialect) throws IOException {
        Path direct = write("direct.csv", dialect, false);
        Rows.RandomValues values = new Rows.RandomValues(42, 0.1);
        CsvRecords records = new CsvRecords(COLUMNS, false, dialect);
        StringBuilder parts = new StringBuilder();
        for (int i = 0; i < ROWS; i++) {
            records.append(values.row(COLUMNS), parts);
        }
        Path target = dir.resolve("appended.csv");
        try (CsvResultWriter w = new CsvResultWriter(target, false, OutputFile.OWNER_READ_WRITE, false, dialect)) {
            w.begin(COLUMNS);
            w.appendEncoded(out -> out.write(parts.toString().getBytes(StandardCharsets.UTF_8)), ROWS);
            w.commit(List.of());
        }
        assertArrayEquals(Files.readAllBytes(direct), Files.readAllBytes(target));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void idListsAreWrittenInTheDialect(CsvDialect dialect) throws IOException {
        Path missing = dir.resolve("m.csv");
        Path failed = dir.resolve("f.csv");
        try (IdListWriter m = IdListWriter.missing(missing, "firm_id", OutputFile.OWNER_READ_WRITE, false, dialect);
             IdListWriter f = IdListWriter.failed(failed, "firm_id", OutputFile.OWNER_READ_WRITE, false, dialect)) {
            m.id(7);
            m.id("Ä;1|2\t3");
            f.failed(8, 2, "timeout; after 3 tries, \"cancelled\"\nsee the log");
            m.commit();
            f.commit();
        }
        char d = dialect.delimiter();
        assertEquals(List.of(List.of("firm_id"), List.of("7"), List.of("Ä;1|2\t3")),
                read(Files.newInputStream(missing), d, dialect.bom()));
        assertEquals(List.of(List.of("firm_id", "chunk", "error"),
                        List.of("8", "2", "timeout; after 3 tries, \"cancelled\"\nsee the log")),
                read(Files.newInputStream(failed), d, dialect.bom()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void theSettingsSpellEachDialect(CsvDialect dialect) {
        assertEquals(dialect, CsvDialect.of(dialect.delimiterName(), dialect.bom(),
                dialect.lineEnding().settingName()));
    }

    @Test
    void aDelimiterThatWouldMakeRecordsAmbiguousIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CsvDialect('"', false, CsvDialect.LineEnding.LF));
        assertTrue(e.getMessage().contains("',', ';', tab or '|'"), e.getMessage());
    }

    @Test
    void theDefaultIsRfc4180() {
        assertEquals(new CsvDialect(',', false, CsvDialect.LineEnding.CRLF), CsvDialect.RFC4180);
    }
}
