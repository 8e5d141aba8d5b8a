package dev.firmquery.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.ReadingOptions;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XlsxResultWriterTest {

    @TempDir
    Path dir;

    private static final List<Column> TYPED = List.of(
            new Column("firm_root_id", "int8", ColumnKind.INTEGER),
            new Column("legacy_id", "int8", ColumnKind.INTEGER),
            new Column("amount", "numeric", ColumnKind.DECIMAL),
            new Column("exact_amount", "numeric", ColumnKind.DECIMAL),
            new Column("ratio", "float8", ColumnKind.FLOAT),
            new Column("active", "bool", ColumnKind.BOOLEAN),
            new Column("founded", "date", ColumnKind.DATE),
            new Column("updated", "timestamp", ColumnKind.TIMESTAMP),
            new Column("loaded", "timestamptz", ColumnKind.TIMESTAMPTZ),
            new Column("name", "text", ColumnKind.TEXT));

    private static final List<ResultWriter.SummaryLine> SUMMARY = List.of(
            new ResultWriter.SummaryLine("Status", "completed"),
            new ResultWriter.SummaryLine("Rows", 3L),
            new ResultWriter.SummaryLine("Missing IDs", 0),
            new ResultWriter.SummaryLine("Duration (s)", 1.5),
            new ResultWriter.SummaryLine("Gzip", Boolean.FALSE),
            new ResultWriter.SummaryLine("Query SHA-256", "ab12"));

    private XlsxResultWriter newWriter(Path target, int rowsPerSheet) throws IOException {
        return new XlsxResultWriter(target, OutputFile.OWNER_READ_WRITE, "firmquery", "0.1.0",
                rowsPerSheet);
    }

    private Path writeXlsx(String name, List<Column> columns, List<Object[]> rows,
            int rowsPerSheet, List<ResultWriter.SummaryLine> summary) throws IOException {
        try (XlsxResultWriter writer = newWriter(dir.resolve(name), rowsPerSheet)) {
            writer.begin(columns);
            for (Object[] row : rows) {
                writer.row(row);
            }
            return writer.commit(summary);
        }
    }

    private static List<String> sheetNames(Path file) throws IOException {
        try (ReadableWorkbook workbook = new ReadableWorkbook(file.toFile())) {
            return workbook.getSheets().map(Sheet::getName).toList();
        }
    }

    private static List<Row> sheetRows(Path file, String sheet) throws IOException {
        try (ReadableWorkbook workbook = new ReadableWorkbook(file.toFile(),
                new ReadingOptions(true, false))) {
            return workbook.findSheet(sheet).orElseThrow(
                    () -> new AssertionError("no sheet " + sheet)).read();
        }
    }

    private static String zipEntry(Path file, String name) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(name);
            if (entry == null) {
                throw new AssertionError("no " + name + " in " + file);
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private static List<String> texts(Row row) {
        List<String> texts = new ArrayList<>();
        for (int c = 0; c < row.getCellCount(); c++) {
            texts.add(row.getCellText(c));
        }
        return texts;
    }

    private static boolean isBlank(Row row, int c) {
        return !row.hasCell(c) || row.getCell(c) == null
                || row.getCell(c).getType() == CellType.EMPTY;
    }

    private static Cell cell(Row row, int c) {
        Cell cell = row.getCell(c);
        if (cell == null) {
            throw new AssertionError("no cell " + c + " in row " + row.getRowNum());
        }
        return cell;
    }

    private static void assertNumber(String expected, Cell cell) {
        assertEquals(CellType.NUMBER, cell.getType(), cell.getAddress() + " type");
        assertEquals(0, new BigDecimal(expected).compareTo(cell.asNumber()),
                cell.getAddress() + ": " + cell.asNumber());
    }

    private static void assertText(String expected, Cell cell) {
        assertEquals(CellType.STRING, cell.getType(), cell.getAddress() + " type");
        assertEquals(expected, cell.asString(), cell.getAddress() + " value");
    }

    private static List<Object[]> typedRows() {
        return List.of(
                Rows.row(1001L, 1234567890123456789L, new BigDecimal("1234.50"),
                        new BigDecimal("12345678901234567.89"), 0.25, true,
                        LocalDate.of(1999, 12, 31), LocalDateTime.of(2024, 3, 1, 13, 45, 30),
                        OffsetDateTime.of(2024, 3, 1, 15, 45, 30, 0, ZoneOffset.ofHours(2)),
                        "Acme, \"Ltd\"\nSecond line"),
                Rows.row(999_999_999_999_999L, -1_000_000_000_000_000L,
                        new BigDecimal("-0.000000000000001"), new BigDecimal("1E+400"),
                        -1.5e-7, false, LocalDate.MAX, LocalDateTime.of(1850, 1, 1, 0, 0),
                        OffsetDateTime.MIN, "中文 😀"),
                Rows.row(null, null, null, null, null, null, null, null, null, null));
    }

    @Test
    void writesTypedCellsThatReadBackCellByCell() throws IOException {
        Path file = writeXlsx("typed.xlsx", TYPED, typedRows(),
                XlsxResultWriter.EXCEL_MAX_DATA_ROWS, SUMMARY);

        List<Row> rows = sheetRows(file, "Results");
        assertEquals(4, rows.size());

        Row first = rows.get(1);
        assertNumber("1001", cell(first, 0));
        assertText("1234567890123456789", cell(first, 1));
        assertNumber("1234.5", cell(first, 2));
        assertText("12345678901234567.89", cell(first, 3));
        assertNumber("0.25", cell(first, 4));
        assertEquals(CellType.BOOLEAN, cell(first, 5).getType());
        assertEquals(Boolean.TRUE, cell(first, 5).asBoolean());
        assertEquals(CellType.NUMBER, cell(first, 6).getType());
        assertEquals(LocalDateTime.of(1999, 12, 31, 0, 0), cell(first, 6).asDate());
        assertEquals("yyyy-mm-dd", cell(first, 6).getDataFormatString());
        assertEquals(LocalDateTime.of(2024, 3, 1, 13, 45, 30), cell(first, 7).asDate());
        assertEquals("yyyy-mm-dd hh:mm:ss", cell(first, 7).getDataFormatString());
        assertEquals(LocalDateTime.of(2024, 3, 1, 13, 45, 30), cell(first, 8).asDate(),
                "timestamptz converted to UTC");
        assertEquals("yyyy-mm-dd hh:mm:ss", cell(first, 8).getDataFormatString());
        assertText("Acme, \"Ltd\"\nSecond line", cell(first, 9));

        Row second = rows.get(2);
        assertNumber("999999999999999", cell(second, 0));
        assertText("-1000000000000000", cell(second, 1));
        assertNumber("-0.000000000000001", cell(second, 2));
        assertText(new BigDecimal("1E+400").toPlainString(), cell(second, 3));
        assertNumber("-1.5E-7", cell(second, 4));
        assertEquals(Boolean.FALSE, cell(second, 5).asBoolean());
        assertText("infinity", cell(second, 6));
        assertText("1850-01-01 00:00:00", cell(second, 7));
        assertText("-infinity", cell(second, 8));
        assertText("中文 😀", cell(second, 9));

        Row nulls = rows.get(3);
        for (int c = 0; c < TYPED.size(); c++) {
            assertTrue(isBlank(nulls, c), "NULL in column " + c + " is an empty cell");
        }
    }

    @Test
    void headerHasTheLabelsAndMarksTimestamptzAsUtc() throws IOException {
        Path file = writeXlsx("header.xlsx", TYPED, List.of(),
                XlsxResultWriter.EXCEL_MAX_DATA_ROWS, List.of());

        assertEquals(List.of("firm_root_id", "legacy_id", "amount", "exact_amount", "ratio",
                "active", "founded", "updated", "loaded (UTC)", "name"),
                texts(sheetRows(file, "Results").get(0)));
    }

    @Test
    void emptyResultGivesTheHeaderOnly() throws IOException {
        Path file = writeXlsx("empty.xlsx", TYPED, List.of(),
                XlsxResultWriter.EXCEL_MAX_DATA_ROWS, SUMMARY);

        assertEquals(1, sheetRows(file, "Results").size());
        assertEquals(List.of("Results", "Summary"), sheetNames(file));
    }

    @Test
    void headerIsBoldFrozenAndFilteredAndColumnsHaveWidths() throws IOException {
        List<Column> columns = List.of(Rows.column("id", ColumnKind.INTEGER),
                Rows.column("description", ColumnKind.TEXT));
        List<Object[]> rows = List.of(Rows.row(1L, "x".repeat(500)), Rows.row(2L, "short"));
        Path file = writeXlsx("layout.xlsx", columns, rows,
                XlsxResultWriter.EXCEL_MAX_DATA_ROWS, List.of());

        String sheet = zipEntry(file, "xl/worksheets/sheet1.xml");
        assertTrue(sheet.contains("ySplit=\"1\"") && sheet.contains("state=\"frozen\""), sheet);
        assertTrue(sheet.contains("<autoFilter ref=\"A1:B3\">"), sheet);
        assertEquals(List.of(8.0, 60.0), columnWidths(sheet), "min width and capped width");

        Matcher headerStyle = Pattern.compile("<c r=\"A1\" s=\"(\\d+)\"").matcher(sheet);
        assertTrue(headerStyle.find(), "header cell has a style: " + sheet);
        assertTrue(isBold(zipEntry(file, "xl/styles.xml"), Integer.parseInt(headerStyle.group(1))),
                "header style is bold");
    }

    private static List<Double> columnWidths(String sheetXml) {
        Matcher m = Pattern.compile("<col [^>]*width=\"([0-9.]+)\"").matcher(sheetXml);
        List<Double> widths = new ArrayList<>();
        while (m.find()) {
            widths.add(Double.parseDouble(m.group(1)));
        }
        return widths;
    }

    /** Follows cellXfs[style].fontId to fonts[fontId] and checks for a {@code <b/>} element. */
    private static boolean isBold(String stylesXml, int style) {
        String cellXfs = between(stylesXml, "<cellXfs", "</cellXfs>");
        List<String> xfs = elements(cellXfs, "xf");
        Matcher fontId = Pattern.compile("fontId=\"(\\d+)\"").matcher(xfs.get(style));
        assertTrue(fontId.find(), xfs.get(style));
        List<String> fonts = elements(between(stylesXml, "<fonts", "</fonts>"), "font");
        String font = fonts.get(Integer.parseInt(fontId.group(1)));
        return font.contains("<b/>") || font.contains("<b val=\"true\"/>");
    }

    private static String between(String s, String start, String end) {
        int from = s.indexOf(start);
        return s.substring(from, s.indexOf(end, from));
    }

    private static List<String> elements(String xml, String tag) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile("<" + tag + "[ >/].*?(</" + tag + ">|/>)").matcher(xml);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    @Test
    void rollsOverToNumberedSheetsEachWithItsOwnHeader() throws IOException {
        List<Column> columns = List.of(Rows.column("id", ColumnKind.INTEGER),
                Rows.column("day", ColumnKind.DATE));
        List<Object[]> rows = new ArrayList<>();
        for (long i = 1; i <= 25; i++) {
            rows.add(Rows.row(i, LocalDate.of(2024, 1, 1).plusDays(i)));
        }
        Path file = writeXlsx("rollover.xlsx", columns, rows, 10, SUMMARY);

        assertEquals(List.of("Results", "Results (2)", "Results (3)", "Summary"),
                sheetNames(file));
        long expectedId = 1;
        for (String name : List.of("Results", "Results (2)", "Results (3)")) {
            List<Row> sheet = sheetRows(file, name);
            assertEquals(List.of("id", "day"), texts(sheet.get(0)), name + " header");
            for (Row row : sheet.subList(1, sheet.size())) {
                assertNumber(Long.toString(expectedId), cell(row, 0));
                assertEquals(LocalDate.of(2024, 1, 1).plusDays(expectedId).atStartOfDay(),
                        cell(row, 1).asDate());
                assertEquals("yyyy-mm-dd", cell(row, 1).getDataFormatString());
                expectedId++;
            }
        }
        assertEquals(26, expectedId, "all 25 rows, in order");
        assertEquals(6, sheetRows(file, "Results (3)").size());
        assertTrue(zipEntry(file, "xl/worksheets/sheet2.xml").contains("state=\"frozen\""));
    }

    @Test
    void fillingASheetExactlyStartsNoEmptyExtraSheet() throws IOException {
        List<Column> columns = List.of(Rows.column("id", ColumnKind.INTEGER));
        List<Object[]> rows = new ArrayList<>();
        for (long i = 1; i <= 10; i++) {
            rows.add(Rows.row(i));
        }
        Path file = writeXlsx("exact.xlsx", columns, rows, 10, SUMMARY);

        assertEquals(List.of("Results", "Summary"), sheetNames(file));
        assertEquals(11, sheetRows(file, "Results").size());
    }

    @Test
    void keepsRowsInOrderAcrossManyFlushes() throws IOException {
        List<Column> columns = List.of(Rows.column("id", ColumnKind.INTEGER),
                Rows.column("at", ColumnKind.TIMESTAMP), Rows.column("label", ColumnKind.TEXT));
        int count = XlsxResultWriter.FLUSH_EVERY_ROWS * 3 + 17;
        List<Object[]> rows = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            rows.add(Rows.row(i, LocalDateTime.of(2020, 1, 1, 0, 0).plusMinutes(i), "row " + i));
        }
        Path file = writeXlsx("flushes.xlsx", columns, rows,
                XlsxResultWriter.EXCEL_MAX_DATA_ROWS, List.of());

        List<Row> read = sheetRows(file, "Results");
        assertEquals(count + 1, read.size());
        for (int i = 0; i < count; i++) {
            Row row = read.get(i + 1);
            assertNumber(Integer.toString(i), cell(row, 0));
            assertEquals(LocalDateTime.of(2020, 1, 1, 0, 0).plusMinutes(i), cell(row, 1).asDate());
            assertEquals("yyyy-mm-dd hh:mm:ss", cell(row, 1).getDataFormatString(), "row " + i);
            assertText("row " + i, cell(row, 2));
        }
    }

    @Test
    void dataTextBypassesTheInMemorySharedStringTable() throws IOException {
        List<Column> columns = List.of(Rows.column("name", ColumnKind.TEXT));
        Path file = writeXlsx("inline.xlsx", columns,
                List.<Object[]>of(Rows.row("distinctive-value-42")),
                XlsxResultWriter.EXCEL_MAX_DATA_ROWS, List.of());

        assertFalse(zipEntry(file, "xl/sharedStrings.xml").contains("distinctive-value-42"));
        assertTrue(zipEntry(file, "xl/worksheets/sheet1.xml").contains("distinctive-value-42"));
    }

    @Test
    void summarySheetHasOneTypedRowPerLine() throws IOException {
        Path file = writeXlsx("summary.xlsx", TYPED, typedRows(),
                XlsxResultWriter.EXCEL_MAX_DATA_ROWS, SUMMARY);

        List<Row> rows = sheetRows(file, "Summary");
        assertEquals(SUMMARY.size(), rows.size());
        assertEquals("Status", rows.get(0).getCellText(0));
        assertText("completed", cell(rows.get(0), 1));
        assertNumber("3", cell(rows.get(1), 1));
        assertNumber("0", cell(rows.get(2), 1));
        assertNumber("1.5", cell(rows.get(3), 1));
        assertEquals(CellType.BOOLEAN, cell(rows.get(4), 1).getType());
        assertEquals(Boolean.FALSE, cell(rows.get(4), 1).asBoolean());
        assertEquals("Query SHA-256", rows.get(5).getCellText(0));
    }

    @Test
    void textIsCleanedOfXmlForbiddenCharactersAndCutToTheCellLimit() throws IOException {
        List<Column> columns = List.of(Rows.column("note", ColumnKind.TEXT));
        String longText = "é".repeat(40_000);
        Path file = writeXlsx("text.xlsx", columns, List.of(
                        Rows.row("bell\u0007 null\u0000 tab\t ok\uFFFE"),
                        Rows.row(longText)),
                XlsxResultWriter.EXCEL_MAX_DATA_ROWS, List.of());

        List<Row> rows = sheetRows(file, "Results");
        assertText("bell null tab\t ok", cell(rows.get(1), 0));
        assertText("é".repeat(XlsxResultWriter.CELL_TEXT_LIMIT), cell(rows.get(2), 0));
    }

    @Test
    void cutCellsAreCountedWithTheFirstOnesSheetRowAndColumn() throws IOException {
        List<Column> columns = List.of(Rows.column("id", ColumnKind.INTEGER), Rows.column("note", ColumnKind.TEXT),
                Rows.column("big", ColumnKind.DECIMAL));
        String limit = "n".repeat(XlsxResultWriter.CELL_TEXT_LIMIT);
        BigDecimal huge = new BigDecimal("9".repeat(XlsxResultWriter.CELL_TEXT_LIMIT + 5));
        try (XlsxResultWriter writer = newWriter(dir.resolve("cuts.xlsx"), 2)) {
            writer.begin(columns);
            writer.row(Rows.row(1L, limit, null));                      // exactly at the limit: not cut
            writer.row(Rows.row(2L, limit + "\u0000", null));           // only a forbidden character too many
            writer.row(Rows.row(3L, "short", huge));                    // sheet 2, row 2, column C
            writer.row(Rows.row(4L, limit + "x", null));                // sheet 2, row 3, column B
            assertEquals(new CellCuts(2, "Results (2)", 2, 3, "big"), writer.cellCuts());
            writer.commit(List.of());
        }
    }

    @Test
    void noCutCellsAreNone() throws IOException {
        try (XlsxResultWriter writer = newWriter(dir.resolve("none.xlsx"), XlsxResultWriter.EXCEL_MAX_DATA_ROWS)) {
            writer.begin(List.of(Rows.column("note", ColumnKind.TEXT)));
            writer.row(Rows.row("x".repeat(1000)));
            assertEquals(CellCuts.NONE, writer.cellCuts());
            writer.commit(List.of());
        }
    }

    @Test
    void theFirstCutCellIsNamedAsExcelNamesIt() {
        assertEquals("'Results (2)'!AB7 (notes)", new CellCuts(4, "Results (2)", 7, 28, "notes").firstCell());
        assertEquals("A", CellCuts.columnLetters(1));
        assertEquals("Z", CellCuts.columnLetters(26));
        assertEquals("AA", CellCuts.columnLetters(27));
        assertEquals("XFD", CellCuts.columnLetters(16_384));
        assertNull(CellCuts.NONE.firstCell());
    }

    @Test
    void cellTextReturnsCleanShortTextUnchanged() {
        String clean = "Acme 😀 Ltd";
        assertSame(clean, XlsxResultWriter.cellText(clean));
    }

    @Test
    void cellTextDropsUnpairedSurrogatesButKeepsPairs() {
        assertEquals("a😀b", XlsxResultWriter.cellText("a\uD800😀\uDC00b"));
    }

    @Test
    void cellTextNeverCutsASurrogatePairInHalf() {
        // The limit is odd, so a text of pairs only reaches it with half a pair.
        String text = "😀".repeat(XlsxResultWriter.CELL_TEXT_LIMIT);
        String cut = XlsxResultWriter.cellText(text);

        assertEquals(XlsxResultWriter.CELL_TEXT_LIMIT - 1, cut.length());
        assertFalse(Character.isHighSurrogate(cut.charAt(cut.length() - 1)));
    }

    @Test
    void decimalsBecomeNumbersOnlyWhenExcelKeepsAllTheirDigits() {
        assertEquals(1234.5, XlsxResultWriter.exactDouble(new BigDecimal("1234.50")));
        assertEquals(1e20, XlsxResultWriter.exactDouble(new BigDecimal("100000000000000000000")));
        assertEquals(0.0, XlsxResultWriter.exactDouble(new BigDecimal("0E-10")));
        assertNull(XlsxResultWriter.exactDouble(new BigDecimal("1234567890.1234567")));
        assertNull(XlsxResultWriter.exactDouble(new BigDecimal("1E+400")));
        assertNull(XlsxResultWriter.exactDouble(new BigDecimal("1E-400")));
    }

    @Test
    void recordsOnlyMajorMinorAsTheWorkbookVersion() {
        assertEquals("0.1", XlsxResultWriter.excelVersion("0.1.0-SNAPSHOT"));
        assertEquals("12.3456", XlsxResultWriter.excelVersion("12.3456"));
        assertNull(XlsxResultWriter.excelVersion("dev"));
    }

    @Test
    void closeWithoutCommitLeavesNoFile() throws IOException {
        try (XlsxResultWriter writer = newWriter(dir.resolve("abandoned.xlsx"), 10)) {
            writer.begin(TYPED);
            writer.row(typedRows().get(0));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void publishedWorkbookIsReadableByTheOwnerOnlyByDefault() throws IOException {
        Path file = writeXlsx("private.xlsx", TYPED, List.of(), 10, List.of());

        assertEquals("rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
}
