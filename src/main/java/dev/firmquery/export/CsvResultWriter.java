package dev.firmquery.export;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes the result as CSV: {@link CSVFormat#RFC4180} (comma, CRLF record separator, double quotes
 * only where needed), UTF-8 without BOM, a header row of the column labels, SQL NULL as an empty
 * unquoted field (so NULL and the empty string look alike, as the issue asks; Commons CSV only
 * quotes an empty string as {@code ""} when it is the first field of a record).
 *
 * <p>Values are rendered like PostgreSQL's text output ({@link PgText}): numbers in plain notation
 * ({@code numeric} keeps its scale; {@code double} uses the shortest exact text, with an exponent
 * only outside [1e-4, 1e15)), booleans as {@code true}/{@code false}, dates
 * {@code yyyy-MM-dd}, timestamps {@code yyyy-MM-dd HH:mm:ss[.ffffff]} with a space like psql,
 * timestamps with time zone with their offset ({@code +00}), infinite dates as
 * {@code infinity}/{@code -infinity}, text as is.
 *
 * <p>With {@code gzip} the bytes are gzip-compressed; the file name is whatever the caller passes
 * (so the caller appends {@code .gz}). The file is written under a temporary name and published by
 * {@link #commit}; see {@link OutputFile}.
 */
public final class CsvResultWriter implements ResultWriter {

    private static final int BUFFER_BYTES = 1 << 16;
    private static final int BUFFER_CHARS = 1 << 17;

    private final OutputFile file;
    private final Writer out;
    private final CSVPrinter printer;
    private static final CSVFormat FORMAT = CSVFormat.RFC4180;
    // Reused for every record and every number and date cell: the hot loop allocates no String per cell.
    private final StringBuilder cell = new StringBuilder(64);
    private final StringBuilder record = new StringBuilder(512);
    private char[] chars = new char[1024];
    private List<Column> columns;
    private ColumnKind[] kinds;
    private long rows;

    /**
     * Creates the temporary file at once, so a bad {@code --out} or an existing file fails before
     * any query runs.
     *
     * @param target      the final path, including any {@code .gz} suffix
     * @param gzip        whether to gzip the content
     * @param permissions POSIX permissions of the file, e.g. {@link OutputFile#OWNER_READ_WRITE}
     */
    public CsvResultWriter(Path target, boolean gzip, Set<PosixFilePermission> permissions)
            throws IOException {
        this.file = OutputFile.create(target, permissions);
        OutputStream stream = null;
        try {
            stream = new BufferedOutputStream(file.newOutputStream(), BUFFER_BYTES);
            if (gzip) {
                stream = new GZIPOutputStream(stream, BUFFER_BYTES);
            }
            this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8),
                    BUFFER_CHARS);
            this.printer = new CSVPrinter(out, FORMAT);
        } catch (IOException | RuntimeException e) {
            closeQuietly(stream, e);
            file.discard();
            throw e;
        }
    }

    /** Same as {@code new CsvResultWriter(target, gzip, OutputFile.OWNER_READ_WRITE)}. */
    public CsvResultWriter(Path target, boolean gzip) throws IOException {
        this(target, gzip, OutputFile.OWNER_READ_WRITE);
    }

    @Override
    public void begin(List<Column> columns) throws IOException {
        if (this.columns != null) {
            throw new IllegalStateException("begin() was already called for " + file.target());
        }
        this.columns = List.copyOf(columns);
        this.kinds = new ColumnKind[columns.size()];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = columns.get(i).kind();
            printer.print(columns.get(i).label());
        }
        printer.println();
    }

    /**
     * Writes one record. Text goes through Commons CSV's quoting ({@link CSVFormat#print(Object,
     * Appendable, boolean)}); numbers, dates and booleans are rendered straight into the record
     * buffer, since their text never needs quotes (checked, with a fallback to the same quoting).
     * The whole record is then handed to the writer at once: the benchmark showed per-cell
     * {@code CSVPrinter.print(CharSequence)} calls as the writer thread's hottest code (docs/performance.md).
     */
    @Override
    public void row(Object[] values) throws IOException {
        if (columns == null) {
            throw new IllegalStateException("row() before begin() for " + file.target());
        }
        if (values.length != kinds.length) {
            throw new IllegalArgumentException("Row has " + values.length + " values but "
                    + file.target() + " has " + kinds.length + " columns");
        }
        StringBuilder line = record;
        line.setLength(0);
        for (int i = 0; i < kinds.length; i++) {
            Object value = values[i];
            if (value == null || value instanceof String) {
                FORMAT.print(value, line, i == 0);
                continue;
            }
            if (i > 0) {
                line.append(',');
            }
            cell.setLength(0);
            appendValue(i, value);
            if (needsQuotes(cell)) {
                FORMAT.print(cell.toString(), line, true);
            } else {
                line.append(cell);
            }
        }
        FORMAT.println(line);
        int n = line.length();
        if (chars.length < n) {
            chars = new char[Math.max(n, chars.length * 2)];
        }
        line.getChars(0, n, chars, 0);
        out.write(chars, 0, n);
        rows++;
    }

    /** Commons CSV's MINIMAL quoting rule for a non-empty value, for the values we render ourselves. */
    private static boolean needsQuotes(CharSequence v) {
        int n = v.length();
        if (n == 0 || v.charAt(0) <= '#' || v.charAt(n - 1) <= ' ') {
            return true;
        }
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }

    private void appendValue(int column, Object value) {
        ColumnKind kind = kinds[column];
        switch (kind) {
            case INTEGER -> {
                if (!(value instanceof Long l)) {
                    throw ValueMismatch.of(columns.get(column), value);
                }
                cell.append(l.longValue());
            }
            case DECIMAL -> {
                if (!(value instanceof BigDecimal d)) {
                    throw ValueMismatch.of(columns.get(column), value);
                }
                cell.append(d.toPlainString());
            }
            case FLOAT -> {
                if (!(value instanceof Double d)) {
                    throw ValueMismatch.of(columns.get(column), value);
                }
                PgText.appendDouble(cell, d);
            }
            case BOOLEAN -> {
                if (!(value instanceof Boolean b)) {
                    throw ValueMismatch.of(columns.get(column), value);
                }
                cell.append(b.booleanValue() ? "true" : "false");
            }
            case DATE -> {
                if (!(value instanceof LocalDate d)) {
                    throw ValueMismatch.of(columns.get(column), value);
                }
                PgText.appendDate(cell, d);
            }
            case TIMESTAMP -> {
                if (!(value instanceof LocalDateTime t)) {
                    throw ValueMismatch.of(columns.get(column), value);
                }
                PgText.appendTimestamp(cell, t);
            }
            case TIMESTAMPTZ -> {
                if (!(value instanceof OffsetDateTime t)) {
                    throw ValueMismatch.of(columns.get(column), value);
                }
                PgText.appendTimestampTz(cell, t);
            }
            case TEXT -> throw ValueMismatch.of(columns.get(column), value);
        }
    }

    /** Rows written so far (excluding the header). */
    public long rowCount() {
        return rows;
    }

    /** Flushes and publishes the file; the summary is not written to CSV. */
    @Override
    public Path commit(List<SummaryLine> summary) throws IOException {
        if (columns == null) {
            throw new IllegalStateException("commit() before begin() for " + file.target());
        }
        if (!file.isOpen()) {
            throw new IllegalStateException("commit() after commit() or close() for "
                    + file.target());
        }
        return file.publish(() -> printer.close(true));
    }

    @Override
    public void close() throws IOException {
        file.discard(out);
    }

    private static void closeQuietly(OutputStream stream, Exception primary) {
        if (stream == null) {
            return;
        }
        try {
            stream.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }
}
