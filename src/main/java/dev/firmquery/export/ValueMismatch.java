package dev.firmquery.export;

/**
 * Builds the error for a value whose Java type does not match its column's {@link ColumnKind}: a
 * programming error in whoever produced the row (normally {@link JdbcColumns}).
 */
public final class ValueMismatch {

    private ValueMismatch() {
    }

    /**
     * {@code value} as {@code type}, the Java type {@code column}'s kind documents.
     *
     * @throws IllegalArgumentException ({@link #of}) if it is of another type
     */
    public static <T> T checked(Column column, Class<T> type, Object value) {
        if (!type.isInstance(value)) {
            throw of(column, value);
        }
        return type.cast(value);
    }

    /**
     * The error for {@code value} given for {@code column}: names the column, its kind and database
     * type, the value's Java type and the one expected. Thrown by every writer of rows (the final
     * files and the run store's spool), so the message is the same wherever the mismatch shows.
     */
    public static IllegalArgumentException of(Column column, Object value) {
        return new IllegalArgumentException("Column '" + column.label() + "' (" + column.kind()
                + ", database type " + column.typeName() + ") got a " + value.getClass().getName()
                + "; expected " + expectedType(column.kind()).getName()
                + " as documented on ColumnKind");
    }

    static Class<?> expectedType(ColumnKind kind) {
        return switch (kind) {
            case INTEGER -> Long.class;
            case DECIMAL -> java.math.BigDecimal.class;
            case FLOAT -> Double.class;
            case BOOLEAN -> Boolean.class;
            case DATE -> java.time.LocalDate.class;
            case TIMESTAMP -> java.time.LocalDateTime.class;
            case TIMESTAMPTZ -> java.time.OffsetDateTime.class;
            case TEXT -> String.class;
        };
    }
}
