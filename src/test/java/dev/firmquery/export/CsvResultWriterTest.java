package dev.firmquery.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvResultWriterTest {

    @TempDir
    Path dir;

    private static final List<Column> TEXT_AND_ID = List.of(
            Rows.column("firm_root_id", ColumnKind.INTEGER),
            Rows.column("name", ColumnKind.TEXT));

    private Path writeCsv(Path target, boolean gzip, List<Column> columns, List<Object[]> rows)
            throws IOException {
        try (CsvResultWriter writer = new CsvResultWriter(target, gzip)) {
            writer.begin(columns);
            for (Object[] row : rows) {
                writer.row(row);
            }
            return writer.commit(List.of(new ResultWriter.SummaryLine("Rows", (long) rows.size())));
        }
    }

    private static List<List<String>> readCsv(Path file, boolean gzip) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = gzip ? new GZIPInputStream(raw) : raw;
                Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.parse(reader, CSVFormat.RFC4180)) {
            List<List<String>> records = new ArrayList<>();
            for (CSVRecord record : parser) {
                records.add(record.toList());
            }
            return records;
        }
    }

    /** What the CSV must contain for {@code value}, computed independently of the writer. */
    private static String expectedText(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return value.toString();
    }

    private static List<Object[]> trickyTextRows() {
        return List.of(
                Rows.row(1L, "plain"),
                Rows.row(2L, "comma, inside"),
                Rows.row(3L, "quote \" inside and \"\"doubled\"\""),
                Rows.row(4L, "line\nbreak and\r\nCRLF"),
                Rows.row(5L, null),
                Rows.row(6L, ""),
                Rows.row(7L, "  leading and trailing spaces  "),
                Rows.row(8L, "unicode: é ß 中文 😀 \u2028"),
                Rows.row(null, "# looks like a comment"),
                Rows.row(Long.MIN_VALUE, "\"")
        );
    }

    @Test
    void roundTripsQuotesCommasNewlinesNullsAndUnicode() throws IOException {
        List<Object[]> rows = trickyTextRows();
        Path file = writeCsv(dir.resolve("out.csv"), false, TEXT_AND_ID, rows);

        List<List<String>> records = readCsv(file, false);
        assertEquals(List.of("firm_root_id", "name"), records.get(0));
        assertEquals(rows.size() + 1, records.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(List.of(expectedText(rows.get(i)[0]), expectedText(rows.get(i)[1])),
                    records.get(i + 1), "row " + i);
        }
    }

    @Test
    void gzipVariantRoundTripsTheSameRecords() throws IOException {
        List<Object[]> rows = trickyTextRows();
        Path plain = writeCsv(dir.resolve("plain.csv"), false, TEXT_AND_ID, rows);
        Path gzipped = writeCsv(dir.resolve("packed.csv.gz"), true, TEXT_AND_ID, rows);

        assertEquals(dir.resolve("packed.csv.gz").toAbsolutePath(), gzipped);
        assertEquals(readCsv(plain, false), readCsv(gzipped, true));
        byte[] head = Files.readAllBytes(gzipped);
        assertEquals((byte) 0x1f, head[0], "gzip magic");
        assertEquals((byte) 0x8b, head[1], "gzip magic");
    }

    @Test
    void usesCrlfUtf8WithoutBomAndAnUnquotedEmptyFieldForNull() throws IOException {
        Path file = writeCsv(dir.resolve("bytes.csv"), false, TEXT_AND_ID,
                List.of(Rows.row(1L, null), Rows.row(2L, "é")));

        byte[] bytes = Files.readAllBytes(file);
        assertFalse(bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB,
                "no byte order mark");
        assertEquals("firm_root_id,name\r\n1,\r\n2,é\r\n",
                new String(bytes, StandardCharsets.UTF_8));
    }

    @Test
    void rendersEveryKindLikePostgresqlTextOutput() throws IOException {
        List<Column> columns = Rows.allKinds();
        List<Object[]> rows = List.of(
                Rows.row(-42L, new BigDecimal("1234.500"), 0.1, true,
                        LocalDate.of(2024, 2, 29), LocalDateTime.of(2024, 2, 29, 13, 5, 9),
                        OffsetDateTime.of(2024, 2, 29, 13, 5, 9, 120_000_000, ZoneOffset.UTC),
                        "text"),
                Rows.row(9_223_372_036_854_775_807L, new BigDecimal("1E+3"), 1e20, false,
                        LocalDate.MAX, LocalDateTime.of(2024, 1, 1, 0, 0, 0, 1_000),
                        OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHoursMinutes(5, 30)),
                        "x"),
                Rows.row(null, null, Double.NaN, null, LocalDate.of(-43, 3, 15),
                        LocalDateTime.MIN, OffsetDateTime.MAX, null));
        Path file = writeCsv(dir.resolve("kinds.csv"), false, columns, rows);

        List<List<String>> records = readCsv(file, false);
        assertEquals(List.of("integer", "decimal", "float", "boolean", "date", "timestamp",
                "timestamptz", "text"), records.get(0));
        assertEquals(List.of("-42", "1234.500", "0.1", "true", "2024-02-29",
                "2024-02-29 13:05:09", "2024-02-29 13:05:09.12+00", "text"), records.get(1));
        assertEquals(List.of("9223372036854775807", "1000", "1e+20", "false", "infinity",
                "2024-01-01 00:00:00.000001", "2024-01-01 00:00:00+05:30", "x"), records.get(2));
        assertEquals(List.of("", "", "NaN", "", "0044-03-15 BC", "-infinity", "infinity", ""),
                records.get(3));
    }

    @Test
    void roundTripsSeededRandomRowsAsText() throws IOException {
        List<Column> columns = List.of(Rows.column("id", ColumnKind.INTEGER),
                Rows.column("amount", ColumnKind.DECIMAL), Rows.column("note", ColumnKind.TEXT),
                Rows.column("flag", ColumnKind.BOOLEAN));
        Rows.RandomValues random = new Rows.RandomValues(4_180L, 0.2);
        List<Object[]> rows = Stream.generate(() -> random.row(columns)).limit(2_000).toList();
        Path file = writeCsv(dir.resolve("random.csv"), false, columns, rows);

        List<List<String>> records = readCsv(file, false);
        assertEquals(rows.size() + 1, records.size());
        for (int i = 0; i < rows.size(); i++) {
            Object[] row = rows.get(i);
            List<String> expected = new ArrayList<>();
            for (Object value : row) {
                expected.add(expectedText(value));
            }
            assertEquals(expected, records.get(i + 1), "row " + i);
        }
    }

    @Test
    void emptyResultGivesTheHeaderOnly() throws IOException {
        Path file = writeCsv(dir.resolve("empty.csv"), false, TEXT_AND_ID, List.of());

        assertEquals("firm_root_id,name\r\n", Files.readString(file));
    }

    @Test
    void writesUnderATemporaryNameUntilCommit() throws IOException {
        Path target = dir.resolve("pending.csv");
        try (CsvResultWriter writer = new CsvResultWriter(target, false)) {
            writer.begin(TEXT_AND_ID);
            writer.row(Rows.row(1L, "a"));
            assertFalse(Files.exists(target));
            try (Stream<Path> files = Files.list(dir)) {
                assertTrue(files.anyMatch(p -> p.getFileName().toString()
                        .startsWith(".pending.csv.tmp-")));
            }
            writer.commit(List.of());
        }
        assertTrue(Files.exists(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList());
        }
    }

    @Test
    void closeWithoutCommitLeavesNoFile() throws IOException {
        try (CsvResultWriter writer = new CsvResultWriter(dir.resolve("abandoned.csv"), false)) {
            writer.begin(TEXT_AND_ID);
            writer.row(Rows.row(1L, "a"));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void refusesAnExistingTargetBeforeWritingAnything() throws IOException {
        Path target = dir.resolve("taken.csv");
        Files.writeString(target, "keep me");

        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> new CsvResultWriter(target, false));
        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        assertEquals("keep me", Files.readString(target));
    }

    @Test
    void publishedFileHasTheRequestedPermissions() throws IOException {
        Path target = dir.resolve("shared.csv");
        try (CsvResultWriter writer = new CsvResultWriter(target, false,
                PosixFilePermissions.fromString("rw-r-----"))) {
            writer.begin(TEXT_AND_ID);
            writer.commit(List.of());
        }

        assertEquals("rw-r-----",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    }
}
