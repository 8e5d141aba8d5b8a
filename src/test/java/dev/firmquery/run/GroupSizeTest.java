package dev.firmquery.run;

import dev.firmquery.chunk.Chunk;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How many chunks a worker sends in one round trip, and for how long it sends them alone after a group fell back. */
@DisplayName("Chunks per round trip, group by group")
class GroupSizeTest {

    private static final long QUICK = TimeUnit.MILLISECONDS.toNanos(3); // per chunk: 5 ms round trip, 8 chunks

    /** Sends groups as {@code size} says, {@code groups} times; each sends what next() said, 3 ms a chunk. */
    private static void send(GroupSize size, int groups) {
        for (int i = 0; i < groups; i++) {
            int n = size.next();
            size.sent(n, n * QUICK);
        }
    }

    /** A worker whose first chunk (alone: nothing measured yet) took 3 ms. */
    private static GroupSize warm(int most) {
        GroupSize size = new GroupSize(most);
        assertEquals(1, size.next());
        size.sent(1, QUICK);
        return size;
    }

    @Test
    @DisplayName("a worker sends the most a group holds while its groups come back whole")
    void groupsStayFullWhileTheyComeBackWhole() {
        GroupSize size = warm(8);
        assertEquals(8, size.next());
        send(size, 1_000);
        assertEquals(8, size.next());
    }

    @Test
    @DisplayName("after a group fell back, the next 64 chunks go alone, then groups again")
    void aFallBackSendsTheNext64ChunksAlone() {
        GroupSize size = warm(8);
        size.sent(8, 8 * QUICK);
        size.fellBack();
        send(size, 63);
        assertEquals(1, size.next());
        send(size, 1);
        assertEquals(8, size.next());
    }

    @Test
    @DisplayName("each fall-back doubles the stretch of chunks sent alone, up to 8192")
    void eachFallBackDoublesTheStretch() {
        GroupSize size = warm(4);
        // Stretches after the 1st, 2nd, ... fall-back: 64, 128, 256, ..., 8192, 8192.
        List<Integer> expected = List.of(64, 128, 256, 512, 1_024, 2_048, 4_096, 8_192, 8_192);
        for (int stretch : expected) {
            size.sent(size.next(), 4 * QUICK);
            size.fellBack();
            int alone = 0;
            while (size.next() == 1) {
                size.sent(1, QUICK);
                alone++;
            }
            assertEquals(stretch, alone);
        }
    }

    @Test
    @DisplayName("a worker's first chunk goes alone: there is no time per chunk to go by yet")
    void theFirstChunkGoesAlone() {
        assertEquals(1, new GroupSize(8).next());
    }

    @Test
    @DisplayName("a group holds as many chunks as fit 0.5 s at the time the last round trip took per chunk")
    void aGroupHoldsWhatFitsTheTimeBudget() {
        GroupSize size = warm(8);
        // ms per chunk of the last round trip -> chunks in the next: 500 / ms, at least 1, at most 8.
        long[][] table = {{3, 8}, {62, 8}, {63, 7}, {100, 5}, {250, 2}, {400, 1}, {5_000, 1}, {1, 8}};
        for (long[] row : table) {
            size.sent(2, 2 * TimeUnit.MILLISECONDS.toNanos(row[0]));
            assertEquals(row[1], size.next(), row[0] + " ms a chunk");
        }
    }

    @Test
    @DisplayName("the time of a chunk sent alone counts as much as a group's")
    void aChunkAloneSetsTheTimeToo() {
        GroupSize size = warm(8);
        size.sent(1, TimeUnit.MILLISECONDS.toNanos(400));
        assertEquals(1, size.next());
        size.sent(1, TimeUnit.MILLISECONDS.toNanos(2));
        assertEquals(8, size.next());
    }

    @Test
    @DisplayName("a group of one is every chunk alone, and nothing else is a group")
    void aGroupOfOneIsEveryChunkAlone() {
        GroupSize size = warm(1);
        assertEquals(1, size.next());
        size.fellBack();
        assertEquals(1, size.next());
        assertThrows(IllegalArgumentException.class, () -> new GroupSize(0));
    }

    @Test
    @DisplayName("a group's label names its chunks as ranges, for a timeout's message")
    void aGroupsLabelNamesItsChunksAsRanges() {
        List<Chunk> group = List.of(new Chunk(12, 0, 1), new Chunk(14, 1, 2), new Chunk(15, 2, 3),
                new Chunk(16, 3, 4), new Chunk(19, 4, 5));
        assertEquals("chunks 12, 14-16, 19/4000", GroupFetch.label(group, 4_000));
        assertEquals("chunks 7/9", GroupFetch.label(List.of(new Chunk(7, 0, 3)), 9));
    }
}
