package dev.firmquery.chunk;

/**
 * A contiguous slice {@code [from, to)} of the run's {@link dev.firmquery.ids.IdList}.
 *
 * @param number 1-based position in the plan; what users see ("chunk 12/4000")
 * @param from   first index, inclusive
 * @param to     last index, exclusive
 */
public record Chunk(int number, int from, int to) {
    public Chunk {
        if (number < 1 || from < 0 || to <= from) {
            throw new IllegalArgumentException("bad chunk " + number + " [" + from + ", " + to + ")");
        }
    }

    public int size() {
        return to - from;
    }
}
