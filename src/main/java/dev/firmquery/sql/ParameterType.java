package dev.firmquery.sql;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The types a template parameter may declare ({@code -- @param NAME TYPE}): how a value written on the
 * command line parses, how it is written back (the canonical text the manifest, the report and the audit
 * line record), and how it is bound. A value is always a statement parameter, cast in the SQL to the
 * declared type ({@code CAST(? AS date)}), so that the server never infers the type from the context and
 * the text of a value is never part of the SQL.
 */
public enum ParameterType {
    TEXT("text", "text"),
    /** 64-bit: bound as {@code bigint}, which compares with {@code integer} and {@code smallint} columns. */
    INTEGER("integer", "bigint"),
    NUMERIC("numeric", "numeric"),
    BOOLEAN("boolean", "boolean"),
    DATE("date", "date"),
    TIMESTAMPTZ("timestamptz", "timestamptz"),
    TEXT_ARRAY("text[]", "text[]"),
    INTEGER_ARRAY("integer[]", "bigint[]");

    /**
     * ISO-8601 with an offset; a space may stand for the {@code T}, as PostgreSQL writes timestamps, and the
     * offset may be {@code Z}, {@code +01}, {@code +0100} or {@code +01:00}.
     */
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter(Locale.ROOT);

    private final String declared;
    private final String sqlType;

    ParameterType(String declared, String sqlType) {
        this.declared = declared;
        this.sqlType = sqlType;
    }

    /** The name a declaration uses: {@code text}, {@code integer[]}... */
    public String declaredName() {
        return declared;
    }

    /** The PostgreSQL type the bound value is cast to. */
    public String sqlType() {
        return sqlType;
    }

    /** Whether a value is a comma-separated list. */
    public boolean isList() {
        return this == TEXT_ARRAY || this == INTEGER_ARRAY;
    }

