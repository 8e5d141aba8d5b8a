package dev.firmquery.export;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Maps JDBC result columns to {@link Column}s and reads their values as the Java types that
 * {@link ColumnKind} documents.
 *
 * <h2>Kinds</h2>
 * SMALLINT, INTEGER, BIGINT, TINYINT: INTEGER. NUMERIC, DECIMAL: DECIMAL. REAL, FLOAT, DOUBLE:
 * FLOAT (except PostgreSQL {@code money}, which pgjdbc reports as DOUBLE: TEXT, to keep its
 * currency formatting exact). BOOLEAN, and BIT when the type name is {@code bool}: BOOLEAN
 * ({@code bit(n)} is TEXT). DATE: DATE. TIMESTAMP_WITH_TIMEZONE, or type name {@code timestamptz}
 * (pgjdbc reports timestamptz as TIMESTAMP): TIMESTAMPTZ. TIMESTAMP: TIMESTAMP. Everything else
 * (time, interval, uuid, json, arrays, ...): TEXT via {@link ResultSet#getString}.
 *
 * <h2>Special values</h2>
 * PostgreSQL's {@code infinity}/{@code -infinity} dates and timestamps come from pgjdbc as
 * {@link LocalDate#MAX}/{@link LocalDate#MIN} (and the LocalDateTime/OffsetDateTime MAX/MIN); they
 * are kept as such, and the writers render them as the text {@code infinity}/{@code -infinity}.
 * Timestamps with time zone come from pgjdbc in UTC. A {@code numeric} NaN or infinity has no
 * BigDecimal form: reading it fails with SQLState 22003 and a message saying to cast the column to
 * text or double precision in the query.
 */
public final class JdbcColumns {

    /** SQLState numeric_value_out_of_range. */
    static final String NUMERIC_OUT_OF_RANGE = "22003";

    private JdbcColumns() {
    }

    /** The kind a column of this JDBC type and database type name is carried as. */
    public static ColumnKind kindOf(int jdbcType, String typeName) {
        String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        if (name.equals("timestamptz") || name.equals("timestamp with time zone")) {
            return ColumnKind.TIMESTAMPTZ;
        }
        if (name.equals("money")) {
            return ColumnKind.TEXT;
        }
        return switch (jdbcType) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> ColumnKind.INTEGER;
            case Types.NUMERIC, Types.DECIMAL -> ColumnKind.DECIMAL;
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> ColumnKind.FLOAT;
            case Types.BOOLEAN -> ColumnKind.BOOLEAN;
            case Types.BIT -> name.equals("bool") || name.equals("boolean")
                    ? ColumnKind.BOOLEAN : ColumnKind.TEXT;
            case Types.DATE -> ColumnKind.DATE;
            case Types.TIMESTAMP -> ColumnKind.TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE -> ColumnKind.TIMESTAMPTZ;
            default -> ColumnKind.TEXT;
        };
    }

    /** The columns of a result, labelled by {@link ResultSetMetaData#getColumnLabel}. */
    public static List<Column> columnsOf(ResultSetMetaData metaData) throws SQLException {
        int n = metaData.getColumnCount();
        List<Column> columns = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            String typeName = metaData.getColumnTypeName(i);
            columns.add(new Column(metaData.getColumnLabel(i), typeName,
                    kindOf(metaData.getColumnType(i), typeName)));
        }
        return List.copyOf(columns);
    }

    /**
     * Reads the current row's values into {@code into} ({@code into[i]} for JDBC column i + 1).
     * Unlike {@link #read}, this knows each column's type name, so {@code real} values become the
     * double with the same decimal text ({@code 0.1}, not {@code 0.10000000149011612}).
     */
    public static void readRow(ResultSet rs, List<Column> columns, Object[] into)
            throws SQLException {
        for (int i = 0; i < columns.size(); i++) {
            into[i] = value(rs, i + 1, columns.get(i));
        }
    }

    /**
     * Reads one value of the current row as {@link #readRow} does ({@code real} values as the double
     * with the same decimal text).
     *
     * @param index the 1-based JDBC column index
     */
    public static Object value(ResultSet rs, int index, Column column) throws SQLException {
        if (column.kind() == ColumnKind.FLOAT && "float4".equalsIgnoreCase(column.typeName())) {
            return readFloat4(rs, index);
        }
        return read(rs, index, column.kind());
    }

    /**
     * Reads one value of the current row.
     *
     * @param index the 1-based JDBC column index
     * @return null for SQL NULL, else the Java type {@code kind} documents
     */
    public static Object read(ResultSet rs, int index, ColumnKind kind) throws SQLException {
        return switch (kind) {
            case INTEGER -> {
                long v = rs.getLong(index);
                yield rs.wasNull() ? null : v;
            }
            case DECIMAL -> readDecimal(rs, index);
            case FLOAT -> {
                double v = rs.getDouble(index);
                yield rs.wasNull() ? null : v;
            }
            case BOOLEAN -> {
                boolean v = rs.getBoolean(index);
                yield rs.wasNull() ? null : v;
            }
            case DATE -> rs.getObject(index, LocalDate.class);
            case TIMESTAMP -> rs.getObject(index, LocalDateTime.class);
            case TIMESTAMPTZ -> rs.getObject(index, OffsetDateTime.class);
            case TEXT -> rs.getString(index);
        };
    }

    private static Object readFloat4(ResultSet rs, int index) throws SQLException {
        float v = rs.getFloat(index);
        if (rs.wasNull()) {
            return null;
        }
        return Float.isFinite(v) ? Double.parseDouble(Float.toString(v)) : (double) v;
    }

    private static BigDecimal readDecimal(ResultSet rs, int index) throws SQLException {
        try {
            return rs.getBigDecimal(index);
        } catch (SQLException e) {
            String text = textOrNull(rs, index);
            if (text != null && isNonFinite(text)) {
                SQLException clear = new SQLException("Column " + index + " ("
                        + label(rs, index) + ") holds the numeric value " + text
                        + ", which cannot be exported as a decimal; cast it in the query, e.g. "
                        + label(rs, index) + "::text or " + label(rs, index)
                        + "::double precision", NUMERIC_OUT_OF_RANGE, e);
                throw clear;
            }
            throw e;
        }
    }

    private static boolean isNonFinite(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return t.equals("nan") || t.equals("infinity") || t.equals("-infinity")
                || t.equals("+infinity") || t.equals("inf") || t.equals("-inf");
    }

    private static String textOrNull(ResultSet rs, int index) {
        try {
            return rs.getString(index);
        } catch (SQLException e) {
            // Only used to explain the driver's error; that original error is what gets thrown.
            return null;
        }
    }

    private static String label(ResultSet rs, int index) {
        try {
            return rs.getMetaData().getColumnLabel(index);
        } catch (SQLException | RuntimeException e) {
            return "column " + index;
        }
    }
}
