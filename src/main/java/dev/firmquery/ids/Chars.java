package dev.firmquery.ids;

/**
 * Character classes and display helpers shared by the readers. Pure functions only.
 */
final class Chars {
    /**
     * Longest field or token kept in memory, in characters. Anything longer is not an ID (integer IDs
     * have at most 19 digits, text IDs at most {@link #MAX_TEXT_ID_LENGTH} characters), so readers keep
     * only the first {@code MAX_FIELD_CHARS + 1} characters: enough to know the value is too long,
     * without letting a multi-megabyte line grow the heap.
     */
    static final int MAX_FIELD_CHARS = 1024;

    /** Longest accepted text ID. */
    static final int MAX_TEXT_ID_LENGTH = 200;

    /** Longest value shown in an invalid example. */
    static final int MAX_DISPLAY_CHARS = 80;

    private Chars() {
    }

    /**
     * Whether {@code c} is blank: ASCII whitespace, Unicode space separators (no-break space, thin
     * space, ...) and the invisible characters spreadsheets and editors leave behind (BOM, zero-width
     * space, word joiner). The ASCII information separators 0x1C..0x1F are deliberately not blank.
     */
    static boolean isSpace(char c) {
        if (c < 0x80) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
        }
        return c == '\u0085' || c == '\uFEFF' || c == '\u200B' || c == '\u2060' || Character.isSpaceChar(c);
    }

    static boolean isBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isSpace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code s} without leading and trailing {@linkplain #isSpace blank} characters. */
    static String strip(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && isSpace(s.charAt(from))) {
            from++;
        }
        while (to > from && isSpace(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    /**
     * The value with surrounding blanks removed and one pair of matching surrounding single or double
     * quotes (and the blanks inside them) removed. An unbalanced quote is left in place.
     */
    static String unquote(String s) {
        String v = strip(s);
        if (v.length() >= 2) {
            char q = v.charAt(0);
            if ((q == '"' || q == '\'') && v.charAt(v.length() - 1) == q) {
                return strip(v.substring(1, v.length() - 1));
            }
        }
        return v;
    }

    /** Whether the stripped value starts or ends with a quote that has no partner. */
    static boolean hasUnbalancedQuote(String stripped) {
        if (stripped.isEmpty()) {
            return false;
        }
        char first = stripped.charAt(0);
        char last = stripped.charAt(stripped.length() - 1);
        boolean opens = first == '"' || first == '\'';
        boolean closes = last == '"' || last == '\'';
        if (opens && closes && stripped.length() >= 2) {
            return first != last;
        }
        return opens || closes;
    }

    /**
     * {@code raw} made safe to print: control, format and non-ASCII space characters escaped as
     * {@code \n}, {@code \t}, {@code \r} or {@code \}{@code uXXXX}, then shortened to at most
     * {@link #MAX_DISPLAY_CHARS} characters with a trailing "...".
     */
    static String display(String raw) {
        StringBuilder out = new StringBuilder(Math.min(raw.length(), MAX_DISPLAY_CHARS) + 8);
        int fitsWithEllipsis = 0;
        int i = 0;
        while (i < raw.length() && out.length() <= MAX_DISPLAY_CHARS) {
            char c = raw.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < raw.length() && Character.isLowSurrogate(raw.charAt(i + 1))) {
                out.append(c).append(raw.charAt(i + 1));
                i += 2;
            } else {
                out.append(escape(c));
                i++;
            }
            if (out.length() <= MAX_DISPLAY_CHARS - 3) {
                fitsWithEllipsis = out.length();
            }
        }
        if (i == raw.length() && out.length() <= MAX_DISPLAY_CHARS) {
            return out.toString();
        }
        out.setLength(fitsWithEllipsis);
        return out.append("...").toString();
    }

    /** One character as {@link #display} shows it. */
    static String escape(char c) {
        switch (c) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                break;
        }
        int type = Character.getType(c);
        boolean invisible = type == Character.CONTROL || type == Character.FORMAT
                || type == Character.UNASSIGNED || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || (type == Character.SPACE_SEPARATOR && c != ' ')
                || Character.isSurrogate(c);
        return invisible ? String.format("\\u%04X", (int) c) : String.valueOf(c);
    }
}
