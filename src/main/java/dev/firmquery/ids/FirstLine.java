package dev.firmquery.ids;

import java.io.IOException;
import java.io.Reader;

/**
 * The first non-blank line of an input, read ahead so that the format and the CSV delimiter can be
 * decided once, before parsing; {@link #replay} gives a reader that starts again from the beginning.
 *
 * @param buffered everything read ahead
 * @param line     the first non-blank line without its terminator (at most {@link #PEEK_LIMIT}
 *                 characters of it), or {@code null} if there is none within the limit
 */
record FirstLine(String buffered, String line) {
    /** Most characters read ahead; a header longer than this is decided on its beginning. */
    static final int PEEK_LIMIT = 1 << 20;

    static FirstLine peek(Reader in) throws IOException {
        StringBuilder sb = new StringBuilder(8192);
        char[] buf = new char[8192];
        int lineStart = 0;
        boolean lineBlank = true;
        int n;
        while (sb.length() < PEEK_LIMIT && (n = in.read(buf, 0, Math.min(buf.length, PEEK_LIMIT - sb.length()))) >= 0) {
            int base = sb.length();
            sb.append(buf, 0, n);
            for (int i = 0; i < n; i++) {
                char c = buf[i];
                if (c == '\n' || c == '\r') {
                    if (!lineBlank) {
                        return new FirstLine(sb.toString(), sb.substring(lineStart, base + i));
                    }
                    lineStart = base + i + 1;
                } else if (lineBlank && !Chars.isSpace(c)) {
                    lineBlank = false;
                }
            }
        }
        return new FirstLine(sb.toString(), lineBlank ? null : sb.substring(lineStart));
    }

    /** A reader over {@link #buffered} followed by the rest of {@code rest}. */
    Reader replay(Reader rest) {
        return new Reader() {
            private int pos;

            @Override
            public int read(char[] cbuf, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (pos < buffered.length()) {
                    int n = Math.min(len, buffered.length() - pos);
                    buffered.getChars(pos, pos + n, cbuf, off);
                    pos += n;
                    return n;
                }
                return rest.read(cbuf, off, len);
            }

            @Override
            public void close() throws IOException {
                rest.close();
            }
        };
    }
}
