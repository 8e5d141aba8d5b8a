package dev.firmquery.export;

/**
 * The XLSX cells whose text was cut to Excel's limit of {@value XlsxResultWriter#CELL_TEXT_LIMIT}
 * characters: how many, and where the first one is, so that a reader can find it and take the full
 * value from the CSV.
 *
 * @param count       cells cut (0: none)
 * @param sheet       the sheet of the first cut cell, e.g. {@code Results (2)}; null when none
 * @param row         its 1-based row number as Excel shows it (the header is row 1); 0 when none
 * @param column      its 1-based column number; 0 when none
 * @param columnLabel the result column's name; null when none
 */
public record CellCuts(long count, String sheet, int row, int column, String columnLabel) {

    /** No cell was cut. */
    public static final CellCuts NONE = new CellCuts(0, null, 0, 0, null);

    public CellCuts {
        if (count < 0 || (count > 0 && (sheet == null || row < 1 || column < 1))) {
            throw new IllegalArgumentException("cut cells need a count >= 0 and, when > 0, the first cell");
        }
    }

    /** One more cut cell; the first location stays. */
    CellCuts plus(String sheet, int row, int column, String columnLabel) {
        return count == 0 ? new CellCuts(1, sheet, row, column, columnLabel)
                : new CellCuts(count + 1, this.sheet, this.row, this.column, this.columnLabel);
    }

    /** The first cut cell as Excel names it, with the column's name: {@code 'Results'!C12 (notes)}. */
    public String firstCell() {
        if (count == 0) {
            return null;
        }
        return "'" + sheet + "'!" + columnLetters(column) + row + " (" + columnLabel + ")";
    }

    /** Excel's column letters: 1 → A, 27 → AA. */
    static String columnLetters(int column) {
        StringBuilder b = new StringBuilder();
        for (int c = column; c > 0; c = (c - 1) / 26) {
            b.append((char) ('A' + (c - 1) % 26));
        }
        return b.reverse().toString();
    }
}
