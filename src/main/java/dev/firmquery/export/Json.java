package dev.firmquery.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Map;

/**
 * A minimal streaming JSON writer (RFC 8259) for the run report and the audit log lines.
 *
 * <pre>{@code
 * Json json = Json.pretty(writer);
 * json.beginObject()
 *     .name("status").value("completed")
 *     .name("ids").beginObject().name("valid").value(42).endObject()
 *     .name("files").beginArray().value("a.csv").endArray()
 *     .endObject();
 * }</pre>
 *
 * <p>Strings are fully escaped: quote, backslash, all control characters (as {@code \n}, {@code
 * \t}, ... or <code>&#92;u00XX</code>), DEL, and U+2028/U+2029 (valid JSON, but line terminators for
 * JavaScript and many log tools), so one compact document is always exactly one line. Unpaired
 * surrogates are written as <code>&#92;uXXXX</code> escapes rather than dropped. Non-finite doubles, which
 * JSON cannot express, are written as {@code null}. Misuse (a value where a name is expected,
 * unbalanced ends) throws {@link IllegalStateException}. Not thread-safe; the caller owns and
 * closes the {@link Appendable}.
 */
public final class Json {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private enum Scope { EMPTY_OBJECT, OBJECT, AWAITING_VALUE, EMPTY_ARRAY, ARRAY }

    private final Appendable out;
    private final boolean pretty;
    private Scope[] stack = new Scope[8];
    private int depth;
    private boolean complete;

    private Json(Appendable out, boolean pretty) {
        this.out = out;
        this.pretty = pretty;
    }

    /** A writer producing one line with no insignificant whitespace, as audit log lines need. */
    public static Json compact(Appendable out) {
        return new Json(out, false);
    }

    /** A writer indenting by two spaces, for human-read files such as the run report. */
    public static Json pretty(Appendable out) {
        return new Json(out, true);
    }

    /** Starts an object. */
    public Json beginObject() throws IOException {
        beforeValue();
        out.append('{');
        push(Scope.EMPTY_OBJECT);
        return this;
    }

    /** Ends the current object. */
    public Json endObject() throws IOException {
        return end(Scope.EMPTY_OBJECT, Scope.OBJECT, '}');
    }

    /** Starts an array. */
    public Json beginArray() throws IOException {
        beforeValue();
        out.append('[');
        push(Scope.EMPTY_ARRAY);
        return this;
    }

    /** Ends the current array. */
    public Json endArray() throws IOException {
        return end(Scope.EMPTY_ARRAY, Scope.ARRAY, ']');
    }

    /** Writes a member name; a value must follow. */
    public Json name(String name) throws IOException {
        if (name == null) {
            throw new IllegalArgumentException("JSON member name must not be null");
        }
        Scope scope = depth == 0 ? null : stack[depth - 1];
        if (scope != Scope.EMPTY_OBJECT && scope != Scope.OBJECT) {
            throw new IllegalStateException("JSON name \"" + name + "\" outside an object or"
                    + " right after another name");
        }
        if (scope == Scope.OBJECT) {
            out.append(',');
        }
        newline();
        string(name);
        out.append(pretty ? ": " : ":");
        stack[depth - 1] = Scope.AWAITING_VALUE;
        return this;
    }

    /** Writes a string, or null. */
    public Json value(String value) throws IOException {
        if (value == null) {
            return nullValue();
        }
        beforeValue();
        string(value);
        return this;
    }

    /** Writes an integer. */
    public Json value(long value) throws IOException {
        beforeValue();
        out.append(Long.toString(value));
        return this;
    }

