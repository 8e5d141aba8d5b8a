package dev.firmquery.run;

import dev.firmquery.chunk.Chunk;
import dev.firmquery.ids.IdList;
import dev.firmquery.ids.IdType;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Marks which IDs of a chunk came back in the result, so that the missing IDs can be listed.
 * Integer chunks use a sorted copy and binary search (no boxing per row); text chunks a hash map.
 *
 * <p>Text IDs compare as the database compared them: exactly, except in a blank-padded
 * {@code CHAR(n)} column ({@code bpchar}), whose values come back padded with spaces to n and whose
 * comparisons ignore trailing spaces (PostgreSQL manual, "Character Types"; CockroachDB follows it).
 * There {@code 'F-1'} from the input is found in a row holding {@code 'F-1       '}.
 */
final class IdMatcher {
    private final int from;
    private final long[] sortedIds;
    private final int[] positions;
    private final Map<String, Object> textPositions;
    private final boolean blankPadded;

    /** A matcher for an ID column that is not blank-padded. */
    IdMatcher(IdList ids, Chunk chunk) {
        this(ids, chunk, false);
    }

    /**
     * @param blankPadded whether the result's ID column is {@code CHAR(n)}: text IDs then match with
     *                    trailing spaces ignored on both sides
     */
    IdMatcher(IdList ids, Chunk chunk, boolean blankPadded) {
        this.blankPadded = blankPadded && ids.type() == IdType.TEXT;
        this.from = chunk.from();
        int n = chunk.size();
        if (ids.type() == IdType.INTEGER) {
            long[] packed = new long[n];
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(ids.longAt(from + a), ids.longAt(from + b)));
            positions = new int[n];
            for (int i = 0; i < n; i++) {
                packed[i] = ids.longAt(from + order[i]);
                positions[i] = order[i];
            }
            sortedIds = packed;
            textPositions = null;
        } else {
            sortedIds = null;
            positions = null;
            textPositions = new HashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                String key = key(ids.textAt(from + i));
                // Distinct input IDs can be one value to a CHAR(n) column ('A' and 'A '): both are found by its row.
                textPositions.merge(key, i, (a, b) -> a instanceof int[] many ? append(many, (Integer) b)
                        : new int[] {(Integer) a, (Integer) b});
            }
        }
    }

    private String key(String id) {
        if (!blankPadded) {
            return id;
        }
        int end = id.length();
        while (end > 0 && id.charAt(end - 1) == ' ') {
            end--;
        }
        return end == id.length() ? id : id.substring(0, end);
    }

    private static int[] append(int[] a, int i) {
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = i;
        return b;
    }

    /**
     * Whether a column of this database type pads its values with blanks: {@code CHAR(n)}, which
     * pgjdbc reports as {@code bpchar} (PostgreSQL's {@code "char"}, one byte, is not padded).
     */
    static boolean isBlankPadded(String typeName) {
        return typeName != null && (typeName.equalsIgnoreCase("bpchar") || typeName.equalsIgnoreCase("character"));
    }

    /** Sets the bit of the chunk position whose ID equals {@code value}; ignores values not in the chunk. */
    void mark(Object value, BitSet found) {
        if (value == null) {
            return;
        }
        if (sortedIds != null) {
            long id;
            if (value instanceof Long l) {
                id = l;
            } else if (value instanceof BigDecimal d) {
                try {
                    id = d.longValueExact();
                } catch (ArithmeticException e) {
                    return;
                }
            } else {
                try {
                    id = Long.parseLong(value.toString().trim());
                } catch (NumberFormatException e) {
                    return;
                }
            }
            int at = Arrays.binarySearch(sortedIds, id);
            if (at >= 0) {
                found.set(positions[at]);
            }
        } else {
            Object at = textPositions.get(key(value.toString()));
            if (at instanceof Integer i) {
                found.set(i);
            } else if (at instanceof int[] many) {
                for (int i : many) {
                    found.set(i);
                }
            }
        }
    }
}
