package dev.firmquery.ids;

import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.ExcelReaderException;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.ReadingOptions;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads {@link InputFormat#XLSX}: one sheet of a workbook (the first, or {@link IdLoadOptions#sheet()}),
 * row by row through FastExcel's streaming reader, after {@link XlsxGuard} has checked the file. The ID
 * column is chosen from the first non-blank row as for CSV ({@link ColumnChooser}).
 *
 * <p>A text cell is cleaned as text, exactly as a CSV field. A numeric cell must hold a whole number: the
 * cell's stored value is read, not its display (a cell showing {@code 1.2E+07} holds 12000000); 1.5 is
 * not an ID, and neither is a number above 2^53, which a numeric cell cannot hold exactly (Excel keeps
 * 15 significant digits, so a longer ID typed into a numeric cell has lost its last digits). A formula
 * cell counts with its result as the workbook last saved it. Rows missing from the sheet between two
 * rows count as blank lines, so a workbook and the same table saved as CSV give the same counts; a
 * value's "line" is its row number.
 */
final class XlsxIdReader {
    /** 2^53: above it a double, which is what a numeric cell holds, skips integers. */
    static final long MAX_EXACT_NUMBER = 1L << 53;
    private static final int MAX_FORMULA_CELLS_LISTED = 5;
    private static final Set<String> ERROR_VALUES = Set.of("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?",
            "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!",
            "#UNKNOWN!");

    private final IdCollector collector;
    private final IdLoadOptions options;
    private final String where;
    private long lastRow;
    private long formulaCells;
    private final List<String> formulaExamples = new ArrayList<>();
    private final List<String> sheetNames = new ArrayList<>();
    private String chosen;

    XlsxIdReader(IdCollector collector, IdLoadOptions options, String where) {
        this.collector = collector;
        this.options = options;
        this.where = where;
    }

    /** The workbook's sheet names in its order, at most {@link IdLoadResult#MAX_SHEETS_LISTED}; after {@link #run}. */
    List<String> sheetNames() {
        return List.copyOf(sheetNames);
    }

    /** The name of the sheet read, as the workbook spells it; after {@link #run}. */
    String sheet() {
        return chosen;
    }

    /** The sheet's last row number read: the "lines" of the input. */
    long rows() {
        return lastRow;
    }

    /**
     * Reads the IDs of the chosen sheet of {@code file}, which {@link XlsxGuard#check} has accepted.
     *
     * @return the ID column's header as found, or {@code null} if the sheet has none
     */
    String run(Path file, List<String> warnings) throws IOException, IdInputException {
        try (ReadableWorkbook workbook = new ReadableWorkbook(file.toFile(), new ReadingOptions(false, false))) {
            Sheet sheet = choose(workbook, warnings);
            chosen = sheet.getName();
            String inSheet = where + ", sheet '" + Chars.display(sheet.getName()) + "'";
            String column;
            try (Stream<Row> rows = sheet.openStream()) {
                column = read(rows.iterator(), inSheet, "sheet '" + Chars.display(sheet.getName()) + "'", warnings);
            } catch (RuntimeException e) {
                // FastExcel reports what it cannot parse unchecked: ExcelReaderException, the XML parser's
                // UncheckedStreamException, NumberFormatException for a cell whose value is not what its
                // type says (a shared-string index "x", a number "1,5"), IndexOutOfBounds for an index
                // past the shared strings. The guard has checked sizes and references, not values.
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new IdInputException(String.format(Locale.ROOT, "%s: cannot read the sheet after row %,d: %s. "
                        + "Save the workbook again in Excel, or export the ID column as CSV", inSheet, lastRow,
                        cause.getMessage()), e);
            }
            if (formulaCells > 0) {
                warnings.add(String.format(Locale.ROOT, "%s: %,d ID cell%s %s formula%s (%s%s); the result%s as "
                                + "the workbook was last saved %s used", inSheet, formulaCells,
                        formulaCells == 1 ? "" : "s", formulaCells == 1 ? "is a" : "are", formulaCells == 1 ? "" : "s",
                        String.join(", ", formulaExamples), formulaCells > formulaExamples.size() ? ", ..." : "",
                        formulaCells == 1 ? "" : "s", formulaCells == 1 ? "is" : "are"));
            }
            return column;
        } catch (ExcelReaderException | UncheckedIOException e) {
            throw new IdInputException(where + ": not a workbook this program can read (" + e.getMessage() + "). Save "
                    + "it again as \"Excel Workbook (.xlsx)\", or export the ID column as CSV", e);
        } catch (RuntimeException e) {
            // The workbook part itself did not parse (see the sheet's catch above for the kinds).
            throw new IdInputException(where + ": not a workbook this program can read (" + e + "). Save it again as "
                    + "\"Excel Workbook (.xlsx)\", or export the ID column as CSV", e);
        }
    }

    private Sheet choose(ReadableWorkbook workbook, List<String> warnings) throws IdInputException {
        List<Sheet> sheets = workbook.getSheets().toList();
        if (sheets.isEmpty()) {
            throw new IdInputException(where + ": the workbook has no sheets; save the IDs in a sheet, or as CSV");
        }
        sheets.stream().limit(IdLoadResult.MAX_SHEETS_LISTED).forEach(s -> sheetNames.add(s.getName()));
        String wanted = options.sheet();
        if (wanted == null || wanted.isEmpty()) {
            Sheet first = sheets.get(0);
            if (sheets.size() > 1) {
                warnings.add(String.format(Locale.ROOT, "%s: read the first sheet '%s' of %d (%s); another is read with "
                        + "firmquery run --sheet NAME, or in the UI with the Sheet button by the ID column", where, Chars.display(first.getName()), sheets.size(), names(sheets)));
            }
            return first;
        }
        // Excel treats sheet names case-insensitively: it refuses two that differ only by case.
        for (Sheet s : sheets) {
            if (s.getName().equalsIgnoreCase(wanted)) {
                return s;
            }
        }
        throw new IdInputException(String.format(Locale.ROOT, "%s: --sheet '%s': the workbook has no sheet of that "
                + "name. Sheets (%d): %s. Pass --sheet with one of these names (quote a name with blanks: "
                + "--sheet 'My IDs'), or in the UI choose one with the Sheet button by the ID column", where, Chars.display(wanted), sheets.size(), names(sheets)));
    }

    private static String names(List<Sheet> sheets) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sheets.size() && i < 20; i++) {
            sb.append(i > 0 ? ", " : "").append('\'').append(Chars.display(sheets.get(i).getName())).append('\'');
        }
        if (sheets.size() > 20) {
            sb.append(", ... and ").append(sheets.size() - 20).append(" more");
        }
        return sb.toString();
    }

    private String read(Iterator<Row> rows, String inSheet, String layout, List<String> warnings)
            throws IdInputException {
        ColumnChooser.Column column = null;
        while (rows.hasNext()) {
            Row row = rows.next();
            int number = row.getRowNum();
            for (long gap = lastRow + 1; gap < number; gap++) {
                collector.blank(); // rows absent from the sheet: blank lines, as in the same table saved as CSV
            }
            lastRow = Math.max(lastRow, number);
            if (column == null) {
                List<String> fields = headerFields(row);
                if (fields.stream().allMatch(Chars::isBlank)) {
                    collector.blank();
                    continue;
                }
                column = new ColumnChooser(collector, options, warnings).choose(fields, inSheet + ", row " + number,
                        "the first row", layout);
                if (column.headerRow()) {
                    continue;
                }
            }
            offer(row.getCellCount() > column.index() ? row.getCell(column.index()) : null, number);
        }
        return column == null ? null : column.name();
    }

    /** The first row's cells as text, for finding the ID column by its header. */
    private static List<String> headerFields(Row row) {
        List<String> fields = new ArrayList<>(row.getCellCount());
        for (int i = 0; i < row.getCellCount(); i++) {
            Cell cell = row.getCell(i);
            Object value = cell == null ? null : cell.getValue();
            if (value == null) {
                fields.add("");
            } else if (value instanceof BigDecimal n) {
                String whole = integerText(n);
                fields.add(whole != null ? whole : n.toPlainString());
            } else {
                fields.add(value.toString());
            }
        }
        return fields;
    }

    private void offer(Cell cell, long row) throws IdInputException {
        if (cell == null) {
            collector.blank();
            return;
        }
        String address = cell.getAddress().toString();
        switch (cell.getType()) {
            case EMPTY -> collector.blank();
            case STRING -> collector.offer(String.valueOf(cell.getValue()), row);
            case NUMBER -> offerNumber((BigDecimal) cell.getValue(), address, row, "holds");
            case BOOLEAN -> collector.invalid(row, cell.getRawValue(), "cell " + address + " holds "
                    + bool(cell.getValue()) + ", a yes/no value, not an ID; put the ID in the cell");
            case ERROR -> collector.invalid(row, cell.getRawValue(), "cell " + address + " holds the error "
                    + cell.getRawValue() + "; correct the formula or type the ID");
            case FORMULA -> offerFormula(cell, address, row);
        }
    }

    private void offerFormula(Cell cell, String address, long row) throws IdInputException {
        formulaCells++;
        if (formulaExamples.size() < MAX_FORMULA_CELLS_LISTED) {
            formulaExamples.add(address);
        }
        Object value = cell.getValue();
        if (value == null) {
            collector.invalid(row, "=" + cell.getFormula(), "cell " + address + " is a formula without a saved "
                    + "result (the program that wrote the workbook did not compute it); open and save the workbook "
                    + "in Excel, or paste the cells as values");
        } else if (value instanceof BigDecimal n) {
            offerNumber(n, address, row, "is a formula whose result is");
        } else if (value instanceof Boolean b) {
            collector.invalid(row, "=" + cell.getFormula(), "cell " + address + " is a formula whose result is "
                    + bool(b) + ", a yes/no value, not an ID");
        } else if (ERROR_VALUES.contains(value.toString())) {
            collector.invalid(row, value.toString(), "cell " + address + " is a formula whose result is the error "
                    + value + "; correct the formula or type the ID");
        } else {
            collector.offer(value.toString(), row);
        }
    }

    private void offerNumber(BigDecimal number, String address, long row, String holds) throws IdInputException {
        String text = integerText(number);
        String shown = number.stripTrailingZeros().toString();
        if (text == null) {
            collector.invalid(row, shown, "cell " + address + " " + holds + " the number " + shown
                    + ", not a whole number, and an ID is one; correct the cell, or remove its decimals");
        } else if (number.signum() > 0 && number.compareTo(BigDecimal.valueOf(MAX_EXACT_NUMBER)) > 0) {
            collector.invalid(row, text, "cell " + address + " " + holds + " the number " + shown + ", beyond 2^53 "
                    + "(9,007,199,254,740,992), the largest whole number a numeric cell holds exactly (Excel keeps 15 "
                    + "significant digits): the ID typed may have lost its last digits. Store long IDs as text: format "
                    + "the column as Text, then type or paste them again");
        } else {
            collector.offer(text, row);
        }
    }

    /** The number's digits if it is a whole number (1.2E+7 is 12000000), else null. */
    static String integerText(BigDecimal number) {
        BigDecimal stripped = number.stripTrailingZeros();
        if (stripped.scale() > 0) {
            return null;
        }
        if (stripped.precision() - stripped.scale() > 40) {
            return stripped.toString(); // 1E+400: not an ID, and too long to spell out
        }
        BigInteger whole = stripped.toBigIntegerExact();
        return whole.toString();
    }

    private static String bool(Object value) {
        return Boolean.TRUE.equals(value) ? "TRUE" : "FALSE";
    }
}
