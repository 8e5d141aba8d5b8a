package dev.firmquery.ids;

import java.io.IOException;
import java.io.Reader;
import java.util.List;

/**
 * Reads {@link InputFormat#TEXT}: values separated by any blank characters, commas or semicolons.
 *
 * <p>Quotes are not structure here: a token is cut at separators first, then the collector removes
 * matching surrounding quotes. A blank line (or an empty quoted value such as {@code ""}) counts as a
 * blank value. If the first non-blank line is a single word without digits that is not an ID
 * ({@code firm_root_id}, {@code id}, ...), it is a header: skipped, reported in the warnings, and not
 * counted as invalid.
 */
final class TextTokenizer {
    private final IdCollector collector;
    private final String where;

    private final char[] token = new char[Chars.MAX_FIELD_CHARS + 1];
    private int tokenLength;
    private long tokenTotal;
    private long tokenLine;

    private long line = 1;
    private boolean lineHasToken;
    private boolean lineHasChars;

    private boolean firstTokenSeen;
    private String pendingHeader;
    private long pendingHeaderLine;
    private String header;

    TextTokenizer(IdCollector collector, String where) {
        this.collector = collector;
        this.where = where;
    }

    /**
     * Reads everything from {@code in}.
     *
     * @return the header word that was skipped, or {@code null}
     */
    String run(Reader in, List<String> warnings) throws IOException, IdInputException {
        char[] buf = new char[16 * 1024];
        boolean lastWasCr = false;
        int n;
        while ((n = in.read(buf, 0, buf.length)) >= 0) {
            for (int i = 0; i < n; i++) {
                char c = buf[i];
                if (c > ' ' && c < 0x80 && c != ',' && c != ';') {
                    append(c);
                    lastWasCr = false;
                } else if (c == '\n') {
                    if (!lastWasCr) {
                        endLine();
                    }
                    lastWasCr = false;
                } else if (c == '\r') {
                    endLine();
                    lastWasCr = true;
                } else {
                    lastWasCr = false;
                    if (c == ',' || c == ';' || Chars.isSpace(c)) {
                        endToken();
                        lineHasChars = true;
                    } else {
                        append(c);
                    }
                }
            }
        }
        endToken();
        if (lineHasChars && !lineHasToken) {
            collector.blank();
        }
        if (pendingHeader != null) {
            confirmHeader();
        }
        if (header != null) {
            warnings.add(where + ":" + pendingHeaderLine + ": '" + Chars.display(header)
                    + "' is a header, not an ID; skipped");
        }
        return header == null ? null : Chars.unquote(header);
    }

    private void append(char c) {
        if (tokenTotal == 0) {
            tokenLine = line;
        }
        if (tokenLength < token.length) {
            token[tokenLength++] = c;
        }
        tokenTotal++;
        lineHasChars = true;
    }

    private void endLine() throws IdInputException {
        endToken();
        if (!lineHasToken) {
            collector.blank();
        }
        line++;
        lineHasToken = false;
        lineHasChars = false;
    }

    private void endToken() throws IdInputException {
        if (tokenTotal == 0) {
            return;
        }
        lineHasToken = true;
        if (!firstTokenSeen) {
            firstTokenSeen = true;
            String first = new String(token, 0, tokenLength);
            if (tokenTotal <= Chars.MAX_FIELD_CHARS && looksLikeHeader(first)) {
                // Only a header if it is alone on its line: decided by the next token.
                pendingHeader = first;
                pendingHeaderLine = tokenLine;
                resetToken();
                return;
            }
        } else if (pendingHeader != null) {
            if (tokenLine == pendingHeaderLine) {
                String value = pendingHeader;
                pendingHeader = null;
                collector.offer(value, pendingHeaderLine);
            } else {
                confirmHeader();
            }
        }
        collector.offer(token, 0, tokenLength, tokenTotal, tokenLine);
        resetToken();
    }

    private void confirmHeader() {
        header = pendingHeader;
        pendingHeader = null;
    }

    private boolean looksLikeHeader(String value) {
        String v = Chars.unquote(value);
        return collector.isKnownColumnName(v) || !collector.isValid(value) && IdCollector.isHeaderWord(v);
    }

    private void resetToken() {
        tokenLength = 0;
        tokenTotal = 0;
    }
}