    /** Writes a number; NaN and infinities as null. */
    public Json value(double value) throws IOException {
        if (!Double.isFinite(value)) {
            return nullValue();
        }
        beforeValue();
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append(Long.toString((long) value));
        } else {
            out.append(Double.toString(value));
        }
        return this;
    }

    /** Writes a boolean. */
    public Json value(boolean value) throws IOException {
        beforeValue();
        out.append(value ? "true" : "false");
        return this;
    }

    /** Writes a number (BigDecimal in plain notation), or null. */
    public Json value(Number value) throws IOException {
        if (value == null) {
            return nullValue();
        }
        if (value instanceof Double || value instanceof Float) {
            return value(value.doubleValue());
        }
        if (value instanceof BigDecimal d) {
            beforeValue();
            out.append(d.toPlainString());
            return this;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger) {
            beforeValue();
            out.append(value.toString());
            return this;
        }
        return value(new BigDecimal(value.toString()));
    }

    /** Writes null. */
    public Json nullValue() throws IOException {
        beforeValue();
        out.append("null");
        return this;
    }

    /**
     * Writes any of: null, String, Number, Boolean, Map (keys as strings), Iterable, arrays of
     * objects or longs/ints; anything else as its {@code toString()} string.
     */
    public Json value(Object value) throws IOException {
        if (value == null) {
            return nullValue();
        }
        if (value instanceof String s) {
            return value(s);
        }
        if (value instanceof Number n) {
            return value(n);
        }
        if (value instanceof Boolean b) {
            return value(b.booleanValue());
        }
        if (value instanceof Map<?, ?> map) {
            beginObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                name(String.valueOf(e.getKey()));
                value(e.getValue());
            }
            return endObject();
        }
        if (value instanceof Iterable<?> items) {
            beginArray();
            for (Object item : items) {
                value(item);
            }
            return endArray();
        }
        if (value instanceof Object[] items) {
            return value(Arrays.asList(items));
        }
        if (value instanceof long[] items) {
            beginArray();
            for (long item : items) {
                value(item);
            }
            return endArray();
        }
        if (value instanceof int[] items) {
            beginArray();
            for (int item : items) {
                value(item);
            }
            return endArray();
        }
        return value(value.toString());
    }

    /** Shorthand for {@code name(name).value(value)} with {@link #value(Object)}. */
    public Json field(String name, Object value) throws IOException {
        name(name);
        return value(value);
    }

    /** Whether a complete top-level value has been written. */
    public boolean isComplete() {
        return complete && depth == 0;
    }

    /** The JSON string literal for {@code s}, quotes included. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        try {
            new Json(sb, false).string(s);
        } catch (IOException e) {
            throw new UncheckedIOException("StringBuilder does not throw", e);
        }
        return sb.toString();
    }

    /** A compact document for {@code value} (see {@link #value(Object)}). */
    public static String toJson(Object value) {
        StringBuilder sb = new StringBuilder();
        try {
            compact(sb).value(value);
        } catch (IOException e) {
            throw new UncheckedIOException("StringBuilder does not throw", e);
        }
        return sb.toString();
    }

    /** Appends {@code s} as a JSON string, quotes and escapes included (for writers of their own lines). */
    static void appendString(Appendable out, String s) throws IOException {
        new Json(out, false).string(s);
    }

    private void string(String s) throws IOException {
        out.append('"');
        int n = s.length();
        int plain = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            String escape = null;
            boolean unicode = false;
            switch (c) {
                case '"' -> escape = "\\\"";
                case '\\' -> escape = "\\\\";
                case '\n' -> escape = "\\n";
                case '\r' -> escape = "\\r";
                case '\t' -> escape = "\\t";
                case '\b' -> escape = "\\b";
                case '\f' -> escape = "\\f";
                default -> unicode = c < 0x20 || c == 0x7F || c == '\u2028' || c == '\u2029'
                        || Character.isSurrogate(c) && !isPaired(s, i);
            }
            if (escape == null && !unicode) {
                continue;
            }
            if (plain < i) {
                out.append(s, plain, i);
            }
            if (escape != null) {
                out.append(escape);
            } else {
                out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                        .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
            }
            plain = i + 1;
        }
        if (plain < n) {
            out.append(s, plain, n);
        }
        out.append('"');
    }

    private static boolean isPaired(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    private void beforeValue() throws IOException {
        if (depth == 0) {
            if (complete) {
                throw new IllegalStateException("JSON document already complete; start a new"
                        + " writer for the next one");
            }
            complete = true;
            return;
        }
        stack[depth - 1] = switch (stack[depth - 1]) {
            case AWAITING_VALUE -> Scope.OBJECT;
            case EMPTY_ARRAY -> {
                newline();
                yield Scope.ARRAY;
            }
            case ARRAY -> {
                out.append(',');
                newline();
                yield Scope.ARRAY;
            }
            case EMPTY_OBJECT, OBJECT -> throw new IllegalStateException("JSON value inside an object needs a"
                    + " name first");
        };
    }

    private Json end(Scope empty, Scope nonEmpty, char close) throws IOException {
        Scope scope = depth == 0 ? null : stack[depth - 1];
        if (scope != empty && scope != nonEmpty) {
            throw new IllegalStateException("JSON '" + close + "' does not match the open "
                    + (scope == null ? "document" : scope == Scope.AWAITING_VALUE
                    ? "member (its value is missing)" : scope.name().toLowerCase(java.util.Locale.ROOT)));
        }
        depth--;
        if (scope == nonEmpty) {
            newline();
        }
        out.append(close);
        if (depth == 0 && pretty) {
            out.append('\n');
        }
        return this;
    }

    private void push(Scope scope) {
        if (depth == stack.length) {
            stack = Arrays.copyOf(stack, depth * 2);
        }
        stack[depth++] = scope;
    }

    private void newline() throws IOException {
        if (!pretty) {
            return;
        }
        out.append('\n');
        for (int i = 0; i < depth; i++) {
            out.append("  ");
        }
    }
}
