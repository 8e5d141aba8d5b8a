package dev.firmquery.run;

import dev.firmquery.chunk.Chunk;
import dev.firmquery.ids.IdList;
import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which IDs of a chunk a result row accounts for: as the database compared them. */
class IdMatcherTest {
    private static final IdList TEXT = IdList.ofTexts(new String[] {"F-1", "F-2", "F-3"});
    private static final Chunk ALL = new Chunk(1, 0, 3);

    @Test
    void aBlankPaddedCharValueFindsItsIdWithTheTrailingSpacesIgnored() {
        BitSet found = new BitSet();
        IdMatcher m = new IdMatcher(TEXT, ALL, true);
        m.mark("F-1       ", found);
        m.mark("F-3", found);
        assertEquals(bits(0, 2), found);
    }

    @Test
    void inATextColumnTrailingSpacesAreSignificantAsTheyAreToTheDatabase() {
        BitSet found = new BitSet();
        IdMatcher m = new IdMatcher(TEXT, ALL, false);
        m.mark("F-1 ", found);
        m.mark(" F-2", found);
        m.mark("F-3", found);
        assertEquals(bits(2), found);
    }

    @Test
    void leadingSpacesAreSignificantEvenInACharColumn() {
        BitSet found = new BitSet();
        new IdMatcher(TEXT, ALL, true).mark(" F-1", found);
        assertTrue(found.isEmpty());
    }

    @Test
    void inputIdsThatACharColumnCannotTellApartAreAllFoundByItsRow() {
        IdList ids = IdList.ofTexts(new String[] {"A", "A  ", "B"});
        BitSet found = new BitSet();
        new IdMatcher(ids, new Chunk(1, 0, 3), true).mark("A    ", found);
        assertEquals(bits(0, 1), found);
    }

    @Test
    void onlyBpcharIsBlankPadded() {
        assertTrue(IdMatcher.isBlankPadded("bpchar"));
        assertTrue(IdMatcher.isBlankPadded("BPCHAR"));
        assertFalse(IdMatcher.isBlankPadded("varchar"));
        assertFalse(IdMatcher.isBlankPadded("text"));
        assertFalse(IdMatcher.isBlankPadded("char"), "PostgreSQL's one-byte \"char\" is not padded");
        assertFalse(IdMatcher.isBlankPadded(null));
    }

    @Test
    void integerIdsIgnoreThePaddingFlag() {
        BitSet found = new BitSet();
        new IdMatcher(IdList.ofLongs(new long[] {5, 7}), new Chunk(1, 0, 2), true).mark(7L, found);
        assertEquals(bits(1), found);
    }

    private static BitSet bits(int... set) {
        BitSet b = new BitSet();
        for (int i : set) {
            b.set(i);
        }
        return b;
    }
}
