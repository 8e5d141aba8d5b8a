package dev.firmquery.demo;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.postgresql.copy.CopyIn;

/**
 * Streams rows to {@code COPY ... FROM STDIN} (text format) in 64 KB pieces: memory stays flat
 * however many rows are loaded, and no row is ever formatted into a throwaway String.
 */
final class CopyBuffer {
    private final CopyIn copy;
    private final byte[] buffer = new byte[1 << 16];
    private int position;

    CopyBuffer(CopyIn copy) {
        this.copy = copy;
    }

    /** A text value with COPY's escapes (backslash, tab, newline, carriage return), UTF-8 encoded. */
    CopyBuffer text(String value) throws SQLException {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch >= 0x80) {
                // Rare (a few names): encode the whole value the slow, correct way.
                return escapedUtf8(value, i);
            }
            switch (ch) {
                case '\\' -> {
                    put((byte) '\\');
                    put((byte) '\\');
                }
                case '\t' -> {
                    put((byte) '\\');
                    put((byte) 't');
                }
                case '\n' -> {
                    put((byte) '\\');
                    put((byte) 'n');
                }
                case '\r' -> {
                    put((byte) '\\');
                    put((byte) 'r');
                }
                default -> put((byte) ch);
            }
        }
        return this;
    }

    private CopyBuffer escapedUtf8(String value, int from) throws SQLException {
        String rest = value.substring(from)
                .replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
        for (byte b : rest.getBytes(StandardCharsets.UTF_8)) {
            put(b);
        }
        return this;
    }

    /** Plain ASCII without anything to escape (codes, formatted numbers and dates). */
    CopyBuffer ascii(CharSequence value) throws SQLException {
        for (int i = 0; i < value.length(); i++) {
            put((byte) value.charAt(i));
        }
        return this;
    }

    CopyBuffer number(long value) throws SQLException {
        if (value < 0) {
            put((byte) '-');
            value = -value;
        }
        return digits(value, 1);
    }

    /** {@code value} with at least {@code width} digits, zero-padded. */
    CopyBuffer digits(long value, int width) throws SQLException {
        int length = 1;
        for (long v = value / 10; v > 0; v /= 10) {
            length++;
        }
        for (int i = length; i < width; i++) {
            put((byte) '0');
        }
        ensure(length);
        for (int i = position + length - 1; i >= position; i--) {
            buffer[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        position += length;
        return this;
    }

    CopyBuffer nul() throws SQLException {
        put((byte) '\\');
        put((byte) 'N');
        return this;
    }

    CopyBuffer tab() throws SQLException {
        put((byte) '\t');
        return this;
    }

    CopyBuffer endRow() throws SQLException {
        put((byte) '\n');
        return this;
    }

    CopyBuffer put(char ch) throws SQLException {
        put((byte) ch);
        return this;
    }

    private void put(byte b) throws SQLException {
        if (position == buffer.length) {
            flush();
        }
        buffer[position++] = b;
    }

    private void ensure(int bytes) throws SQLException {
        if (position + bytes > buffer.length) {
            flush();
        }
    }

    private void flush() throws SQLException {
        if (position > 0) {
            copy.writeToCopy(buffer, 0, position);
            position = 0;
        }
    }

    /** Sends the rest and ends the COPY; returns the number of rows the server reports. */
    long finish() throws SQLException {
        flush();
        return copy.endCopy();
    }

    /** Aborts the COPY after {@code failure}, so the connection stays usable for the rollback. */
    void cancel(Throwable failure) {
        try {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
