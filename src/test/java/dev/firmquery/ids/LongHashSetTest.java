package dev.firmquery.ids;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LongHashSetTest {

    @Test
    void addReturnsTrueOnlyTheFirstTime() {
        LongHashSet set = new LongHashSet();
        assertTrue(set.add(42));
        assertFalse(set.add(42));
        assertEquals(1, set.size());
    }

    @Test
    void zeroIsAnOrdinaryMember() {
        LongHashSet set = new LongHashSet();
        assertFalse(set.contains(0));
        assertTrue(set.add(0));
        assertFalse(set.add(0));
        assertTrue(set.contains(0));
        assertEquals(1, set.size());
    }

    @Test
    void extremeValuesAreMembers() {
        LongHashSet set = new LongHashSet();
        assertTrue(set.add(Long.MAX_VALUE));
        assertTrue(set.add(Long.MIN_VALUE));
        assertTrue(set.add(-1));
        assertTrue(set.contains(Long.MAX_VALUE) && set.contains(Long.MIN_VALUE) && set.contains(-1));
        assertFalse(set.contains(1));
    }

    @Test
    void growingKeepsEveryMember() {
        LongHashSet set = new LongHashSet(4);
        for (long i = 1; i <= 100_000; i++) {
            set.add(i * 1_000_003L);
        }
        assertEquals(100_000, set.size());
        for (long i = 1; i <= 100_000; i++) {
            assertTrue(set.contains(i * 1_000_003L));
        }
        assertFalse(set.contains(7));
    }

    @Test
    void agreesWithHashSetOnARandomMix() {
        Random random = new Random(20261122L);
        LongHashSet set = new LongHashSet();
        Set<Long> expected = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            // A small range forces many duplicates; the occasional huge value exercises the hash spread.
            long v = random.nextInt(10) == 0 ? random.nextLong() : random.nextInt(50_000);
            assertEquals(expected.add(v), set.add(v), "add(" + v + ")");
        }
        assertEquals(expected.size(), set.size());
        for (int i = 0; i < 10_000; i++) {
            long probe = random.nextInt(100_000);
            assertEquals(expected.contains(probe), set.contains(probe));
        }
    }

    @Test
    void aMillionIdsFitInTwoMillionSlots() {
        LongHashSet set = new LongHashSet();
        for (long i = 0; i < 1_000_001; i++) {
            set.add(10_000_000_000L + i * 7);
        }
        // 2^21 slots of 8 bytes: 16 MiB for the whole set.
        assertEquals(1 << 21, set.capacity());
    }
}
