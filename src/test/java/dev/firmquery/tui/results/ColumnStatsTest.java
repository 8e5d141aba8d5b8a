package dev.firmquery.tui.results;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One column's statistics for the result browser. */
class ColumnStatsTest {
    private static ColumnStats of(String name, String... values) {
        ColumnStats s = new ColumnStats(name);
        for (String v : values) {
            s.add(v);
        }
        return s;
    }

    @Test
    @DisplayName("numbers are compared as numbers; empty values are counted apart and left out of the rest")
    void numbers() {
        List<String> l = of("amount", "9", "10", "", "10", "-2.5").lines();
        assertEquals("Rows      5, non-empty 4, empty 1", l.get(1));
        assertEquals("Distinct  3", l.get(2));
        assertEquals("Min       -2.5 (as numbers)", l.get(3));
        assertEquals("Max       10", l.get(4));
        assertEquals("             2   50.0%  10", l.get(6));
    }

    @Test
    @DisplayName("one value that is not a number makes min and max text")
    void text() {
        List<String> l = of("name", "b", "10", "a").lines();
        assertEquals("Min       10", l.get(3));
        assertEquals("Max       b", l.get(4));
    }

    @Test
    @DisplayName("past 100,000 distinct values the count says it stopped")
    void boundedMemory() {
        ColumnStats s = new ColumnStats("id");
        for (int i = 0; i < ColumnStats.MAX_TRACKED + 10; i++) {
            s.add(Integer.toString(i));
        }
        assertTrue(s.lines().get(2).contains("more than 100,000 (counting stops there)"), s.lines().toString());
    }
}