    /** The type a declaration names, compared case-insensitively; empty for anything else. */
    public static Optional<ParameterType> ofDeclared(String name) {
        for (ParameterType t : values()) {
            if (t.declared.equalsIgnoreCase(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The declared names, for messages: {@code text, integer, ...}. */
    public static String names() {
        List<String> names = new ArrayList<>();
        for (ParameterType t : values()) {
            names.add(t.declared);
        }
        return String.join(", ", names);
    }

    /**
     * Parses a value as written on the command line or as a default.
     *
     * @return a {@link String}, {@link Long}, {@link BigDecimal}, {@link Boolean}, {@link LocalDate},
     *         {@link OffsetDateTime}, or a {@code List} of strings or longs
     * @throws IllegalArgumentException saying what is wrong and how to write it
     */
    public Object parse(String value) {
        return switch (this) {
            case TEXT -> text(value);
            case INTEGER -> integer(value.strip());
            case NUMERIC -> numeric(value.strip());
            case BOOLEAN -> bool(value.strip());
            case DATE -> date(value.strip());
            case TIMESTAMPTZ -> timestamp(value.strip());
            case TEXT_ARRAY -> {
                List<String> items = new ArrayList<>();
                for (String item : split(value)) {
                    items.add(text(item));
                }
                yield List.copyOf(items);
            }
            case INTEGER_ARRAY -> {
                List<Long> items = new ArrayList<>();
                for (String item : split(value)) {
                    items.add(integer(item));
                }
                yield List.copyOf(items);
            }
        };
    }

    /** The canonical text of a parsed value: what {@link #parse} reads back to an equal value. */
    public String format(Object value) {
        return switch (this) {
            case TEXT, INTEGER, BOOLEAN, DATE -> value.toString();
            case NUMERIC -> ((BigDecimal) value).toPlainString();
            case TIMESTAMPTZ -> DateTimeFormatter.ISO_OFFSET_DATE_TIME.format((OffsetDateTime) value);
            case TEXT_ARRAY, INTEGER_ARRAY -> {
                StringBuilder b = new StringBuilder();
                for (Object item : (List<?>) value) {
                    if (!b.isEmpty()) {
                        b.append(',');
                    }
                    b.append(item.toString().replace("\\", "\\\\").replace(",", "\\,"));
                }
                yield b.toString();
            }
        };
    }

    /** Binds a parsed value as parameter {@code index} of {@code ps}. */
    public void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        switch (this) {
            case TEXT -> ps.setString(index, (String) value);
            case INTEGER -> ps.setLong(index, (Long) value);
            case NUMERIC -> ps.setBigDecimal(index, (BigDecimal) value);
            case BOOLEAN -> ps.setBoolean(index, (Boolean) value);
            case DATE -> ps.setObject(index, value);
            case TIMESTAMPTZ -> ps.setObject(index, value);
            case TEXT_ARRAY -> ps.setArray(index, array(ps.getConnection(), "text", ((List<?>) value).toArray(new String[0])));
            case INTEGER_ARRAY -> ps.setArray(index, array(ps.getConnection(), "int8", ((List<?>) value).toArray(new Long[0])));
        }
    }

    private static java.sql.Array array(Connection connection, String type, Object[] items) throws SQLException {
        return connection.createArrayOf(type, items);
    }

    /** {@code DE,FR}: items split at commas, each stripped; {@code \,} is a comma and {@code \\} a backslash inside one. */
    static List<String> split(String value) {
        List<String> items = new ArrayList<>();
        if (value.isBlank()) {
            return items; // an empty list
        }
        StringBuilder item = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() && (value.charAt(i + 1) == ',' || value.charAt(i + 1) == '\\')) {
                item.append(value.charAt(++i));
            } else if (c == ',') {
                items.add(item.toString().strip());
                item.setLength(0);
            } else {
                item.append(c);
            }
        }
        items.add(item.toString().strip());
        return items;
    }

    private static String text(String value) {
        int nul = value.indexOf('\0');
        if (nul >= 0) {
            throw new IllegalArgumentException("holds a NUL character (at " + (nul + 1) + "), which PostgreSQL text"
                    + " cannot store; remove it");
        }
        return value;
    }

    private static Long integer(String value) {
        try {
            return Long.parseLong(value.startsWith("+") ? value.substring(1) : value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a whole number from " + Long.MIN_VALUE + " to "
                    + Long.MAX_VALUE + "; write digits only, such as 42 or -7");
        }
    }

    private static BigDecimal numeric(String value) {
        try {
            BigDecimal n = new BigDecimal(value);
            // 1e3 is the number 1000: a negative scale would not survive the canonical text (1E+3 reads as 1000).
            return n.scale() < 0 ? n.setScale(0) : n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a number; write it with a point for the"
                    + " decimals, such as 12.50 or -0.5 (no thousands separators)");
        }
    }

    private static Boolean bool(String value) {
        // The spellings PostgreSQL's boolean input accepts (docs: Boolean Type), unambiguous prefixes aside.
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "t", "yes", "y", "on", "1" -> Boolean.TRUE;
            case "false", "f", "no", "n", "off", "0" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("'" + value + "' is not a boolean; write true or false");
        };
    }

    private static LocalDate date(String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "' is not a date; write it as YYYY-MM-DD, such as 2026-01-31");
        }
    }

    private static OffsetDateTime timestamp(String value) {
        try {
            return OffsetDateTime.parse(value, TIMESTAMP);
        } catch (DateTimeParseException e) {
            boolean noOffset = false;
            try {
                java.time.LocalDateTime.parse(value.replace(' ', 'T'));
                noOffset = true;
            } catch (DateTimeParseException ignored) {
                // not a local timestamp either
            }
            throw new IllegalArgumentException("'" + value + "' is not a timestamp with a time zone offset"
                    + (noOffset ? " (it has no offset, so the instant it means depends on the session's time zone)" : "")
                    + "; write it as 2026-01-31T08:00:00Z or 2026-01-31T09:00:00+01:00");
        }
    }
}
