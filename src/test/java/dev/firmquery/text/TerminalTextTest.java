package dev.firmquery.text;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** What reaches a terminal from text firmquery did not write itself. */
class TerminalTextTest {
    @Test
    void escapeSequencesAndLineBreaksCannotReachTheTerminal() {
        assertEquals("ERROR: x?[2J?]0;owned??firmquery: completed",
                TerminalText.printable("ERROR: x\u001b[2J\u001b]0;owned\u0007\nfirmquery: completed"));
    }

    @Test
    void aTabBecomesABlankAndC1ControlsAndDeleteAreReplaced() {
        assertEquals("a b?c?d", TerminalText.printable("a\tb\u007fc\u009bd"));
    }

    @Test
    void cleanTextIsReturnedAsIsAndNullIsEmpty() {
        String clean = "relation \"firms\" does not exist (42P01) é 😀";
        assertSame(clean, TerminalText.printable(clean));
        assertEquals("", TerminalText.printable(null));
    }
}
