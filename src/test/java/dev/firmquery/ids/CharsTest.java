package dev.firmquery.ids;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CharsTest {

    @Test
    void shortValueIsShownAsIs() {
        assertEquals("abc 123", Chars.display("abc 123"));
    }

    @Test
    void eightyCharactersAreShownInFull() {
        String s = "x".repeat(80);
        assertEquals(s, Chars.display(s));
    }

    @Test
    void longValueIsCutToEightyCharactersWithEllipsis() {
        String shown = Chars.display("y".repeat(81));
        assertEquals(80, shown.length());
        assertTrue(shown.endsWith("..."));
    }

    @Test
    void controlCharactersAreEscaped() {
        assertEquals("a\\nb\\tc\\rd\\u0001e", Chars.display("a\nb\tc\rd\u0001e"));
    }

    @Test
    void invisibleCharactersAreEscaped() {
        assertEquals("1\\u00A02\\uFEFF", Chars.display("1\u00A02\uFEFF"));
    }

    @Test
    void escapesCountTowardsTheLimit() {
        String shown = Chars.display("\u0001".repeat(30));
        assertTrue(shown.length() <= 80);
        assertTrue(shown.endsWith("..."));
        assertFalse(shown.contains("\u0001"));
    }

    @Test
    void surrogatePairIsNotSplit() {
        String shown = Chars.display("a".repeat(76) + "\uD83D\uDE00" + "b".repeat(10));
        assertEquals("a".repeat(76) + "...", shown);
    }

    @Test
    void unquoteRemovesOneMatchingPairAndBlanks() {
        assertEquals("firm_root_id", Chars.unquote(" \uFEFF\"firm_root_id\" "));
        assertEquals("'x", Chars.unquote("'x"));
    }

    @Test
    void noBreakSpaceIsBlank() {
        assertTrue(Chars.isSpace('\u00A0'));
        assertFalse(Chars.isSpace('x'));
    }
}
