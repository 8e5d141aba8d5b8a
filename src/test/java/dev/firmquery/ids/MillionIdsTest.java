package dev.firmquery.ids;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.firmquery.ids.IdFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The production size: 1,000,000 IDs, the shipped application.max_input_ids. Counts only, no timing. */
@DisplayName("1,000,000 IDs")
class MillionIdsTest {
    private static final int MILLION = 1_000_000;
    private static final long BASE = 10_000_000_000L;

    @TempDir
    Path dir;

    private static long id(int i) {
        return BASE + i * 7L;
    }

    @Test
    void millionDistinctIdsWithDuplicatesAndInvalidValuesAreCountedExactly() throws Exception {
        StringBuilder sb = new StringBuilder(13 * MILLION);
        sb.append("firm_root_id\n");
        for (int i = 0; i < MILLION; i++) {
            sb.append(id(i)).append('\n');
            if (i % 1000 == 0) {
                sb.append(id(i / 2)).append('\n');
            }
            if (i % 100_000 == 0) {
                sb.append("1.0E+10\n");
            }
        }
        IdLoadResult result = IdFixtures.integers().load(write(dir, "ids.txt", sb.toString()));

        IdStats s = result.stats();
        assertEquals(MILLION, s.valid());
        assertEquals(1000, s.duplicates());
        assertEquals(10, s.invalid());
        assertEquals(MILLION + 1000 + 10, s.values());
        assertEquals(1 + MILLION + 1000 + 10, s.lines());
        assertEquals(MILLION, result.ids().size());
        assertEquals(id(0), result.ids().longAt(0));
        assertEquals(id(MILLION / 2), result.ids().longAt(MILLION / 2));
        assertEquals(id(MILLION - 1), result.ids().longAt(MILLION - 1));
        assertTrue(result.warnings().stream().anyMatch(w -> w.contains("application.warning_threshold")));
    }

    @Test
    void millionIdsInACsvAreCountedExactly() throws Exception {
        StringBuilder sb = new StringBuilder(16 * MILLION);
        sb.append("firm_root_id;name\r\n");
        for (int i = 0; i < MILLION; i++) {
            sb.append(id(i)).append(";n\r\n");
        }
        IdLoadResult result = IdFixtures.integers().load(write(dir, "ids.csv", sb.toString()));
        assertEquals(new IdStats(MILLION + 1, MILLION, MILLION, 0, 0, 0), result.stats());
        assertEquals(id(MILLION - 1), result.ids().longAt(MILLION - 1));
    }

    @Test
    void oneIdMoreThanAMillionIsRefused() {
        StringBuilder sb = new StringBuilder(12 * (MILLION + 1));
        for (int i = 0; i <= MILLION; i++) {
            sb.append(id(i)).append('\n');
        }
        Path file = write(dir, "ids.txt", sb.toString());
        IdInputException e = assertThrows(IdInputException.class, () -> IdFixtures.integers().load(file));
        assertTrue(e.getMessage().contains("more than 1,000,000 valid distinct IDs"), e.getMessage());
        assertTrue(e.getMessage().contains(":1000001:"), e.getMessage());
    }
}
