package dev.firmquery.ids;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Integer ID parsing and reasons")
class IntegerIdsTest {

    private static String reason(String raw) {
        assertEquals(IntegerIds.INVALID, IntegerIds.parse(raw), "precondition: '" + raw + "' is invalid");
        return IntegerIds.reason(raw, false);
    }

    @Test
    void plainDigitsAreTheirValue() {
        assertEquals(12345L, IntegerIds.parse("12345"));
    }

    @Test
    void zeroIsAValidId() {
        assertEquals(0L, IntegerIds.parse("0"));
    }

    @Test
    void leadingZerosNormalise() {
        assertEquals(7L, IntegerIds.parse("007"));
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertEquals(42L, IntegerIds.parse(" \t42 \u00A0"));
    }

    @Test
    void doubleQuotesAreRemoved() {
        assertEquals(42L, IntegerIds.parse("\"42\""));
    }

    @Test
    void singleQuotesAreRemoved() {
        assertEquals(42L, IntegerIds.parse("'42'"));
    }

    @Test
    void whitespaceInsideQuotesIsIgnored() {
        assertEquals(42L, IntegerIds.parse(" \" 42 \" "));
    }

    @Test
    void emptyQuotesAreBlank() {
        assertEquals(IntegerIds.BLANK, IntegerIds.parse("\"\""));
    }

    @Test
    void whitespaceOnlyIsBlank() {
        assertEquals(IntegerIds.BLANK, IntegerIds.parse("  \t "));
    }

    @Test
    void nineteenDigitsAreAccepted() {
        assertEquals(1234567890123456789L, IntegerIds.parse("1234567890123456789"));
    }

    @Test
    void longMaxValueIsAccepted() {
        assertEquals(Long.MAX_VALUE, IntegerIds.parse("9223372036854775807"));
    }

    @Test
    void longMaxValuePlusOneIsTooLarge() {
        assertTrue(reason("9223372036854775808").startsWith("too large"));
    }

    @Test
    void twentyDigitsAreTooLong() {
        assertTrue(reason("12345678901234567890").startsWith("too long: 20 digits"));
    }

    @Test
    void twentyCharactersWithALeadingZeroAreNineteenDigits() {
        assertEquals(1234567890123456789L, IntegerIds.parse("01234567890123456789"));
    }

    @Test
    void spreadsheetExponentGetsTheSpreadsheetHint() {
        String reason = reason("1.2E+07");
        assertTrue(reason.contains("spreadsheet") && reason.contains("Text"), reason);
    }

    @Test
    void roundedSpreadsheetExponentGetsTheSpreadsheetHint() {
        assertTrue(reason("1.23457E+11").contains("scientific notation"));
    }

    @Test
    void zeroDecimalPartGetsTheDecimalHint() {
        String reason = reason("12.0");
        assertTrue(reason.startsWith("has a decimal part") && reason.contains("format the column as Text"), reason);
    }

    @Test
    void realDecimalIsNotAWholeNumber() {
        assertTrue(reason("12.5").startsWith("is a decimal number"));
    }

    @Test
    void negativeNumberIsRejected() {
        assertTrue(reason("-5").startsWith("negative number"));
    }

    @Test
    void plusSignIsRejected() {
        assertTrue(reason("+5").startsWith("has a '+' sign"));
    }

    @Test
    void thousandsSeparatorsAreRejected() {
        assertTrue(reason("1,234,567").startsWith("contains thousands separators"));
    }

    @Test
    void valuesJoinedBySemicolonAreSeparators() {
        assertTrue(reason("5;6").startsWith("contains separators between digits"));
    }

    @Test
    void sqlFragmentIsRejectedWithAClearReason() {
        String reason = reason("1); DROP TABLE firm; --");
        assertEquals("contains SQL or punctuation (')' at position 2); an integer ID is digits only", reason);
    }

    @Test
    void letterIsNamedWithItsPosition() {
        assertEquals("contains 'x' at position 3; an integer ID is digits only (0-9)", reason("12x4"));
    }

    @Test
    void nonAsciiDigitIsNamed() {
        assertTrue(reason("12\u0663").startsWith("contains the non-ASCII digit"));
    }

    @Test
    void controlCharacterIsEscapedInTheReason() {
        assertTrue(reason("12\u0001").contains("\\u0001"));
    }

    @Test
    void unbalancedQuoteIsRejected() {
        assertTrue(reason("\"123").startsWith("unbalanced quote"));
    }

    @Test
    void mismatchedQuotesAreRejected() {
        assertTrue(reason("\"123'").startsWith("unbalanced quote"));
    }

    @Test
    void truncatedValueIsTooLong() {
        assertTrue(IntegerIds.reason("1".repeat(50), true).startsWith("value too long (more than"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-0", "1e5", "0x1F", "1_000", "١٢٣", "12 34", "∞", "NaN", "1.", ".5"})
    void everyNonDigitFormIsInvalid(String raw) {
        assertEquals(IntegerIds.INVALID, IntegerIds.parse(raw));
        assertTrue(!IntegerIds.reason(raw, false).isBlank());
    }

    @Test
    void parseOfASliceIgnoresTheRestOfTheArray() {
        char[] buf = "xx123yy".toCharArray();
        assertEquals(123L, IntegerIds.parse(buf, 2, 3));
    }
}
