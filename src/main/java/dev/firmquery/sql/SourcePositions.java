package dev.firmquery.sql;

/** Turns character offsets into the {@code file:line:column} prefixes of error messages. */
final class SourcePositions {
    private SourcePositions() {
    }

    /** {@code line:column}, both 1-based; LF, CRLF and lone CR each end a line. */
    static String lineColumn(String text, int offset) {
        int line = 1;
        int column = 1;
        int stop = Math.min(offset, text.length());
        for (int i = 0; i < stop; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                column = 1;
            } else if (c == '\r') {
                boolean crlf = i + 1 < text.length() && text.charAt(i + 1) == '\n';
                if (!crlf) {
                    line++;
                    column = 1;
                }
            } else {
                column++;
            }
        }
        return line + ":" + column;
    }

    /** {@code label:line:column}. */
    static String at(String label, String text, int offset) {
        return label + ":" + lineColumn(text, offset);
    }
}
