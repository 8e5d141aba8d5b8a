package dev.firmquery.export;

/**
 * {@code output.csv_formula_guard}: keeps a spreadsheet from running CSV text as a formula (OWASP,
 * "CSV Injection"). A cell whose text starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab
 * or a carriage return gets a single quote ({@code '}) in front, as OWASP recommends, so that Excel,
 * LibreOffice and Google Sheets show it as text. Applied to text cells only: the numbers, dates and
 * booleans firmquery renders itself cannot hold a formula, and a quoted {@code -5} would no longer be
 * a number. Quoting for CSV (RFC 4180) happens afterwards, as for any value.
 */
public final class FormulaGuard {
    /** What OWASP's recommendation puts in front of a dangerous cell. */
    public static final char PREFIX = '\'';

    private FormulaGuard() {
    }

    /** Whether a spreadsheet could take {@code text} for a formula (or a DDE call). */
    public static boolean isDangerous(CharSequence text) {
        if (text == null || text.length() == 0) {
            return false;
        }
        return isDangerousStart(text.charAt(0));
    }

    /** Whether a text starting with {@code c} {@link #isDangerous is dangerous}. */
    static boolean isDangerousStart(int c) {
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }

    /** {@code text}, with {@value #PREFIX} in front if it {@link #isDangerous is dangerous}; null stays null. */
    public static String neutralise(String text) {
        return isDangerous(text) ? PREFIX + text : text;
    }
}
