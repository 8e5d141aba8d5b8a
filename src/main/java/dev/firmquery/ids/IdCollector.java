package dev.firmquery.ids;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates, counts and de-duplicates the values the format readers find, keeping first-seen order.
 *
 * <p>Integer IDs go into a {@link LongHashSet} and a growable {@code long[]}: no object per value. The
 * collector stops the load as soon as the count exceeds {@link IdLoadOptions#maxIds()}, so memory is
 * bounded by the limit, not by the input.
 */
final class IdCollector {
    /**
     * A header word: letters, underscores and a little punctuation, but no digits, so that a mistyped
     * first ID ({@code 12a4}, {@code AB-123x}) is reported invalid rather than taken for a header.
     */
    private static final Pattern HEADER_WORD = Pattern.compile("[\\p{L}_][\\p{L}_ .#()/-]*");

    private final IdType type;
    private final Pattern textPattern;
    private final int maxIds;
    private final String where;
    private final String configuredColumnName;

    private final LongHashSet longSet;
    private long[] longs;
    private final Set<String> textSet;
    private final List<String> texts;
    private int size;

    private long values;
    private long duplicates;
    private long invalid;
    private long blank;
    private final List<InvalidValue> examples = new ArrayList<>();
    private char[] scratch = new char[64];

    IdCollector(IdLoadOptions options, String where) {
        this.type = options.type();
        this.textPattern = options.textPattern();
        this.maxIds = options.maxIds();
        this.where = where;
        String column = options.idColumn();
        this.configuredColumnName = column == null || isAsciiDigits(column.strip()) ? null : Chars.unquote(column);
        if (type == IdType.INTEGER) {
            longSet = new LongHashSet(1024);
            longs = new long[1024];
            textSet = null;
            texts = null;
        } else {
            longSet = null;
            textSet = new HashSet<>();
            texts = new ArrayList<>();
        }
    }

    /**
     * Offers one raw value found at {@code line}.
     *
     * @param totalLength the value's length before the reader cut it to {@code len} characters
     */
    void offer(char[] buf, int off, int len, long totalLength, long line) throws IdInputException {
        boolean truncated = totalLength > Chars.MAX_FIELD_CHARS;
        if (type == IdType.INTEGER && !truncated) {
            long id = IntegerIds.parse(buf, off, len);
            if (id >= 0) {
                acceptLong(id, line);
            } else if (id == IntegerIds.BLANK) {
                blank++;
            } else {
                rejected(line, new String(buf, off, len), false);
            }
            return;
        }
        offerText(new String(buf, off, len), truncated, line);
    }

    /** Offers one raw value that the reader already holds as a string (a CSV field). */
    void offer(String raw, long line) throws IdInputException {
        boolean truncated = raw.length() > Chars.MAX_FIELD_CHARS;
        if (type == IdType.INTEGER && !truncated) {
            int len = raw.length();
            if (scratch.length < len) {
                scratch = new char[Math.max(len, scratch.length * 2)];
            }
            raw.getChars(0, len, scratch, 0);
            offer(scratch, 0, len, len, line);
            return;
        }
        offerText(raw, truncated, line);
    }

    private void offerText(String raw, boolean truncated, long line) throws IdInputException {
        if (truncated) {
            rejected(line, raw, true);
            return;
        }
        if (type == IdType.INTEGER) {
            throw new IllegalStateException("integer values are parsed from characters");
        }
        String v = Chars.unquote(raw);
        if (v.isEmpty()) {
            blank++;
        } else if (v.length() <= Chars.MAX_TEXT_ID_LENGTH && !Chars.hasUnbalancedQuote(Chars.strip(raw))
                && textPattern.matcher(v).matches()) {
            acceptText(v, line);
        } else {
            rejected(line, raw, false);
        }
    }

    /** A value that is not an ID for a reason the reader knows (a row too short, ...). */
    void invalid(long line, String raw, String reason) {
        values++;
        invalid++;
        if (examples.size() < IdLoadResult.MAX_INVALID_EXAMPLES) {
            examples.add(new InvalidValue(line, Chars.display(raw), reason));
        }
    }

    void blank() {
        blank++;
    }

    /** Whether {@code raw} is a valid ID, without counting it. */
    boolean isValid(String raw) {
        if (raw.length() > Chars.MAX_FIELD_CHARS) {
            return false;
        }
        if (type == IdType.INTEGER) {
            return IntegerIds.parse(raw) >= 0;
        }
        String v = Chars.unquote(raw);
        return !v.isEmpty() && v.length() <= Chars.MAX_TEXT_ID_LENGTH && !Chars.hasUnbalancedQuote(Chars.strip(raw))
                && textPattern.matcher(v).matches();
    }

    /**
     * Whether the first value of an input is a column header rather than data: not a valid ID, or
     * spelled like a well-known ID column name (which text ID patterns may happen to accept).
     */
    boolean isHeaderValue(String raw) {
        String v = Chars.unquote(raw);
        return !isValid(raw) || isKnownColumnName(v);
    }

    /** Whether the unquoted value reads like a column name: see {@link #HEADER_WORD}. */
    static boolean isHeaderWord(String v) {
        return HEADER_WORD.matcher(v).matches();
    }

    boolean isKnownColumnName(String v) {
        return v.equalsIgnoreCase(IdLoadOptions.DEFAULT_ID_COLUMN) || v.equalsIgnoreCase("id")
                || configuredColumnName != null && v.equalsIgnoreCase(configuredColumnName);
    }

    private void acceptLong(long id, long line) throws IdInputException {
        values++;
        if (!longSet.add(id)) {
            duplicates++;
            return;
        }
        if (size == longs.length) {
            longs = Arrays.copyOf(longs, longs.length + (longs.length >> 1));
        }
        longs[size++] = id;
        checkLimit(line);
    }

    private void acceptText(String id, long line) throws IdInputException {
        values++;
        if (!textSet.add(id)) {
            duplicates++;
            return;
        }
        texts.add(id);
        size++;
        checkLimit(line);
    }

    private void checkLimit(long line) throws IdInputException {
        if (size > maxIds) {
            throw new IdInputException(String.format(Locale.ROOT, "%s:%d: the input has more than %,d valid distinct "
                            + "IDs (reading stopped here); the limit is %,d (application.max_input_ids). Split the "
                            + "input into several runs of at most %,d IDs, or raise application.max_input_ids "
                            + "(e.g. --set application.max_input_ids=%d).",
                    where, line, maxIds, maxIds, maxIds, Math.max((long) maxIds * 2, 1)));
        }
    }

    private void rejected(long line, String raw, boolean truncated) {
        values++;
        invalid++;
        if (examples.size() < IdLoadResult.MAX_INVALID_EXAMPLES) {
            String reason = type == IdType.INTEGER ? IntegerIds.reason(raw, truncated) : textReason(raw, truncated);
            examples.add(new InvalidValue(line, Chars.display(raw), reason));
        }
    }

    private String textReason(String raw, boolean truncated) {
        String v = Chars.unquote(raw);
        if (truncated || v.length() > Chars.MAX_TEXT_ID_LENGTH) {
            return "value too long (" + (truncated ? "more than " + Chars.MAX_FIELD_CHARS : v.length())
                    + " characters); a text ID has at most " + Chars.MAX_TEXT_ID_LENGTH + " characters";
        }
        if (Chars.hasUnbalancedQuote(Chars.strip(raw))) {
            return "unbalanced quote; write the ID without quotes or inside a matching pair of quotes";
        }
        return "does not match processing.id_pattern " + textPattern.pattern()
                + "; check the value or the pattern";
    }

    int size() {
        return size;
    }

    IdList ids() {
        if (type == IdType.INTEGER) {
            return IdList.ofLongs(Arrays.copyOf(longs, size));
        }
        return IdList.ofTexts(texts.toArray(new String[0]));
    }

    IdStats stats(long lines) {
        return new IdStats(lines, values, size, duplicates, invalid, blank);
    }

    long values() {
        return values;
    }

    long invalidCount() {
        return invalid;
    }

    long blankCount() {
        return blank;
    }

    List<InvalidValue> examples() {
        return examples;
    }

    static boolean isAsciiDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
