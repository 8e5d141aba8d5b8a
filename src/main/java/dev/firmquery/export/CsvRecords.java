package dev.firmquery.export;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import org.apache.commons.csv.CSVFormat;

/**
 * Turns result rows into CSV records: {@link CSVFormat#RFC4180} (comma, CRLF, double quotes only
 * where needed, unless a {@link CsvDialect} says otherwise), SQL NULL as an empty unquoted field, values rendered like PostgreSQL's text output
 * ({@link PgText}). Text goes through Commons CSV's quoting ({@link CSVFormat#print(Object,
 * Appendable, boolean)}); numbers, dates and booleans are rendered straight into the record, since
 * their text never needs quotes (checked, with a fallback to the same quoting).
 *
 * <p>With the formula guard ({@code output.csv_formula_guard}) text cells and header labels a
 * spreadsheet would take for a formula are neutralised ({@link FormulaGuard}). A {@link CsvDialect}
 * other than {@link CsvDialect#RFC4180} changes the delimiter and the line ending (the byte order mark
 * is the file writer's: it is not part of a record).
 *
 * <p>Used by {@link CsvResultWriter} and by the workers, which spool the records of their chunks in
 * the run store ({@code run.store.CsvPartWriter}) for {@link CsvResultWriter#appendEncoded}, so a
 * record is byte-identical whichever thread encodes it. Not thread-safe: one instance per thread.
 */
public final class CsvRecords {
    private final CSVFormat format;
    private final char delimiter;
    private final List<Column> columns;
    private final ColumnKind[] kinds;
    private final boolean formulaGuard;
    // Reused for every number and date cell: the hot loop allocates no String per cell.
    private final StringBuilder cell = new StringBuilder(64);

    /** An encoder for rows of {@code columns}, byte-faithful (no formula guard). */
    public CsvRecords(List<Column> columns) {
        this(columns, false);
    }

    /**
     * @param formulaGuard whether text cells and labels that start like a formula are neutralised
     *                     ({@link FormulaGuard})
     */
    public CsvRecords(List<Column> columns, boolean formulaGuard) {
        this(columns, formulaGuard, CsvDialect.RFC4180);
    }

    /**
     * @param formulaGuard whether text cells and labels that start like a formula are neutralised
     * @param dialect      the delimiter and line ending of the records
     */
    public CsvRecords(List<Column> columns, boolean formulaGuard, CsvDialect dialect) {
        this.format = dialect.format();
        this.delimiter = dialect.delimiter();
        this.formulaGuard = formulaGuard;
        this.columns = List.copyOf(columns);
        this.kinds = new ColumnKind[columns.size()];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = columns.get(i).kind();
        }
    }

    /** The header record (the column labels), with its CRLF, appended to {@code line}. */
    public void appendHeader(StringBuilder line) throws java.io.IOException {
        for (int i = 0; i < kinds.length; i++) {
            format.print(text(columns.get(i).label()), line, i == 0);
        }
        format.println(line);
    }

    /**
     * Appends one record, with its CRLF, to {@code line}. {@code values[i]} is null or of the Java
     * type {@link ColumnKind} documents for column i.
     *
     * @throws IllegalArgumentException if the row has the wrong number of values
     * @throws ValueMismatch            if a value is not of its column's type
     */
    public void append(Object[] values, StringBuilder line) throws java.io.IOException {
        if (values.length != kinds.length) {
            throw new IllegalArgumentException("Row has " + values.length + " values but the result has "
                    + kinds.length + " columns");
        }
        for (int i = 0; i < kinds.length; i++) {
            appendCell(i, values[i], line);
        }
        format.println(line);
    }

    /**
     * Appends column {@code i}'s cell, with the delimiter before it unless it is the first, to
     * {@code line}: what {@link #append} writes for that value. {@code value} is null or of the Java
     * type {@link ColumnKind} documents for the column.
     *
     * @throws ValueMismatch if the value is not of its column's type
     */
    void appendCell(int i, Object value, StringBuilder line) throws java.io.IOException {
        if (value == null) {
            format.print(null, line, i == 0);
            return;
        }
        if (value instanceof String s) {
            format.print(text(s), line, i == 0);
            return;
        }
        if (i > 0) {
            line.append(delimiter);
        }
        StringBuilder rendered = render(i, value);
        if (needsQuotes(rendered)) {
            format.print(rendered.toString(), line, true);
        } else {
            line.append(rendered);
        }
    }

    /** The columns the records are of. */
    List<Column> columns() {
        return columns;
    }

    /** The delimiter between cells. */
    char delimiter() {
        return delimiter;
    }

    /** Whether text cells get the formula guard. */
    boolean formulaGuard() {
        return formulaGuard;
    }

    /** What ends a record, as Commons CSV writes it. */
    String recordSeparator() {
        return format.getRecordSeparator();
    }

    /** A text value or label as written: neutralised by the formula guard when it is on. */
    String text(String s) {
        return formulaGuard ? FormulaGuard.neutralise(s) : s;
    }

    /** Commons CSV's MINIMAL quoting rule for a non-empty value, for the values we render ourselves. */
    private boolean needsQuotes(CharSequence v) {
        int n = v.length();
        if (n == 0 || v.charAt(0) <= '#' || v.charAt(n - 1) <= ' ') {
            return true;
        }
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (c == delimiter || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }

    /** Renders a non-null value that is not a String into {@link #cell}, which it returns. */
    private StringBuilder render(int column, Object value) {
        Column c = columns.get(column);
        cell.setLength(0);
        return switch (kinds[column]) {
            case INTEGER -> cell.append(ValueMismatch.checked(c, Long.class, value).longValue());
            case DECIMAL -> cell.append(ValueMismatch.checked(c, BigDecimal.class, value).toPlainString());
            case FLOAT -> PgText.appendDouble(cell, ValueMismatch.checked(c, Double.class, value));
            case BOOLEAN -> cell.append(ValueMismatch.checked(c, Boolean.class, value) ? "true" : "false");
            case DATE -> PgText.appendDate(cell, ValueMismatch.checked(c, LocalDate.class, value));
            case TIMESTAMP -> PgText.appendTimestamp(cell, ValueMismatch.checked(c, LocalDateTime.class, value));
            case TIMESTAMPTZ -> PgText.appendTimestampTz(cell, ValueMismatch.checked(c, OffsetDateTime.class, value));
            // Strings never get here (append prints them): whatever this is, it is not a String.
            case TEXT -> throw ValueMismatch.of(c, value);
        };
    }
}
