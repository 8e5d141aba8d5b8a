package dev.firmquery.export;

import org.postgresql.PGResultSetMetaData;
import org.postgresql.util.ByteConverter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes rows of a pgjdbc result set as CSV records straight from the bytes the server sent (text,
 * or pgjdbc's binary format for the types it asks in binary), the same bytes, byte for byte, as reading them with {@link JdbcColumns#readRow} and writing them with
 * {@link CsvRecords#append}, without making a Java value of every cell first.
 *
 * <p>Why: in a CSV-only run of the benchmark (1M IDs, 1.9M rows of 11 columns) the workers spent
 * 6–8 s of CPU turning the server's bytes into Strings, BigDecimals and LocalDates and those back into
 * text, and the JIT another 4–5 s compiling that path (docs/performance.md, "Fifth session"). For a
 * column in text format pgjdbc's {@link ResultSet#getBytes} hands out the row's own bytes, no copy
 * (bytea excepted, which it decodes), and for a binary one its wire form.
 *
 * <p>Each column of a result takes one {@link Path}, chosen once per result set from its kind and
 * wire format ({@link #pathOf}); a cell whose value is not in the plain form its path knows (a BC
 * date, {@code infinity}, a numeric NaN, a text a formula guard must neutralise) is read and written
 * the typed way, so nothing but speed depends on the choice. A result that is not pgjdbc's (no
 * {@link PGResultSetMetaData}) is written the typed way throughout.
 *
 * <p>Not thread-safe: one instance per worker, like its {@link CsvRecords}.
 */
public final class DirectCsvRecords {

    /** How one column's cells are written. */
    enum Path {
        /** Text as sent, quoted by Commons CSV's minimal rule. */
        TEXT,
        /** {@code smallint}, {@code integer}, {@code bigint}: the digits as sent. */
        INTEGER,
        /** {@code numeric}: the digits as sent (PostgreSQL prints the scale, as {@code toPlainString} does). */
        DECIMAL,
        /** {@code t}/{@code f} as {@code true}/{@code false}, as {@link PgText} writes them. */
        BOOLEAN,
        /** A date as sent when it is {@code YYYY-MM-DD} (ISO DateStyle, which pgjdbc sets). */
        DATE,
        /** A timestamp as sent when it is {@code YYYY-MM-DD HH:MM:SS[.ffffff]}. */
        TIMESTAMP,
        /** {@code int2}, {@code int4}, {@code int8} in binary: the two's-complement integer, in decimal. */
        INTEGER_BINARY,
        /** {@code numeric} in binary (base-10000 digits, weight, sign, display scale), in plain decimal. */
        DECIMAL_BINARY,
        /** {@code date} in binary (days since 2000-01-01), as {@code YYYY-MM-DD}. */
        DATE_BINARY,
        /** {@code timestamp} in binary (microseconds since 2000-01-01). */
        TIMESTAMP_BINARY,
        /** {@code timestamptz} in binary (microseconds since 2000-01-01 UTC), in UTC with {@code +00}. */
        TIMESTAMPTZ_BINARY,
        /** Read as a Java value and written by {@link CsvRecords}. */
        TYPED
    }

    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

    private final CsvRecords records;
    private final List<Column> columns;
    private final byte delimiter;
    private final byte[] recordEnd;
    private final boolean formulaGuard;
    private StringBuilder cell = new StringBuilder(64);
    private byte[] out = new byte[1024];
    private int length;

    /** Records of {@code records}' columns, dialect and formula guard. */
    public DirectCsvRecords(CsvRecords records) {
        this.records = records;
        this.columns = records.columns();
        this.delimiter = (byte) records.delimiter();
        this.recordEnd = records.recordSeparator().getBytes(StandardCharsets.US_ASCII);
        this.formulaGuard = records.formulaGuard();
    }

    /**
     * The path a column takes: the kinds whose text PostgreSQL and {@link PgText} spell alike, when
     * the column comes in text format. {@code timestamptz} stays typed (the server prints the session's
     * time zone, firmquery writes UTC), {@code real}/{@code double precision} too (JDK 17's
     * {@code Double.toString} is not always the shortest text, PostgreSQL's is), and so does every
     * column in binary format (pgjdbc asks for binary only for some types of a prepared statement).
     */
    static Path pathOf(Column column, boolean textFormat, int jdbcType) {
        if (!textFormat) {
            String type = column.typeName() == null ? "" : column.typeName().toLowerCase(java.util.Locale.ROOT);
            return switch (column.kind()) {
                // oid is unsigned; a domain's name is its own: leave those to the driver.
                case INTEGER -> type.equals("int2") || type.equals("int4") || type.equals("int8")
                        ? Path.INTEGER_BINARY : Path.TYPED;
                case DECIMAL -> type.equals("numeric") ? Path.DECIMAL_BINARY : Path.TYPED;
                case DATE -> type.equals("date") ? Path.DATE_BINARY : Path.TYPED;
                case TIMESTAMP -> type.equals("timestamp") ? Path.TIMESTAMP_BINARY : Path.TYPED;
                case TIMESTAMPTZ -> type.equals("timestamptz") ? Path.TIMESTAMPTZ_BINARY : Path.TYPED;
                case TEXT, FLOAT, BOOLEAN -> Path.TYPED;
            };
        }
        return switch (column.kind()) {
            case TEXT -> isBytea(column, jdbcType) ? Path.TYPED : Path.TEXT;
            case INTEGER -> Path.INTEGER;
            case DECIMAL -> Path.DECIMAL;
            case BOOLEAN -> Path.BOOLEAN;
            case DATE -> Path.DATE;
            case TIMESTAMP -> Path.TIMESTAMP;
            case FLOAT, TIMESTAMPTZ -> Path.TYPED;
        };
    }

    private static boolean isBytea(Column column, int jdbcType) {
        return jdbcType == Types.BINARY || jdbcType == Types.VARBINARY || jdbcType == Types.LONGVARBINARY
                || "bytea".equalsIgnoreCase(column.typeName());
    }

    /**
     * The encoder of {@code rs}'s rows; its columns must be the ones this was made for.
     *
     * @throws IllegalArgumentException if the result has another number of columns
     */
    public Rows of(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        if (meta.getColumnCount() != columns.size()) {
            throw new IllegalArgumentException("the result has " + meta.getColumnCount() + " columns, the records "
                    + columns.size());
        }
        PGResultSetMetaData pg = meta.isWrapperFor(PGResultSetMetaData.class)
                ? meta.unwrap(PGResultSetMetaData.class) : null;
        Path[] paths = new Path[columns.size()];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = pg == null ? Path.TYPED : pathOf(columns.get(i), pg.getFormat(i + 1) == 0, meta.getColumnType(i + 1));
        }
        return new Rows(rs, paths);
    }

    /** The records of one result set. */
    public final class Rows {
        private final ResultSet rs;
        private final Path[] paths;
        private final Cell[] cells;

        private Rows(ResultSet rs, Path[] paths) {
            this.rs = rs;
            this.paths = paths;
            this.cells = new Cell[paths.length];
            for (int i = 0; i < paths.length; i++) {
                cells[i] = cellsByPath[paths[i].ordinal()];
            }
        }

        /** The paths of the columns, in order (for tests). */
        List<Path> paths() {
            return List.of(paths);
        }

        /**
         * Encodes the current row, with its record end, into {@link #bytes()}.
         *
         * @return the record's length in bytes
         * @throws ValueMismatch if a typed cell's value is not of its column's type
         */
        public int encode() throws SQLException, IOException {
            length = 0;
            // A call through the column's Cell, never inlined here (several kinds of Cell reach it):
            // each kind is compiled on its own, small. One method with every path inlined, the typed
            // read and the text formatting of dates and timestamps included, cost C2 0.6-1.0 s of
            // compiling in a 1M-ID benchmark run, and was recompiled as paths first ran;
            // docs/performance.md, "Seventh session".
            for (int i = 0; i < cells.length; i++) {
                cells[i].write(rs, i);
            }
            put(recordEnd, recordEnd.length);
            return length;
        }

        /** The bytes of the record {@link #encode} made: valid up to its length, reused by the next. */
        public byte[] bytes() {
            return out;
        }
    }

    /** How a column's cells are written: one kind per {@link Path}. */
    private abstract class Cell {
        /** Writes column {@code i}'s cell of {@code rs}'s current row, its delimiter first. */
        abstract void write(ResultSet rs, int i) throws SQLException, IOException;
    }

    /** {@link Path#TYPED}: every cell read as a Java value. */
    private final class TypedCell extends Cell {
        @Override
        void write(ResultSet rs, int i) throws SQLException, IOException {
            typed(rs, i);
        }
    }

    /**
     * A path that writes a cell from its bytes when they are in the path's plain form ({@link #plain}),
     * else the typed way (a cold call: C2 leaves it out of line).
     */
    private abstract class PlainCell extends Cell {
        @Override
        final void write(ResultSet rs, int i) throws SQLException, IOException {
            byte[] v = rs.getBytes(i + 1);
            if (v == null) {
                delimit(i); // SQL NULL: an empty, unquoted field, as Commons CSV prints null
            } else if (!plain(i, v)) {
                typed(rs, i);
            }
        }

        /** Writes the cell (its delimiter first) and returns true, or writes nothing and returns false. */
        abstract boolean plain(int i, byte[] v);
    }

    /** Reads the cell as its kind's Java value and writes it as {@link CsvRecords} does. */
    private void typed(ResultSet rs, int i) throws SQLException, IOException {
        Object value = JdbcColumns.value(rs, i + 1, columns.get(i));
        cell.setLength(0);
        records.appendCell(i, value, cell);
        String text = cell.toString();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length != text.length()) {
            // A builder that once held a character beyond Latin-1 stays UTF-16; start afresh.
            cell = new StringBuilder(64);
        }
        put(bytes, bytes.length);
    }

    /** The cell of each path, by {@link Path#ordinal()}. */
    private final Cell[] cellsByPath = new Cell[Path.values().length];

    {
        for (Path path : Path.values()) {
            cellsByPath[path.ordinal()] = cell(path);
        }
    }

    private Cell cell(Path path) {
        return switch (path) {
            case TEXT -> new TextCell();
            case INTEGER -> new IntegerCell();
            case DECIMAL -> new DecimalCell();
            case BOOLEAN -> new BooleanCell();
            case DATE -> new DateCell();
            case TIMESTAMP -> new TimestampCell();
            case INTEGER_BINARY -> new IntegerBinaryCell();
            case DECIMAL_BINARY -> new DecimalBinaryCell();
            case DATE_BINARY -> new DateBinaryCell();
            case TIMESTAMP_BINARY -> new TimestampBinaryCell(false);
            case TIMESTAMPTZ_BINARY -> new TimestampBinaryCell(true);
            case TYPED -> new TypedCell();
        };
    }

    private final class TextCell extends PlainCell {
        @Override
        boolean plain(int i, byte[] v) {
            if (formulaGuard && v.length > 0 && FormulaGuard.isDangerousStart(v[0])) {
                return false;
            }
            delimit(i);
            quoted(v, i == 0);
            return true;
        }
    }

    private final class IntegerCell extends PlainCell {
        @Override
        boolean plain(int i, byte[] v) {
            if (!isInteger(v)) {
                return false;
            }
            cellAsSent(i, v);
            return true;
        }
    }

    private final class DecimalCell extends PlainCell {
        @Override
        boolean plain(int i, byte[] v) {
            if (!isPlainDecimal(v)) {
                return false; // NaN, Infinity: the typed read explains what to do
            }
            cellAsSent(i, v);
            return true;
        }
    }

    private final class BooleanCell extends PlainCell {
        @Override
        boolean plain(int i, byte[] v) {
            if (v.length != 1 || (v[0] != 't' && v[0] != 'f')) {
                return false;
            }
            cellAsSent(i, v[0] == 't' ? TRUE : FALSE);
            return true;
        }
    }

    private final class DateCell extends PlainCell {
        @Override
        boolean plain(int i, byte[] v) {
            if (dateEnd(v) != v.length) {
                return false;
            }
            cellAsSent(i, v);
            return true;
        }
    }

    private final class TimestampCell extends PlainCell {
        @Override
        boolean plain(int i, byte[] v) {
            if (!isPlainTimestamp(v)) {
                return false;
            }
            cellAsSent(i, v);
            return true;
        }
    }

    private final class IntegerBinaryCell extends PlainCell {
        @Override
        boolean plain(int i, byte[] v) {
            if (v.length != 2 && v.length != 4 && v.length != 8) {
                return false;
            }
            delimit(i);
            putLong(v.length == 2 ? ByteConverter.int2(v, 0) : v.length == 4 ? ByteConverter.int4(v, 0) : ByteConverter.int8(v, 0));
            return true;
        }
    }

    private final class DecimalBinaryCell extends PlainCell {
        @Override
        boolean plain(int i, byte[] v) {
            return numeric(i, v);
        }
    }

    private final class DateBinaryCell extends PlainCell {
        @Override
        boolean plain(int i, byte[] v) {
            if (v.length != 4) {
                return false;
            }
            int days = ByteConverter.int4(v, 0);
            if (days == Integer.MAX_VALUE || days == Integer.MIN_VALUE) {
                return false; // infinity, -infinity
            }
            long epochDay = days + PG_EPOCH_DAY;
            if (epochDay < FIRST_AD_EPOCH_DAY || epochDay > LAST_EPOCH_DAY) {
                return false; // BC (the typed path writes " BC") or beyond what LocalDate holds
            }
            delimit(i);
            putDate(LocalDate.ofEpochDay(epochDay));
            return true;
        }
    }

    /** {@code timestamp} and, with {@code utc}, {@code timestamptz}, which is written with {@code +00}. */
    private final class TimestampBinaryCell extends PlainCell {
        private final boolean utc;

        TimestampBinaryCell(boolean utc) {
            this.utc = utc;
        }

        @Override
        boolean plain(int i, byte[] v) {
            if (v.length != 8) {
                return false;
            }
            long micros = ByteConverter.int8(v, 0);
            if (micros == Long.MAX_VALUE || micros == Long.MIN_VALUE) {
                return false; // infinity, -infinity
            }
            long seconds = Math.floorDiv(micros, 1_000_000L) + PG_EPOCH_SECOND;
            long epochDay = Math.floorDiv(seconds, 86_400L);
            if (epochDay < FIRST_AD_EPOCH_DAY || epochDay > LAST_EPOCH_DAY) {
                return false;
            }
            delimit(i);
            putDate(LocalDate.ofEpochDay(epochDay));
            put((byte) ' ');
            putTime((int) Math.floorMod(seconds, 86_400L), (int) Math.floorMod(micros, 1_000_000L));
            if (utc) {
                put((byte) '+');
                put((byte) '0');
                put((byte) '0');
            }
            return true;
        }
    }

    /**
     * A binary numeric in plain decimal, as {@code BigDecimal.toPlainString} prints the value pgjdbc
     * makes of it: the integer digits without leading zeros (at least one), then exactly the display
     * scale's digits after the point. NaN and the infinities are left to the typed read.
     */
    private boolean numeric(int i, byte[] v) {
        if (v.length < 8) {
            return false;
        }
        int ndigits = int16(v, 0);
        int weight = ByteConverter.int2(v, 2);
        int sign = int16(v, 4);
        int dscale = int16(v, 6);
        if ((sign != 0x0000 && sign != 0x4000) || v.length != 8 + 2 * ndigits || dscale > 0x3FFF) {
            return false;
        }
        delimit(i);
        boolean zero = true;
        for (int d = 0; d < ndigits && zero; d++) {
            zero = int16(v, 8 + 2 * d) == 0;
        }
        if (sign == 0x4000 && !zero) {
            put((byte) '-');
        }
        // Integer part: base-10000 digits 0..weight.
        if (weight < 0) {
            put((byte) '0');
        } else {
            boolean leading = true;
            for (int d = 0; d <= weight; d++) {
                int digit = d < ndigits ? int16(v, 8 + 2 * d) : 0;
                if (leading) {
                    if (digit == 0 && d < weight) {
                        continue;
                    }
                    putLong(digit);
                    leading = false;
                } else {
                    put4(digit);
                }
            }
        }
        if (dscale > 0) {
            put((byte) '.');
            int written = 0;
            for (int d = weight + 1; written < dscale; d++) {
                int digit = d >= 0 && d < ndigits ? int16(v, 8 + 2 * d) : 0;
                int n = Math.min(4, dscale - written);
                for (int p = 1000, k = 0; k < n; k++, p /= 10) {
                    put((byte) ('0' + digit / p % 10));
                }
                written += n;
            }
        }
        return true;
    }

    private void cellAsSent(int i, byte[] v) {
        delimit(i);
        put(v, v.length);
    }

    private void delimit(int i) {
        if (i > 0) {
            put(delimiter);
        }
    }

    /**
     * Appends {@code v} as Commons CSV's minimal quoting prints a text value: quoted when it starts with
     * a character up to {@code #}, ends in one up to a space, or holds the delimiter, a quote, CR or LF
     * (each quote doubled); an empty value is {@code ""} only as a record's first field. A UTF-8 byte of
     * a multi-byte character is 0x80 or above, so it is never taken for one of those.
     */
    private void quoted(byte[] v, boolean first) {
        int n = v.length;
        if (n == 0) {
            if (first) {
                put((byte) '"');
                put((byte) '"');
            }
            return;
        }
        boolean quote = (v[0] & 0xFF) <= '#' || (v[n - 1] & 0xFF) <= ' ';
        for (int i = 0; i < n && !quote; i++) {
            byte b = v[i];
            quote = b == delimiter || b == '"' || b == '\r' || b == '\n';
        }
        if (!quote) {
            put(v, n);
            return;
        }
        ensure(n * 2 + 2);
        out[length++] = '"';
        for (byte b : v) {
            if (b == '"') {
                out[length++] = '"';
            }
            out[length++] = b;
        }
        out[length++] = '"';
    }

    /** 2000-01-01, PostgreSQL's epoch, in days and seconds since 1970-01-01. */
    private static final long PG_EPOCH_DAY = 10_957L;
    private static final long PG_EPOCH_SECOND = PG_EPOCH_DAY * 86_400L;
    /** 0001-01-01 and the last day {@link LocalDate} holds, as epoch days. */
    private static final long FIRST_AD_EPOCH_DAY = LocalDate.of(1, 1, 1).toEpochDay();
    private static final long LAST_EPOCH_DAY = LocalDate.of(999_999_999, 12, 31).toEpochDay();

    /** An unsigned 16-bit field of the binary numeric (digit count, sign word, scale, base-10000 digit). */
    private static int int16(byte[] v, int at) {
        return ByteConverter.int2(v, at) & 0xFFFF;
    }

    /** {@code value} in decimal, as {@code StringBuilder.append(long)} writes it. */
    private void putLong(long value) {
        if (value == Long.MIN_VALUE) {
            byte[] min = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
            put(min, min.length);
            return;
        }
        if (value < 0) {
            put((byte) '-');
            value = -value;
        }
        ensure(19);
        int digits = 1;
        for (long p = 10; digits < 19 && value >= p; p *= 10) {
            digits++;
        }
        for (int k = digits - 1; k >= 0; k--) {
            out[length + k] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
    }

    /** Four decimal digits, zero-padded. */
    private void put4(int digit) {
        ensure(4);
        out[length++] = (byte) ('0' + digit / 1000 % 10);
        out[length++] = (byte) ('0' + digit / 100 % 10);
        out[length++] = (byte) ('0' + digit / 10 % 10);
        out[length++] = (byte) ('0' + digit % 10);
    }

    private void put2(int value) {
        ensure(2);
        out[length++] = (byte) ('0' + value / 10);
        out[length++] = (byte) ('0' + value % 10);
    }

    /** An AD date as {@link PgText#appendDate} writes it: a year of at least four digits. */
    private void putDate(LocalDate d) {
        int year = d.getYear();
        if (year < 1000) {
            put((byte) '0');
            if (year < 100) {
                put((byte) '0');
            }
            if (year < 10) {
                put((byte) '0');
            }
        }
        putLong(year);
        put((byte) '-');
        put2(d.getMonthValue());
        put((byte) '-');
        put2(d.getDayOfMonth());
    }

    /** {@code HH:MM:SS}, and the microseconds without trailing zeros if there are any, as {@link PgText} does. */
    private void putTime(int secondOfDay, int micros) {
        put2(secondOfDay / 3600);
        put((byte) ':');
        put2(secondOfDay / 60 % 60);
        put((byte) ':');
        put2(secondOfDay % 60);
        if (micros != 0) {
            put((byte) '.');
            int digits = 6;
            while (micros % 10 == 0) {
                micros /= 10;
                digits--;
            }
            ensure(digits);
            for (int k = digits - 1; k >= 0; k--) {
                out[length + k] = (byte) ('0' + micros % 10);
                micros /= 10;
            }
            length += digits;
        }
    }

    static boolean isInteger(byte[] v) {
        int i = v.length > 0 && v[0] == '-' ? 1 : 0;
        if (i == v.length) {
            return false;
        }
        for (; i < v.length; i++) {
            if (!digit(v[i])) {
                return false;
            }
        }
        return true;
    }

    /** {@code -?D+(.D+)?}: what PostgreSQL prints for a finite numeric. */
    static boolean isPlainDecimal(byte[] v) {
        int i = v.length > 0 && v[0] == '-' ? 1 : 0;
        int digits = 0;
        while (i < v.length && digit(v[i])) {
            i++;
            digits++;
        }
        if (digits == 0) {
            return false;
        }
        if (i == v.length) {
            return true;
        }
        if (v[i] != '.' || i + 1 == v.length) {
            return false;
        }
        for (i++; i < v.length; i++) {
            if (!digit(v[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where {@code YYYY-MM-DD} (a year of four or more digits, AD) ends in {@code v}, or -1. PostgreSQL
     * pads years below 1000 to four digits and prints later years whole, as {@link PgText} does.
     */
    static int dateEnd(byte[] v) {
        int i = 0;
        while (i < v.length && digit(v[i])) {
            i++;
        }
        if (i < 4 || i + 6 > v.length || v[i] != '-' || !digit(v[i + 1]) || !digit(v[i + 2]) || v[i + 3] != '-'
                || !digit(v[i + 4]) || !digit(v[i + 5])) {
            return -1;
        }
        if (allZero(v, 0, i)) {
            return -1; // no year 0 in PostgreSQL's calendar; leave anything odd to the typed read
        }
        return i + 6;
    }

    /**
     * {@code YYYY-MM-DD HH:MM:SS} with an optional fraction of one to six digits that does not end in
     * 0 (PostgreSQL trims trailing zeros, as {@link PgText} does).
     */
    static boolean isPlainTimestamp(byte[] v) {
        int d = dateEnd(v);
        if (d < 0 || d + 9 > v.length || v[d] != ' ' || !twoDigits(v, d + 1) || v[d + 3] != ':'
                || !twoDigits(v, d + 4) || v[d + 6] != ':' || !twoDigits(v, d + 7)) {
            return false;
        }
        int i = d + 9;
        if (i == v.length) {
            return true;
        }
        if (v[i] != '.') {
            return false;
        }
        int fraction = v.length - i - 1;
        if (fraction < 1 || fraction > 6 || v[v.length - 1] == '0') {
            return false;
        }
        for (i++; i < v.length; i++) {
            if (!digit(v[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean twoDigits(byte[] v, int at) {
        return digit(v[at]) && digit(v[at + 1]);
    }

    private static boolean allZero(byte[] v, int from, int to) {
        for (int i = from; i < to; i++) {
            if (v[i] != '0') {
                return false;
            }
        }
        return true;
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    private void put(byte b) {
        ensure(1);
        out[length++] = b;
    }

    private void put(byte[] b, int n) {
        ensure(n);
        System.arraycopy(b, 0, out, length, n);
        length += n;
    }

    private void ensure(int more) {
        if (length + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, length + more));
        }
    }
}
