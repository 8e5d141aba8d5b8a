package dev.firmquery.export;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import org.apache.commons.csv.CSVFormat;

/**
 * Turns result rows into CSV records: {@link CSVFormat#RFC4180} (comma, CRLF, double quotes only
 * where needed), SQL NULL as an empty unquoted field, values rendered like PostgreSQL's text output
 * ({@link PgText}). Text goes through Commons CSV's quoting ({@link CSVFormat#print(Object,
 * Appendable, boolean)}); numbers, dates and booleans are rendered straight into the record, since
 * their text never needs quotes (checked, with a fallback to the same quoting).
 *
 * <p>With the formula guard ({@code output.csv_formula_guard}) text cells and header labels a
 * spreadsheet would take for a formula are neutralised ({@link FormulaGuard}).
 *
 * <p>Used by {@link CsvResultWriter} and by the workers' {@link CsvPartWriter}, so a record is
 * byte-identical whichever thread encodes it. Not thread-safe: one instance per thread.
 */
public final class CsvRecords {
    static final CSVFormat FORMAT = CSVFormat.RFC4180;

    private final List<Column> columns;
    private final ColumnKind[] kinds;
    private final boolean formulaGuard;
    // Reused for every number and date cell: the hot loop allocates no String per cell.
    private final StringBuilder cell = new StringBuilder(64);

    /** Records of {@code columns}, byte-faithful (no formula guard). */
    public CsvRecords(List<Column> columns) {
        this(columns, false);
    }

    /**
     * @param formulaGuard whether text cells and labels that start like a formula are neutralised
     *                     ({@link FormulaGuard})
     */
    public CsvRecords(List<Column> columns, boolean formulaGuard) {
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
            FORMAT.print(text(columns.get(i).label()), line, i == 0);
        }
        FORMAT.println(line);
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
            Object value = values[i];
            if (value == null) {
                FORMAT.print(null, line, i == 0);
                continue;
            }
            if (value instanceof String s) {
                FORMAT.print(text(s), line, i == 0);
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
    }

    /** A text value or label as written: neutralised by the formula guard when it is on. */
    String text(String s) {
        return formulaGuard ? FormulaGuard.neutralise(s) : s;
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
        switch (kinds[column]) {
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
}
