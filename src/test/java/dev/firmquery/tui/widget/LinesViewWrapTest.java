package dev.firmquery.tui.widget;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("LinesView wrapping")
class LinesViewWrapTest {

    @Test
    @DisplayName("a line breaks at the last blank that fits, continuation lines indented")
    void breaksAtBlanks() {
        assertEquals(List.of("Status   the run was", "  cancelled by you"),
                LinesView.wrapped(List.of("Status   the run was cancelled by you"), 20, 2));
    }

    @Test
    @DisplayName("a long path without blanks breaks after a slash, so each line ends on a whole folder name")
    void breaksLongPathsAfterASlash() {
        assertEquals(List.of("/tmp/junit-1234/out/", "  .firmquery/run-1/", "  run.properties"),
                LinesView.wrapped(List.of("/tmp/junit-1234/out/.firmquery/run-1/run.properties"), 20, 2));
    }

    @Test
    @DisplayName("a word with neither blank nor slash is cut at the edge")
    void cutsAWordWithNoBreak() {
        assertEquals(List.of("abcdefghijklmnopqrst", "  uvwxyz"),
                LinesView.wrapped(List.of("abcdefghijklmnopqrstuvwxyz"), 20, 2));
    }
}
