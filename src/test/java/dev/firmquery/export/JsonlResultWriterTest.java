package dev.firmquery.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JSON Lines results: one typed object per row. Read back with Jackson's tokenizer (an independent
 * parser) into Java values, they equal the rows written, and rendered as the CSV renders them they equal
 * the CSV file's cells, NULLs and non-ASCII text included.
 */
@DisplayName("JSON Lines results")
class JsonlResultWriterTest {
    private static final List<Column> COLUMNS = Rows.allKinds();
    private static final int ROWS = 600;
    private static final long SEED = 7;

    @TempDir
    Path dir;

    private Path jsonl(List<Column> columns, List<Object[]> rows) throws IOException {
        Path target = dir.resolve("r.jsonl");
        try (JsonlResultWriter w = new JsonlResultWriter(target, OutputFile.OWNER_READ_WRITE)) {
            w.begin(columns);
            for (Object[] r : rows) {
                w.row(r);
            }
            return w.commit(List.of());
        }
    }

    private static List<Object[]> randomRows() {
        Rows.RandomValues values = new Rows.RandomValues(SEED, 0.15);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(values.row(COLUMNS));
        }
        return rows;
    }

    @Test
    void eachKindIsWrittenTyped() throws IOException {
        Object[] row = {9_007_199_254_740_991L, new BigDecimal("12345678901234567890.0100"), 0.1, true,
                LocalDate.of(2026, 11, 22), LocalDateTime.of(2026, 11, 22, 10, 15, 0, 123_000),
                OffsetDateTime.of(2026, 11, 22, 10, 15, 0, 0, ZoneOffset.ofHoursMinutes(5, 30)), "Müller \"&\" Söhne\n"};
        Object[] other = {9_007_199_254_740_992L, null, Double.NaN, false, LocalDate.MAX, LocalDateTime.MIN,
                OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), "中\u2028"};
        String text = Files.readString(jsonl(COLUMNS, List.of(row, other)), StandardCharsets.UTF_8);
        assertEquals("{\"integer\":9007199254740991,\"decimal\":12345678901234567890.0100,\"float\":0.1,"
                + "\"boolean\":true,\"date\":\"2026-11-22\",\"timestamp\":\"2026-11-22T10:15:00.000123\","
                + "\"timestamptz\":\"2026-11-22T10:15:00+05:30\",\"text\":\"Müller \\\"&\\\" Söhne\\n\"}\n"
                + "{\"integer\":\"9007199254740992\",\"decimal\":null,\"float\":\"NaN\",\"boolean\":false,"
                + "\"date\":\"infinity\",\"timestamp\":\"-infinity\",\"timestamptz\":\"2026-01-01T00:00:00+00:00\","
                + "\"text\":\"中\\u2028\"}\n", text);
    }

    @Test
    void aRepeatedLabelGetsASuffixSoNoKeyIsLost() {
        assertEquals(List.of("id", "name", "id_2", "id_3"), JsonlResultWriter.keys(List.of(
                Rows.column("id", ColumnKind.INTEGER), Rows.column("name", ColumnKind.TEXT),
                Rows.column("id", ColumnKind.INTEGER), Rows.column("id", ColumnKind.TEXT))));
    }

    @Test
    void randomRowsReadBackAsTheValuesWritten() throws IOException {
        List<Object[]> rows = randomRows();
        List<Object[]> read = readJsonl(jsonl(COLUMNS, rows), COLUMNS);
        assertEquals(rows.size(), read.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(Arrays.asList(plain(rows.get(i))), Arrays.asList(read.get(i)), "row " + (i + 1));
        }
    }

    @Test
    void everyValueMatchesTheCsvCell() throws IOException {
        List<Object[]> rows = randomRows();
        List<Object[]> read = readJsonl(jsonl(COLUMNS, rows), COLUMNS);
        Path csv = dir.resolve("r.csv");
        try (CsvResultWriter w = new CsvResultWriter(csv, false)) {
            w.begin(COLUMNS);
            for (Object[] r : rows) {
                w.row(r);
            }
            w.commit(List.of());
        }
        List<List<String>> cells = readCsv(csv);
        assertEquals(COLUMNS.stream().map(Column::label).toList(), cells.get(0));
        int nulls = 0;
        int nonAscii = 0;
        for (int i = 0; i < read.size(); i++) {
            for (int c = 0; c < COLUMNS.size(); c++) {
                Object v = read.get(i)[c];
                nulls += v == null ? 1 : 0;
                nonAscii += v instanceof String s && s.chars().anyMatch(ch -> ch > 0x7F) ? 1 : 0;
                assertEquals(cells.get(i + 1).get(c), csvText(COLUMNS.get(c).kind(), v),
                        "row " + (i + 1) + ", " + COLUMNS.get(c).label());
            }
        }
        assertTrue(nulls > 100 && nonAscii > 50, nulls + " nulls, " + nonAscii + " non-ASCII texts compared");
    }

    @Test
    void anAbandonedFileLeavesNothing() throws IOException {
        try (JsonlResultWriter w = new JsonlResultWriter(dir.resolve("gone.jsonl"), OutputFile.OWNER_READ_WRITE)) {
            w.begin(COLUMNS);
            w.row(randomRows().get(0));
        }
        try (var s = Files.list(dir)) {
            assertFalse(s.findAny().isPresent(), "no file, no temporary file");
        }
    }

    /** The row with numerics in plain notation, as both files write them: 5.8E+68 has scale 0, not -67. */
    private static Object[] plain(Object[] row) {
        Object[] copy = row.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] instanceof BigDecimal d && d.scale() < 0) {
                copy[i] = d.setScale(0);
            }
        }
        return copy;
    }

    /** The CSV writer's text for a value, by the CSV's own renderer ({@link PgText}); NULL is empty. */
    private static String csvText(ColumnKind kind, Object v) {
        if (v == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        return switch (kind) {
            case INTEGER -> v.toString();
            case DECIMAL -> ((BigDecimal) v).toPlainString();
            case FLOAT -> PgText.appendDouble(sb, (Double) v).toString();
            case BOOLEAN -> v.toString();
            case DATE -> PgText.appendDate(sb, (LocalDate) v).toString();
            case TIMESTAMP -> PgText.appendTimestamp(sb, (LocalDateTime) v).toString();
            case TIMESTAMPTZ -> PgText.appendTimestampTz(sb, (OffsetDateTime) v).toString();
            case TEXT -> (String) v;
        };
    }

    private static List<List<String>> readCsv(Path csv) throws IOException {
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<List<String>> rows = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             MappingIterator<List<String>> it = mapper.readerForListOf(String.class)
                     .with(CsvSchema.emptySchema().withColumnSeparator(',').withQuoteChar('"')).readValues(r)) {
            while (it.hasNext()) {
                rows.add(it.next());
            }
        }
        return rows;
    }

    /**
     * Each line through Jackson's tokenizer, each value back to its column's Java type from the token's
     * own text (numbers exactly, not through double), as a consumer reading the documented format would.
     */
    static List<Object[]> readJsonl(Path file, List<Column> columns) throws IOException {
        List<Object[]> rows = new ArrayList<>();
        JsonFactory factory = new JsonFactory();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            try (JsonParser p = factory.createParser(line)) {
                assertEquals(JsonToken.START_OBJECT, p.nextToken());
                Object[] row = new Object[columns.size()];
                List<String> keys = JsonlResultWriter.keys(columns);
                for (int c = 0; c < columns.size(); c++) {
                    assertEquals(JsonToken.FIELD_NAME, p.nextToken());
                    assertEquals(keys.get(c), p.currentName());
                    row[c] = value(columns.get(c).kind(), p.nextToken(), p.getText());
                }
                assertEquals(JsonToken.END_OBJECT, p.nextToken());
                assertEquals(null, p.nextToken(), "one object per line");
                rows.add(row);
            }
        }
        return rows;
    }

    private static Object value(ColumnKind kind, JsonToken token, String text) {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        boolean string = token == JsonToken.VALUE_STRING;
        return switch (kind) {
            case INTEGER -> {
                long v = Long.parseLong(text);
                assertEquals(Math.abs((double) v) > JsonlResultWriter.MAX_SAFE_INTEGER, string,
                        "an integer is a string exactly when it is beyond 2^53 - 1: " + text);
                yield v;
            }
            case DECIMAL -> {
                assertFalse(string, text);
                yield new BigDecimal(text);
            }
            case FLOAT -> {
                double d = Double.parseDouble(text);
                assertEquals(!Double.isFinite(d), string, text);
                yield d;
            }
            case BOOLEAN -> {
                assertTrue(token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE, text);
                yield token == JsonToken.VALUE_TRUE;
            }
            case DATE -> text.equals("infinity") ? LocalDate.MAX : text.equals("-infinity") ? LocalDate.MIN
                    : LocalDate.parse(text);
            case TIMESTAMP -> text.equals("infinity") ? LocalDateTime.MAX : text.equals("-infinity")
                    ? LocalDateTime.MIN : LocalDateTime.parse(text);
            case TIMESTAMPTZ -> text.equals("infinity") ? OffsetDateTime.MAX : text.equals("-infinity")
                    ? OffsetDateTime.MIN : OffsetDateTime.parse(text);
            case TEXT -> {
                assertTrue(string, text);
                yield text;
            }
        };
    }
}
