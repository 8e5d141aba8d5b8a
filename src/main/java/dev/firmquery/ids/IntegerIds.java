package dev.firmquery.ids;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Parsing and explaining integer IDs ({@link IdType#INTEGER}).
 *
 * <p>{@link #parse} runs once per input value, so it works on a {@code char[]} slice and allocates
 * nothing. {@link #reason} runs only for the few invalid values that become examples, so it may use
 * strings and regular expressions freely.
 */
final class IntegerIds {
    /** {@link #parse} result: the value is empty (after removing blanks and quotes). */
    static final long BLANK = -1;
    /** {@link #parse} result: the value is not a valid integer ID. */
    static final long INVALID = -2;

    static final int MAX_DIGITS = 19;

    private static final Pattern EXPONENT = Pattern.compile("[+-]?\\d+(?:[.,]\\d*)?[eE][+-]?\\d+");
    private static final Pattern ZERO_FRACTION = Pattern.compile("\\d+[.,](?:0{1,2}|0{4,})");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?\\d*[.,]\\d+|[+-]?\\d+[.,]");
    private static final Pattern GROUPED = Pattern.compile("\\d{1,3}(?:([,.'\u2019_ \u00A0\u202F\u2009])\\d{3})(?:\\1\\d{3})*");
    private static final Pattern SEPARATED = Pattern.compile("\\d+(?:[,.;:|\t'\u2019_ \u00A0\u202F\u2009/-]+\\d+)+");
    private static final Pattern SQL = Pattern.compile(
            "(?is).*(?:;|--|/\\*|\\(|\\)|=|\\b(?:select|insert|update|delete|drop|union|or|and|from|where|table)\\b).*");

    private IntegerIds() {
    }

    /**
     * Parses {@code buf[off, off + len)}: optional surrounding blanks, optionally inside one pair of
     * matching single or double quotes, then ASCII digits only. Leading zeros are allowed and do not
     * count towards the 19-digit limit ({@code 007} is {@code 7}).
     *
     * @return the ID ({@code >= 0}), {@link #BLANK} or {@link #INVALID}
     */
    static long parse(char[] buf, int off, int len) {
        int from = off;
        int to = off + len;
        while (from < to && Chars.isSpace(buf[from])) {
            from++;
        }
        while (to > from && Chars.isSpace(buf[to - 1])) {
            to--;
        }
        if (from == to) {
            return BLANK;
        }
        char q = buf[from];
        if (q == '"' || q == '\'') {
            if (to - from < 2 || buf[to - 1] != q) {
                return INVALID;
            }
            from++;
            to--;
            while (from < to && Chars.isSpace(buf[from])) {
                from++;
            }
            while (to > from && Chars.isSpace(buf[to - 1])) {
                to--;
            }
            if (from == to) {
                return BLANK;
            }
        }
        boolean sawZero = false;
        while (from < to && buf[from] == '0') {
            from++;
            sawZero = true;
        }
        int digits = to - from;
        if (digits == 0) {
            return sawZero ? 0 : INVALID;
        }
        if (digits > MAX_DIGITS) {
            return INVALID;
        }
        long value = 0;
        int safeEnd = digits == MAX_DIGITS ? to - 1 : to;
        for (int i = from; i < safeEnd; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                return INVALID;
            }
            value = value * 10 + d;
        }
        if (safeEnd != to) {
            // 19 digits: the last one may overflow Long.MAX_VALUE (9223372036854775807).
            int d = buf[to - 1] - '0';
            if (d < 0 || d > 9 || value > (Long.MAX_VALUE - d) / 10) {
                return INVALID;
            }
            value = value * 10 + d;
        }
        return value;
    }

    /** {@link #parse} on a string; for the rare places that hold one (headers, tests). */
    static long parse(String value) {
        char[] chars = value.toCharArray();
        return parse(chars, 0, chars.length);
    }

    /**
     * Why {@code raw} is not a valid integer ID, and how to fix it; for values {@link #parse} rejected.
     *
     * @param raw       the value as read (possibly cut short by the reader)
     * @param truncated whether the reader cut the value short because it was too long
     */
    static String reason(String raw, boolean truncated) {
        if (truncated) {
            return "value too long (more than " + Chars.MAX_FIELD_CHARS + " characters); an integer ID has at most "
                    + MAX_DIGITS + " digits";
        }
        String stripped = Chars.strip(raw);
        if (Chars.hasUnbalancedQuote(stripped)) {
            return "unbalanced quote; write the ID as digits, optionally inside a matching pair of quotes";
        }
        String v = Chars.unquote(raw);
        if (EXPONENT.matcher(v).matches()) {
            return "looks like a number in scientific notation (" + Chars.display(v) + "): a spreadsheet reformatted "
                    + "the ID column as a number and may have rounded the IDs; format the column as Text and "
                    + "export the original IDs again";
        }
        if (v.startsWith("-") && v.length() > 1 && allAsciiDigits(v.substring(1))) {
            return "negative number; an ID is digits only, without a sign";
        }
        if (v.startsWith("+") && v.length() > 1 && allAsciiDigits(v.substring(1))) {
            return "has a '+' sign; an ID is digits only, without a sign";
        }
        if (ZERO_FRACTION.matcher(v).matches()) {
            return "has a decimal part (" + Chars.display(v) + "): a spreadsheet or export reformatted the ID as a "
                    + "decimal number; remove the decimal part or format the column as Text (or as a number with "
                    + "0 decimals)";
        }
        if (GROUPED.matcher(v).matches()) {
            return "contains thousands separators; write the ID as digits only, without separators";
        }
        if (DECIMAL.matcher(v).matches()) {
            return "is a decimal number; an ID is a whole number, digits only";
        }
        if (SEPARATED.matcher(v).matches()) {
            return "contains separators between digits; write one ID per value, digits only";
        }
        if (allAsciiDigits(v)) {
            String significant = v.replaceFirst("^0+", "");
            if (significant.length() > MAX_DIGITS) {
                return "too long: " + significant.length() + " digits; an integer ID has at most " + MAX_DIGITS
                        + " digits (at most " + Long.MAX_VALUE + ")";
            }
            return "too large: greater than " + Long.MAX_VALUE + ", the largest integer ID";
        }
        if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return "contains a line break: a quote was closed only on a later line, so several lines were read as "
                    + "one value; check the quotes";
        }
        if (v.length() > 64) {
            return "value too long (" + v.length() + " characters); an integer ID has at most " + MAX_DIGITS
                    + " digits";
        }
        int bad = firstNonDigit(v);
        char c = v.charAt(bad);
        if (Character.isDigit(c)) {
            return String.format(Locale.ROOT, "contains the non-ASCII digit '%s' (U+%04X) at position %d; use the "
                    + "digits 0-9", Chars.escape(c), (int) c, bad + 1);
        }
        if (SQL.matcher(v).matches()) {
            return "contains SQL or punctuation ('" + Chars.escape(c) + "' at position " + (bad + 1)
                    + "); an integer ID is digits only";
        }
        return "contains '" + Chars.escape(c) + "' at position " + (bad + 1) + "; an integer ID is digits only (0-9)";
    }

    private static boolean allAsciiDigits(String s) {
        return !s.isEmpty() && firstNonDigit(s) == s.length();
    }

    private static int firstNonDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return i;
            }
        }
        return s.length();
    }
}
