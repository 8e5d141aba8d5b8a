package dev.firmquery.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * Writes the result as an Excel workbook with FastExcel, streamed: rows are flushed to the zip
 * stream every {@value #FLUSH_EVERY_ROWS} rows, and text cells are written as inline strings
 * rather than through FastExcel's shared-string table (which would keep every distinct value in
 * memory). What remains per sheet is FastExcel's row index, one reference per row ever written on
 * the sheet (at most about 8 MB at Excel's row limit), so memory is bounded by the sheet limit,
 * not by the result size.
 *
 * <h2>Layout</h2>
 * Sheet {@code Results}: a bold, frozen header row with an autofilter; column widths from the
 * header and the first {@value #WIDTH_SAMPLE_ROWS} rows (between {@value #MIN_WIDTH} and
 * {@value #MAX_WIDTH} characters; FastExcel needs widths before the first flush, so the first rows
 * are held until then). When a sheet holds {@value #EXCEL_MAX_DATA_ROWS} data rows, writing
 * continues on {@code Results (2)}, {@code Results (3)}, ... each with its own header.
 * {@link #commit} adds a {@code Summary} sheet with one label/value row per {@link SummaryLine}.
 *
 * <h2>Cell types</h2>
 * <ul>
 *   <li>INTEGER: a number, unless it has more than 15 digits (Excel keeps 15 significant digits
 *       and would silently round e.g. a 19-digit ID), then text</li>
 *   <li>DECIMAL: a number if it has at most 15 significant digits (and a magnitude a double can
 *       hold), otherwise its plain text, so no digit is lost</li>
 *   <li>FLOAT: a number; NaN and infinities as text</li>
 *   <li>BOOLEAN: a boolean</li>
 *   <li>DATE: a date with format {@code yyyy-mm-dd}; TIMESTAMP: a date-time with format
 *       {@code yyyy-mm-dd hh:mm:ss} (Excel keeps milliseconds at most)</li>
 *   <li>TIMESTAMPTZ: converted to UTC, written like TIMESTAMP; the header gets {@code " (UTC)"}</li>
 *   <li>dates and timestamps outside Excel's range (years 1900 to 9999) and the infinite values
 *       pgjdbc maps to MAX/MIN are written as text in the CSV rendering ({@code infinity},
 *       {@code 0044-03-15 BC})</li>
 *   <li>TEXT: a string with the characters XML 1.0 forbids (control characters other than tab,
 *       LF and CR, U+FFFE, U+FFFF, unpaired surrogates) removed, then cut to Excel's cell limit of
 *       {@value #CELL_TEXT_LIMIT} characters (never splitting a surrogate pair). Such values differ
 *       from the CSV, which keeps them intact; the cut cells are counted, with the first one's
 *       place ({@link #cellCuts()}), for the report and the Summary sheet. Any other value written
 *       as text (a numeric with more digits than that) is cut and counted the same way.</li>
 * </ul>
 */
public final class XlsxResultWriter implements ResultWriter {

    /** Excel's row limit (1,048,576) minus the header row. */
    public static final int EXCEL_MAX_DATA_ROWS = Worksheet.MAX_ROWS - 1;
    /** Excel's maximum number of characters in a cell. */
    public static final int CELL_TEXT_LIMIT = 32_767;
    static final int WIDTH_SAMPLE_ROWS = 100;
    static final int FLUSH_EVERY_ROWS = 1024;
    static final int MIN_WIDTH = 8;
    static final int MAX_WIDTH = 60;
    static final String RESULTS_SHEET = "Results";
    static final String SUMMARY_SHEET = "Summary";
    static final String DATE_FORMAT = "yyyy-mm-dd";
    static final String TIMESTAMP_FORMAT = "yyyy-mm-dd hh:mm:ss";
    static final String UTC_SUFFIX = " (UTC)";

    // Excel shows 15 significant digits; beyond that numbers are rounded on display and on save.
    private static final long MAX_EXACT = 999_999_999_999_999L;
    private static final int MAX_EXACT_DIGITS = 15;
    private static final Pattern VERSION = Pattern.compile("^(\\d{1,2})\\.(\\d{1,4})");

    private final OutputFile file;
    private final OutputStream stream;
    private final Workbook workbook;
    private final int maxDataRowsPerSheet;

    private List<Column> columns;
    private ColumnKind[] kinds;
    private String[] headers;
    private int[] sampleLengths;
    private boolean widthsFixed;

    private Worksheet sheet;
    private String sheetName;
    private CellCuts cuts = CellCuts.NONE;
    private int sheetCount;
    private int nextRow;
    private int firstUnflushedRow;
    private int sheetDataRows;
    private long rows;

    /**
     * Creates the temporary file at once (see {@link OutputFile}).
     *
     * @param target             the final {@code .xlsx} path
     * @param permissions        POSIX permissions of the file
     * @param applicationName    recorded as the workbook's application, e.g. {@code firmquery}
     * @param applicationVersion the application version; its {@code major.minor} is recorded (the
     *                           format allows no more), anything else is left out
     */
    public XlsxResultWriter(Path target, Set<PosixFilePermission> permissions,
            String applicationName, String applicationVersion) throws IOException {
        this(target, permissions, applicationName, applicationVersion, EXCEL_MAX_DATA_ROWS);
    }

    /** As the public constructor, with a smaller sheet size so that tests can roll over sheets. */
    XlsxResultWriter(Path target, Set<PosixFilePermission> permissions, String applicationName,
            String applicationVersion, int maxDataRowsPerSheet) throws IOException {
        if (maxDataRowsPerSheet < 1 || maxDataRowsPerSheet > EXCEL_MAX_DATA_ROWS) {
            throw new IllegalArgumentException("maxDataRowsPerSheet must be 1.."
                    + EXCEL_MAX_DATA_ROWS + ", was " + maxDataRowsPerSheet);
        }
        this.maxDataRowsPerSheet = maxDataRowsPerSheet;
        this.file = OutputFile.create(target, permissions);
        try {
            this.stream = new BufferedOutputStream(file.newOutputStream(), 1 << 16);
        } catch (IOException | RuntimeException e) {
            file.discard();
            throw e;
        }
        this.workbook = new Workbook(stream, applicationName, excelVersion(applicationVersion));
        // Deflating the sheet XML was about half of the writer thread's CPU at the default level
        // (docs/performance.md); level 1 roughly halves that for a file about a quarter larger.
        workbook.setCompressionLevel(1);
    }

    @Override
    public void begin(List<Column> columns) throws IOException {
        if (this.columns != null) {
            throw new IllegalStateException("begin() was already called for " + file.target());
        }
        this.columns = List.copyOf(columns);
        int n = columns.size();
        if (n > Worksheet.MAX_COLS) {
            throw new IllegalArgumentException("The result has " + n + " columns but Excel allows "
                    + Worksheet.MAX_COLS + "; select fewer columns or use --format csv");
        }
        kinds = new ColumnKind[n];
        headers = new String[n];
        sampleLengths = new int[n];
        for (int c = 0; c < n; c++) {
            Column column = columns.get(c);
            kinds[c] = column.kind();
            String label = column.label() == null ? "" : column.label();
            headers[c] = cellText(column.kind() == ColumnKind.TIMESTAMPTZ ? label + UTC_SUFFIX
                    : label);
        }
        startSheet();
    }

    @Override
    public void row(Object[] values) throws IOException {
        if (columns == null) {
            throw new IllegalStateException("row() before begin() for " + file.target());
        }
        if (values.length != kinds.length) {
            throw new IllegalArgumentException("Row has " + values.length + " values but "
                    + file.target() + " has " + kinds.length + " columns");
        }
        if (sheetDataRows == maxDataRowsPerSheet) {
            finishSheet();
            startSheet();
        }
        int r = nextRow++;
        for (int c = 0; c < kinds.length; c++) {
            Object value = values[c];
            if (value != null) {
                writeCell(r, c, value);
            }
        }
        sheetDataRows++;
        rows++;
        if (!widthsFixed) {
            if (sheetDataRows >= WIDTH_SAMPLE_ROWS) {
                fixWidths();
                flushRows();
            }
        } else if (nextRow - firstUnflushedRow >= FLUSH_EVERY_ROWS) {
            flushRows();
        }
    }

    /** Data rows written so far, over all sheets. */
    public long rowCount() {
        return rows;
    }

    /** The cells whose text was cut to {@value #CELL_TEXT_LIMIT} characters so far. */
    public CellCuts cellCuts() {
        return cuts;
    }

    /** Result sheets started so far ({@code Results}, {@code Results (2)}, ...). */
    public int sheetCount() {
        return sheetCount;
    }

    @Override
    public Path commit(List<SummaryLine> summary) throws IOException {
        if (columns == null) {
            throw new IllegalStateException("commit() before begin() for " + file.target());
        }
        if (!file.isOpen()) {
            throw new IllegalStateException("commit() after commit() or close() for "
                    + file.target());
        }
        finishSheet();
        writeSummary(summary);
        workbook.finish();
        return file.publish(stream);
    }

    @Override
    public void close() throws IOException {
        file.discard(stream);
    }

    private void startSheet() {
        sheetCount++;
        String name = sheetCount == 1 ? RESULTS_SHEET : RESULTS_SHEET + " (" + sheetCount + ")";
        sheet = workbook.newWorksheet(name);
        sheetName = name;
        for (int c = 0; c < headers.length; c++) {
            sheet.value(0, c, headers[c]);
        }
        if (headers.length > 0) {
            sheet.range(0, 0, 0, headers.length - 1).style().bold().set();
        }
        sheet.freezePane(0, 1);
        if (widthsFixed) {
            applyWidths();
        }
        nextRow = 1;
        firstUnflushedRow = 1;
        sheetDataRows = 0;
    }

    private void finishSheet() throws IOException {
        if (!widthsFixed) {
            fixWidths();
        }
        flushRows();
        if (headers.length > 0) {
            sheet.setAutoFilter(0, 0, nextRow - 1, headers.length - 1);
        }
        sheet.finish();
    }

    private void flushRows() throws IOException {
        int last = nextRow - 1;
        if (last >= firstUnflushedRow) {
            // One style operation per column and batch: FastExcel's per-cell styling is costly.
            for (int c = 0; c < kinds.length; c++) {
                String format = switch (kinds[c]) {
                    case DATE -> DATE_FORMAT;
                    case TIMESTAMP, TIMESTAMPTZ -> TIMESTAMP_FORMAT;
                    case INTEGER, DECIMAL, FLOAT, BOOLEAN, TEXT -> null;
                };
                if (format != null) {
                    sheet.range(firstUnflushedRow, c, last, c).style().format(format).set();
                }
            }
        }
        sheet.flush();
        firstUnflushedRow = nextRow;
    }

    private void fixWidths() {
        widthsFixed = true;
        applyWidths();
    }

    private void applyWidths() {
        for (int c = 0; c < headers.length; c++) {
            // +3 leaves room for the autofilter button next to the header text.
            int chars = Math.max(headers[c].length() + 3, sampleLengths[c] + 1);
            sheet.width(c, Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, chars)));
        }
    }

    private void writeCell(int r, int c, Object value) {
        Object cell = cellValue(columns.get(c), value);
        if (cell instanceof String s) {
            text(r, c, s);
        } else if (cell instanceof Number n) {
            sheet.value(r, c, n);
        } else if (cell instanceof Boolean b) {
            sheet.value(r, c, b);
        } else if (cell instanceof LocalDate d) {
            sheet.value(r, c, d);
        } else {
            sheet.value(r, c, (LocalDateTime) cell);
        }
        if (!widthsFixed) {
            sampleLengths[c] = Math.max(sampleLengths[c], displayLength(kinds[c], value));
        }
    }

    /**
     * What a cell holds for a non-null {@code value} of {@code column}: a native Excel value (a
     * Number, Boolean, LocalDate or LocalDateTime) where Excel can hold it exactly, else the String
     * PostgreSQL would print for it.
     */
    private static Object cellValue(Column column, Object value) {
        return switch (column.kind()) {
            case INTEGER -> {
                Long l = ValueMismatch.checked(column, Long.class, value);
                yield l >= -MAX_EXACT && l <= MAX_EXACT ? l : Long.toString(l);
            }
            case DECIMAL -> {
                BigDecimal d = ValueMismatch.checked(column, BigDecimal.class, value);
                Double exact = exactDouble(d);
                yield exact != null ? exact : d.toPlainString();
            }
            case FLOAT -> {
                Double d = ValueMismatch.checked(column, Double.class, value);
                yield Double.isFinite(d) ? d : PgText.doubleText(d);
            }
            case BOOLEAN -> ValueMismatch.checked(column, Boolean.class, value);
            case DATE -> {
                LocalDate d = ValueMismatch.checked(column, LocalDate.class, value);
                yield inExcelRange(d.getYear()) && !PgText.isInfinite(d) ? d : PgText.date(d);
            }
            case TIMESTAMP -> {
                LocalDateTime t = ValueMismatch.checked(column, LocalDateTime.class, value);
                yield inExcelRange(t.getYear()) && !PgText.isInfinite(t) ? t : PgText.timestamp(t);
            }
            case TIMESTAMPTZ -> {
                OffsetDateTime t = ValueMismatch.checked(column, OffsetDateTime.class, value);
                LocalDateTime utc = toUtc(t);
                yield utc != null ? utc : PgText.timestampTz(t);
            }
            // Made a valid cell, and cut to the limit, by text(), which counts the cuts.
            case TEXT -> ValueMismatch.checked(column, String.class, value);
        };
    }

    /** Writes {@code s} as text, made a valid cell ({@link #cellText}); a value cut to the limit is counted. */
    private void text(int r, int c, String s) {
        String cell = cellText(s);
        if (s.length() > CELL_TEXT_LIMIT && cell.length() < xmlLength(s)) {
            cuts = cuts.plus(sheetName, r + 1, c + 1, columns.get(c).label());
        }
        // Inline strings keep FastExcel's shared-string table (all in memory) out of the data path.
        sheet.inlineString(r, c, cell);
    }

    /** The number of UTF-16 units of {@code s} that {@link #cellText} keeps before any cut. */
    private static int xmlLength(String s) {
        int n = s.length();
        int kept = 0;
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                kept += 2;
                i++;
            } else if (isXmlChar(ch)) {
                kept++;
            }
        }
        return kept;
    }

    private void writeSummary(List<SummaryLine> summary) {
        Worksheet ws = workbook.newWorksheet(SUMMARY_SHEET);
        int labelWidth = 0;
        int valueWidth = 0;
        int r = 0;
        for (SummaryLine line : summary) {
            String label = cellText(line.label() == null ? "" : line.label());
            ws.value(r, 0, label);
            labelWidth = Math.max(labelWidth, label.length());
            Object value = line.value();
            if (value != null) {
                valueWidth = Math.max(valueWidth, summaryValue(ws, r, value));
            }
            r++;
        }
        ws.width(0, Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, labelWidth + 2)));
        ws.width(1, Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, valueWidth + 2)));
    }

    /** Writes one summary value, typed; returns its display length. */
    private static int summaryValue(Worksheet ws, int r, Object value) {
        if (value instanceof Boolean b) {
            ws.value(r, 1, b);
            return 5;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            long v = ((Number) value).longValue();
            if (v >= -MAX_EXACT && v <= MAX_EXACT) {
                ws.value(r, 1, v);
            } else {
                ws.value(r, 1, Long.toString(v));
            }
            return Long.toString(v).length();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                ws.value(r, 1, d);
            } else {
                ws.value(r, 1, PgText.doubleText(d));
            }
            return PgText.doubleText(d).length();
        }
        if (value instanceof BigDecimal || value instanceof BigInteger) {
            BigDecimal d = value instanceof BigInteger i ? new BigDecimal(i) : (BigDecimal) value;
            Double exact = exactDouble(d);
            if (exact != null) {
                ws.value(r, 1, exact);
            } else {
                ws.value(r, 1, d.toPlainString());
            }
            return d.toPlainString().length();
        }
        String text = cellText(String.valueOf(value));
        ws.value(r, 1, text);
        return text.length();
    }

    /** The double equal to {@code d}, or null if Excel could not show {@code d} exactly. */
    static Double exactDouble(BigDecimal d) {
        if (d.signum() == 0) {
            return 0.0;
        }
        int precision = d.precision();
        if (precision > MAX_EXACT_DIGITS) {
            d = d.stripTrailingZeros();
            precision = d.precision();
            if (precision > MAX_EXACT_DIGITS) {
                return null;
            }
        }
        // Decimal exponent of the leading digit; keep well inside the double's normal range.
        long exponent = (long) precision - d.scale() - 1;
        if (exponent < -300 || exponent > 300) {
            return null;
        }
        return d.doubleValue();
    }

    private static boolean inExcelRange(int year) {
        return year >= 1900 && year <= 9999;
    }

    private static LocalDateTime toUtc(OffsetDateTime t) {
        if (PgText.isInfinite(t) || t.getYear() < 1899 || t.getYear() > 10000) {
            return null;
        }
        LocalDateTime utc = t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        return inExcelRange(utc.getYear()) ? utc : null;
    }

    private static int displayLength(ColumnKind kind, Object value) {
        return switch (kind) {
            case DATE -> 10;
            case TIMESTAMP, TIMESTAMPTZ -> 19;
            case BOOLEAN -> 5;
            case FLOAT -> PgText.doubleText((Double) value).length();
            case DECIMAL -> Math.min(MAX_WIDTH, ((BigDecimal) value).toPlainString().length());
            case INTEGER -> Long.toString((Long) value).length();
            case TEXT -> Math.min(MAX_WIDTH, longestLine((String) value));
        };
    }

    private static int longestLine(String s) {
        int longest = 0;
        int start = 0;
        int limit = Math.min(s.length(), MAX_WIDTH * 4);
        for (int i = 0; i < limit; i++) {
            if (s.charAt(i) == '\n') {
                longest = Math.max(longest, i - start);
                start = i + 1;
            }
        }
        return Math.max(longest, limit - start);
    }

    /**
     * {@code s} without the characters XML 1.0 forbids, cut to {@value #CELL_TEXT_LIMIT} UTF-16
     * characters without splitting a surrogate pair. Returns {@code s} itself when nothing changes.
     */
    static String cellText(String s) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char ch = s.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < n
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                i += 2;
            } else if (isXmlChar(ch)) {
                i++;
            } else {
                break;
            }
        }
        if (i == n && n <= CELL_TEXT_LIMIT) {
            return s;
        }
        StringBuilder sb = new StringBuilder(Math.min(n, CELL_TEXT_LIMIT));
        sb.append(s, 0, Math.min(i, CELL_TEXT_LIMIT));
        while (i < n && sb.length() < CELL_TEXT_LIMIT) {
            char ch = s.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < n
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                if (sb.length() + 2 > CELL_TEXT_LIMIT) {
                    break;
                }
                sb.append(ch).append(s.charAt(i + 1));
                i += 2;
            } else {
                if (isXmlChar(ch)) {
                    sb.append(ch);
                }
                i++;
            }
        }
        if (sb.length() > 0 && Character.isHighSurrogate(sb.charAt(sb.length() - 1))) {
            // Only possible when the cut of the clean prefix fell inside a pair.
            sb.setLength(sb.length() - 1);
        }
        return sb.toString();
    }

    /** Whether a single UTF-16 unit (not part of a valid pair) may appear in XML 1.0. */
    private static boolean isXmlChar(char ch) {
        return ch >= 0x20 && ch <= 0xD7FF || ch == 0x9 || ch == 0xA || ch == 0xD
                || ch >= 0xE000 && ch <= 0xFFFD;
    }

    /** FastExcel accepts only {@code XX.YYYY}; "0.1.0-SNAPSHOT" becomes "0.1". */
    static String excelVersion(String version) {
        if (version == null) {
            return null;
        }
        Matcher m = VERSION.matcher(version);
        return m.find() ? m.group(1) + "." + m.group(2) : null;
    }

    /** Who is told when the file is published ({@link OutputFile#publishHook}). */
    public void publishHook(PublishHook hook) {
        file.publishHook(hook);
    }
}
