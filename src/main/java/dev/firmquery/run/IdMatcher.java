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
 */
final class IdMatcher {
    private final int from;
    private final long[] sortedIds;
    private final int[] positions;
    private final Map<String, Integer> textPositions;

    IdMatcher(IdList ids, Chunk chunk) {
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
                textPositions.put(ids.textAt(from + i), i);
            }
        }
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
            Integer at = textPositions.get(value.toString());
            if (at != null) {
                found.set(at);
            }
        }
    }
}
