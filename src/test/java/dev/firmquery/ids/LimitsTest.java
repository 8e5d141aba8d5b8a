package dev.firmquery.ids;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("max_input_ids and warning_threshold")
class LimitsTest {

    private static String ids(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i <= to; i++) {
            sb.append(i).append('\n');
        }
        return sb.toString();
    }

    @Test
    void exactlyTheLimitIsAccepted() throws Exception {
        IdLoadResult result = IdFixtures.integersWithLimits(5, 100).loadText(ids(1, 5));
        assertEquals(5, result.ids().size());
    }

    @Test
    void oneMoreThanTheLimitIsRefusedWithCountLimitAndKey() {
        IdInputException e = assertThrows(IdInputException.class,
                () -> IdFixtures.integersWithLimits(5, 100).loadText(ids(1, 6)));
        String m = e.getMessage();
        assertTrue(m.contains("more than 5 valid distinct IDs"), m);
        assertTrue(m.contains("the limit is 5 (application.max_input_ids)"), m);
        assertTrue(m.startsWith("<pasted text>:6:"), m);
    }

    @Test
    void duplicatesDoNotCountTowardsTheLimit() throws Exception {
        IdLoadResult result = IdFixtures.integersWithLimits(3, 100).loadText("1\n2\n3\n1\n2\n3\n003\n");
        assertEquals(3, result.ids().size());
        assertEquals(4, result.stats().duplicates());
    }

    @Test
    void invalidValuesDoNotCountTowardsTheLimit() throws Exception {
        IdLoadResult result = IdFixtures.integersWithLimits(2, 100).loadText("1\nx\ny\n2\n");
        assertEquals(2, result.ids().size());
    }

    @Test
    void aboveTheWarningThresholdWarns() throws Exception {
        IdLoadResult result = IdFixtures.integersWithLimits(10, 3).loadText(ids(1, 4));
        assertTrue(result.warnings().stream().anyMatch(w -> w.contains("4 valid IDs is more than the warning "
                + "threshold of 3 (application.warning_threshold)")), result.warnings().toString());
    }

    @Test
    void atTheWarningThresholdDoesNotWarn() throws Exception {
        IdLoadResult result = IdFixtures.integersWithLimits(10, 3).loadText(ids(1, 3));
        assertEquals(0, result.warnings().size(), result.warnings().toString());
    }

    @Test
    void noValidIdsIsAWarningNotAnError() throws Exception {
        IdLoadResult result = IdFixtures.integers().loadText("abc1\nx y\n");
        assertEquals(0, result.ids().size());
        assertTrue(result.warnings().stream().anyMatch(w -> w.contains("no valid IDs (3 values read, 3 invalid")),
                result.warnings().toString());
    }

    @Test
    void limitBelowOneIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> IdFixtures.integersWithLimits(0, 0));
    }
}
