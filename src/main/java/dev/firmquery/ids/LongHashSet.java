package dev.firmquery.ids;

/**
 * A set of primitive {@code long}s: open addressing with linear probing in one {@code long[]}.
 *
 * <p>Exists so that de-duplicating 1,000,000 integer IDs costs about 16 MB instead of the ~60 MB of a
 * {@code HashSet<Long>} (a boxed {@code Long} plus a hash node per element). Not thread-safe.
 */
final class LongHashSet {
    /** 0 marks an empty slot, so the value 0 itself is tracked by {@link #containsZero}. */
    private static final long EMPTY = 0L;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final int MIN_CAPACITY = 16;
    private static final int MAX_CAPACITY = 1 << 30;

    private long[] table;
    private int shift;
    private int mask;
    private int resizeAt;
    private int size;
    private boolean containsZero;

    /** An empty set sized for {@code expected} elements before its first resize. */
    LongHashSet(int expected) {
        int capacity = MIN_CAPACITY;
        while (capacity < MAX_CAPACITY && capacity / 2 < expected) {
            capacity <<= 1;
        }
        allocate(capacity);
    }

    LongHashSet() {
        this(MIN_CAPACITY / 2);
    }

    /** Adds {@code value}; returns {@code false} if it was already present. */
    boolean add(long value) {
        if (value == EMPTY) {
            if (containsZero) {
                return false;
            }
            containsZero = true;
            size++;
            return true;
        }
        long[] t = table;
        int i = slot(value);
        while (true) {
            long current = t[i];
            if (current == EMPTY) {
                t[i] = value;
                if (++size > resizeAt) {
                    grow();
                }
                return true;
            }
            if (current == value) {
                return false;
            }
            i = (i + 1) & mask;
        }
    }

    boolean contains(long value) {
        if (value == EMPTY) {
            return containsZero;
        }
        long[] t = table;
        int i = slot(value);
        while (true) {
            long current = t[i];
            if (current == EMPTY) {
                return false;
            }
            if (current == value) {
                return true;
            }
            i = (i + 1) & mask;
        }
    }

    int size() {
        return size;
    }

    /** Slots in the table; for tests of the memory bound. */
    int capacity() {
        return table.length;
    }

    /** Fibonacci hashing: the high bits of the product spread sequential IDs evenly. */
    private int slot(long value) {
        return (int) ((value * GOLDEN) >>> shift);
    }

    private void allocate(int capacity) {
        table = new long[capacity];
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
        // Load factor 1/2 keeps linear probe sequences short.
        resizeAt = capacity / 2;
    }

    private void grow() {
        if (table.length >= MAX_CAPACITY) {
            throw new IllegalStateException("LongHashSet cannot hold more than " + resizeAt + " values");
        }
        long[] old = table;
        allocate(old.length << 1);
        for (long value : old) {
            if (value != EMPTY) {
                int i = slot(value);
                while (table[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                table[i] = value;
            }
        }
    }
}
