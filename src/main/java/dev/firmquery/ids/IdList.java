package dev.firmquery.ids;

import java.util.Arrays;
import java.util.Objects;

/**
 * The cleaned, distinct IDs of a run, in first-seen order as loaded ({@link #sorted()} orders them). Immutable.
 *
 * <p>Integer IDs live in one {@code long[]} so that 1,000,000 of them cost 8 MB, not the ~40 MB a
 * {@code List<Long>} would (docs/architecture.md: the IDs are what scales with the input).
 */
public final class IdList {
    private final IdType type;
    private final long[] longs;
    private final String[] texts;

    private IdList(IdType type, long[] longs, String[] texts) {
        this.type = type;
        this.longs = longs;
        this.texts = texts;
    }

    /** Wraps the array without copying; the caller must not modify it afterwards. */
    public static IdList ofLongs(long[] values) {
        return new IdList(IdType.INTEGER, Objects.requireNonNull(values), null);
    }

    /** Wraps the array without copying; the caller must not modify it afterwards. */
    public static IdList ofTexts(String[] values) {
        return new IdList(IdType.TEXT, null, Objects.requireNonNull(values));
    }

    public IdType type() {
        return type;
    }

    public int size() {
        return type == IdType.INTEGER ? longs.length : texts.length;
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** The integer ID at {@code index}; only for {@link IdType#INTEGER} lists. */
    public long longAt(int index) {
        if (longs == null) {
            throw new IllegalStateException("longAt on a TEXT id list");
        }
        return longs[index];
    }

    /** The text ID at {@code index}; only for {@link IdType#TEXT} lists. */
    public String textAt(int index) {
        if (texts == null) {
            throw new IllegalStateException("textAt on an INTEGER id list");
        }
        return texts[index];
    }

    /** The ID at {@code index} as it is written to CSV files and reports. */
    public String stringAt(int index) {
        return type == IdType.INTEGER ? Long.toString(longs[index]) : texts[index];
    }

    /**
     * The same IDs in ascending order (numeric for integers, {@link String#compareTo} for text): the
     * order in which {@code processing.id_order: sorted} plans chunks, so that each chunk reads a
     * narrow key range of the database's index (docs/performance.md).
     */
    public IdList sorted() {
        if (type == IdType.INTEGER) {
            long[] copy = longs.clone();
            Arrays.sort(copy);
            return ofLongs(copy);
        }
        String[] copy = texts.clone();
        Arrays.sort(copy);
        return ofTexts(copy);
    }

    /** A copy of the IDs in {@code [from, to)}; for {@link IdType#INTEGER} lists. */
    public long[] longRange(int from, int to) {
        return Arrays.copyOfRange(longs, from, to);
    }

    /** A copy of the IDs in {@code [from, to)}; for {@link IdType#TEXT} lists. */
    public String[] textRange(int from, int to) {
        return Arrays.copyOfRange(texts, from, to);
    }
}
