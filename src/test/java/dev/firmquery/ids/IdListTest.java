package dev.firmquery.ids;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** {@link IdList#sorted()}: the order in which {@code processing.id_order: sorted} cuts the chunks. */
@DisplayName("ID list order")
class IdListTest {

    private static long[] longs(IdList list) {
        long[] values = new long[list.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = list.longAt(i);
        }
        return values;
    }

    private static List<String> texts(IdList list) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            values.add(list.textAt(i));
        }
        return values;
    }

    @Test
    void integerIdsSortNumericallyNotAsText() {
        IdList ids = IdList.ofLongs(new long[] {10, 9, 100, 2, 11});

        assertArrayEquals(new long[] {2, 9, 10, 11, 100}, longs(ids.sorted()));
    }

    @Test
    void negativeAndExtremeIntegerIdsSortNumerically() {
        IdList ids = IdList.ofLongs(new long[] {0, Long.MAX_VALUE, -1, Long.MIN_VALUE, 1});

        assertArrayEquals(new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE}, longs(ids.sorted()));
    }

    @Test
    void textIdsSortByCharacterCode() {
        IdList ids = IdList.ofTexts(new String[] {"b", "B", "a10", "a9", "A-1", "ä"});

        IdList sorted = ids.sorted();

        assertEquals(List.of("A-1", "B", "a10", "a9", "b", "ä"), texts(sorted));
        assertEquals(IdType.TEXT, sorted.type());
    }

    @Test
    void sortingLeavesTheOriginalListInItsInputOrder() {
        long[] input = {30, 10, 20};
        IdList ids = IdList.ofLongs(input);
        IdList texts = IdList.ofTexts(new String[] {"z", "x", "y"});

        ids.sorted();
        texts.sorted();

        assertArrayEquals(new long[] {30, 10, 20}, longs(ids));
        assertArrayEquals(new long[] {30, 10, 20}, input, "the wrapped array is not sorted in place");
        assertEquals(List.of("z", "x", "y"), texts(texts));
    }

    @Test
    void seededRandomIntegerIdsComeOutAscendingWithTheSameMembers() {
        Random random = new Random(42);
        long[] input = random.longs(10_000).distinct().toArray();
        IdList ids = IdList.ofLongs(input.clone());

        long[] sorted = longs(ids.sorted());

        long[] expected = input.clone();
        Arrays.sort(expected);
        assertArrayEquals(expected, sorted);
        assertEquals(IdType.INTEGER, ids.sorted().type());
    }

    @Test
    void anEmptyListSortsToAnEmptyList() {
        assertEquals(0, IdList.ofLongs(new long[0]).sorted().size());
        assertEquals(0, IdList.ofTexts(new String[0]).sorted().size());
    }

    @Test
    void aLoadResultWithOtherIdsKeepsEverythingElse() {
        IdLoadResult loaded = new IdLoadResult(IdList.ofLongs(new long[] {3, 1, 2}), new IdStats(4, 4, 3, 1, 0, 0),
                List.of(new InvalidValue(4, "x", "not a number")), List.of("near the limit"), "/data/ids.csv",
                "ab".repeat(32), "firm_root_id");
        IdList sorted = loaded.ids().sorted();

        IdLoadResult reordered = loaded.withIds(sorted);

        assertSame(sorted, reordered.ids());
        assertEquals(new IdLoadResult(sorted, loaded.stats(), loaded.invalidExamples(), loaded.warnings(),
                loaded.source(), loaded.sha256(), loaded.columnName()), reordered);
        assertArrayEquals(new long[] {3, 1, 2}, longs(loaded.ids()));
    }
}
