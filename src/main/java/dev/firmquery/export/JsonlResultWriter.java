package dev.firmquery.export;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes the result as JSON Lines ({@code <base>.jsonl}, <a href="https://jsonlines.org">jsonlines.org</a>):
 * UTF-8, one JSON object per row, each ended by LF, the keys the column labels in column order. Values
 * are typed, as PostgreSQL's {@code to_json} writes them:
 * <ul>
 *   <li>SQL NULL is {@code null};</li>
 *   <li>integers are numbers, except beyond &plusmn;(2^53 - 1) (9,007,199,254,740,991), which are strings:
 *       a JSON reader that parses numbers into doubles (JavaScript, most others by default) would
 *       silently change them, and IDs are often that large;</li>
 *   <li>{@code numeric} values are numbers with their exact digits and scale (a reader into doubles
 *       rounds them; the text is exact);</li>
 *   <li>{@code real} and {@code double precision} are numbers in the shortest exact notation (as in the
 *       CSV; negative zero as {@code -0.0}), except {@code NaN}, {@code Infinity} and {@code -Infinity},
 *       which JSON has no number for: strings;</li>
 *   <li>booleans are {@code true}/{@code false};</li>
 *   <li>dates are ISO 8601 strings {@code 2026-11-22}, timestamps {@code 2026-11-22T10:15:00[.ffffff]},
 *       with time zone {@code 2026-11-22T10:15:00+00:00} (years before 1 in ISO's astronomical numbering,
 *       year 0 being 1 BC); infinite ones are {@code "infinity"} / {@code "-infinity"};</li>
 *   <li>text is a JSON string (control characters, unpaired surrogates, U+2028/U+2029 escaped).</li>
 * </ul>
 * A label that repeats an earlier one (two columns named {@code id}) becomes {@code id_2},
 * {@code id_3}...: JSON readers keep only one of two equal keys.
 *
 * <p>Like the other writers it holds one row at a time, and writes under a temporary name that
 * {@link #commit} publishes ({@link OutputFile}). The file depends only on the rows in their order, so a
 * resumed run, which replays the spooled rows, writes the same bytes.
 */
public final class JsonlResultWriter implements ResultWriter {
    /** The largest integer every JSON reader holds exactly: JavaScript's {@code Number.MAX_SAFE_INTEGER}. */
    public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_LOCAL_DATE_TIME;
    private static final DateTimeFormatter TIMESTAMPTZ = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).appendOffset("+HH:MM:ss", "+00:00").toFormatter();

    private final OutputFile file;
    private final Writer out;
    private final StringBuilder line = new StringBuilder(512);
    private final StringBuilder cell = new StringBuilder(64);
    private char[] chars = new char[1024];
    private List<Column> columns;
    /** Each column's key, quoted and followed by the colon. */
    private String[] keys;
    private long rows;

    /**
     * Creates the temporary file at once, so a bad {@code --out} or an existing file fails before any
     * query runs.
     */
    public JsonlResultWriter(Path target, Set<PosixFilePermission> permissions) throws IOException {
        this.file = OutputFile.create(target, permissions);
        try {
            this.out = new BufferedWriter(new OutputStreamWriter(new BufferedOutputStream(file.newOutputStream(),
                    1 << 16), StandardCharsets.UTF_8), 1 << 17);
        } catch (IOException | RuntimeException e) {
            file.discard();
            throw e;
        }
    }

    /** The object keys for {@code columns}: the labels, a repeated one suffixed {@code _2}, {@code _3}... */
    static List<String> keys(List<Column> columns) {
        Set<String> used = new HashSet<>();
        List<String> keys = new ArrayList<>(columns.size());
        for (Column c : columns) {
            String key = c.label();
            for (int n = 2; !used.add(key); n++) {
                key = c.label() + "_" + n;
            }
            keys.add(key);
        }
        return keys;
    }

    @Override
    public void begin(List<Column> columns) throws IOException {
        if (this.columns != null) {
            throw new IllegalStateException("begin() was already called for " + file.target());
        }
        this.columns = List.copyOf(columns);
        List<String> names = keys(columns);
        keys = new String[names.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = Json.quote(names.get(i)) + ":";
        }
    }

    @Override
    public void row(Object[] values) throws IOException {
        if (columns == null) {
            throw new IllegalStateException("row() before begin() for " + file.target());
        }
        if (values.length != keys.length) {
            throw new IllegalArgumentException("Row has " + values.length + " values but " + file.target() + " has "
                    + keys.length + " columns");
        }
        StringBuilder l = line;
        l.setLength(0);
        l.append('{');
        for (int i = 0; i < keys.length; i++) {
            if (i > 0) {
                l.append(',');
            }
            l.append(keys[i]);
            appendValue(l, i, values[i]);
        }
        l.append("}\n");
        // Through a reused char[]: Writer.append(CharSequence) would make a String of every row.
        int n = l.length();
        if (chars.length < n) {
            chars = new char[Math.max(n, chars.length * 2)];
        }
        l.getChars(0, n, chars, 0);
        out.write(chars, 0, n);
        rows++;
    }

    private void appendValue(StringBuilder l, int i, Object value) throws IOException {
        if (value == null) {
            l.append("null");
            return;
        }
        Column c = columns.get(i);
        switch (c.kind()) {
            case INTEGER -> {
                long v = ValueMismatch.checked(c, Long.class, value);
                if (v > MAX_SAFE_INTEGER || v < -MAX_SAFE_INTEGER) {
                    l.append('"').append(v).append('"');
                } else {
                    l.append(v);
                }
            }
            case DECIMAL -> l.append(ValueMismatch.checked(c, BigDecimal.class, value).toPlainString());
            case FLOAT -> {
                double d = ValueMismatch.checked(c, Double.class, value);
                cell.setLength(0);
                PgText.appendDouble(cell, d);
                if (!Double.isFinite(d)) {
                    l.append('"').append(cell).append('"');
                } else if (d == 0 && 1 / d < 0) {
                    l.append("-0.0"); // "-0" would read back as the integer 0 in most JSON readers
                } else {
                    l.append(cell);
                }
            }
            case BOOLEAN -> l.append(ValueMismatch.checked(c, Boolean.class, value) ? "true" : "false");
            case DATE -> {
                LocalDate d = ValueMismatch.checked(c, LocalDate.class, value);
                quotedTime(l, d.equals(LocalDate.MAX) ? "infinity" : d.equals(LocalDate.MIN) ? "-infinity"
                        : DATE.format(d));
            }
            case TIMESTAMP -> {
                LocalDateTime t = ValueMismatch.checked(c, LocalDateTime.class, value);
                quotedTime(l, PgText.isInfinite(t) ? (t.equals(LocalDateTime.MAX) ? "infinity" : "-infinity")
                        : TIMESTAMP.format(t));
            }
            case TIMESTAMPTZ -> {
                OffsetDateTime t = ValueMismatch.checked(c, OffsetDateTime.class, value);
                quotedTime(l, PgText.isInfinite(t) ? (t.equals(OffsetDateTime.MAX) ? "infinity" : "-infinity")
                        : TIMESTAMPTZ.format(t));
            }
            case TEXT -> Json.appendString(l, ValueMismatch.checked(c, String.class, value));
        }
    }

    /** ISO 8601 texts are digits, signs, {@code T}, {@code :} and {@code .}: nothing to escape. */
    private static void quotedTime(StringBuilder l, String text) {
        l.append('"').append(text).append('"');
    }

    /** Rows written so far. */
    public long rowCount() {
        return rows;
    }

    /** Flushes and publishes the file; the summary is not written to JSON Lines. */
    @Override
    public Path commit(List<SummaryLine> summary) throws IOException {
        if (columns == null) {
            throw new IllegalStateException("commit() before begin() for " + file.target());
        }
        if (!file.isOpen()) {
            throw new IllegalStateException("commit() after commit() or close() for " + file.target());
        }
        return file.publish(out::close);
    }

    @Override
    public void close() throws IOException {
        file.discard(out);
    }

    /** Who is told when the file is published ({@link OutputFile#publishHook}). */
    public void publishHook(PublishHook hook) {
        file.publishHook(hook);
    }
}
