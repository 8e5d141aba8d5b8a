package dev.firmquery.ids;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Chooses the ID column of a table-shaped input (CSV, TSV, an XLSX sheet) from its first non-blank
 * row, by the rule {@link IdLoadOptions#idColumn()} documents, so every table format finds its
 * column the same way and says so in the same words.
 *
 * <p>Besides {@value IdLoadOptions#DEFAULT_ID_COLUMN}, a header of exactly three columns
 * {@code NAME, chunk, error} is recognised as a failed-ID list this program wrote
 * ({@code <base>_failed.csv}): its first column holds the IDs whatever the query named it, so the list
 * loads back as an input without {@code --id-column}.
 */
final class ColumnChooser {
    private static final int MAX_HEADERS_LISTED = 20;

    /** The chosen column: 0-based index, its header as found (null without one), whether row 1 is that header. */
    record Column(int index, String name, boolean headerRow) {
    }

    private final IdCollector collector;
    private final IdLoadOptions options;
    private final List<String> warnings;

    ColumnChooser(IdCollector collector, IdLoadOptions options, List<String> warnings) {
        this.collector = collector;
        this.options = options;
        this.warnings = warnings;
    }

    /**
     * @param first    the raw fields of the first non-blank row
     * @param at       where that row is, for messages ({@code ids.csv:1}, {@code ids.xlsx, sheet 'IDs', row 2})
     * @param firstRow how messages name that row ({@code the first line}, {@code the first row})
     * @param layout   how messages describe the layout ({@code delimiter ','}, {@code sheet 'IDs'})
     */
    Column choose(List<String> first, String at, String firstRow, String layout) throws IdInputException {
        List<String> headers = new ArrayList<>(first.size());
        for (String field : first) {
            headers.add(Chars.unquote(field));
        }
        String wanted = options.idColumn() == null ? null : Chars.unquote(options.idColumn());
        if (wanted != null && wanted.isEmpty()) {
            wanted = null;
        }
        if (wanted == null) {
            int i = indexOfIgnoreCase(headers, IdLoadOptions.DEFAULT_ID_COLUMN);
            if (i >= 0) {
                return new Column(i, headers.get(i), true);
            }
            if (first.size() == 1) {
                boolean header = collector.isHeaderValue(first.get(0));
                if (header) {
                    warnings.add(String.format(Locale.ROOT, "%s: '%s' is taken as the header of the only column "
                            + "and skipped", at, Chars.display(headers.get(0))));
                }
                return new Column(0, header ? headers.get(0) : null, header);
            }
            if (isFailedList(headers)) {
                warnings.add(String.format(Locale.ROOT, "%s: read as a failed-ID list (columns '%s', chunk, error): "
                        + "the IDs are in column 1 '%s'; the chunk and error columns are ignored", at,
                        Chars.display(headers.get(0)), Chars.display(headers.get(0))));
                return new Column(0, headers.get(0), true);
            }
            throw new IdInputException(String.format(Locale.ROOT, "%s: no ID column: %s has no column "
                            + "named '%s'. Columns found (%d, %s): %s. Pass --id-column NAME|NUMBER (for "
                            + "example --id-column %s or --id-column 1), or rename the ID column's header to %s.",
                    at, firstRow, IdLoadOptions.DEFAULT_ID_COLUMN, headers.size(), layout,
                    list(headers), suggestion(headers), IdLoadOptions.DEFAULT_ID_COLUMN));
        }
        if (IdCollector.isAsciiDigits(wanted)) {
            long number = wanted.length() > 9 ? Long.MAX_VALUE : Long.parseLong(wanted);
            if (number < 1 || number > CsvGuardReader.MAX_COLUMNS) {
                throw new IdInputException(String.format(Locale.ROOT, "--id-column %s: a column number must be "
                        + "between 1 and %d.", wanted, CsvGuardReader.MAX_COLUMNS));
            }
            int index = (int) number - 1;
            if (index >= first.size()) {
                throw new IdInputException(String.format(Locale.ROOT, "%s: --id-column %s asks for column %s, but "
                                + "%s has only %d column%s (%s): %s. Pass a column number between "
                                + "1 and %d or a column name.", at, wanted, wanted, firstRow, first.size(),
                        first.size() == 1 ? "" : "s", layout, list(headers), first.size()));
            }
            boolean header = collector.isHeaderValue(first.get(index));
            return new Column(index, header ? headers.get(index) : null, header);
        }
        int i = indexOfIgnoreCase(headers, wanted);
        if (i >= 0) {
            return new Column(i, headers.get(i), true);
        }
        throw new IdInputException(String.format(Locale.ROOT, "%s: --id-column '%s': %s has no column "
                        + "of that name. Columns found (%d, %s): %s. Pass --id-column with one of these "
                        + "names or a 1-based column number.", at, Chars.display(wanted), firstRow, headers.size(),
                layout, list(headers)));
    }

    /** {@code NAME, chunk, error}: the header {@code export.IdListWriter.failed} writes. */
    private static boolean isFailedList(List<String> headers) {
        return headers.size() == 3 && !headers.get(0).isEmpty() && headers.get(1).equalsIgnoreCase("chunk")
                && headers.get(2).equalsIgnoreCase("error");
    }

    private static int indexOfIgnoreCase(List<String> headers, String name) {
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private static String suggestion(List<String> headers) {
        for (String h : headers) {
            if (!h.isEmpty() && h.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\'')) {
                return Chars.display(h);
            }
        }
        return "NAME";
    }

    private static String list(List<String> headers) {
        StringBuilder sb = new StringBuilder();
        int shown = Math.min(headers.size(), MAX_HEADERS_LISTED);
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('\'').append(Chars.display(headers.get(i))).append('\'');
        }
        if (headers.size() > shown) {
            sb.append(", ... and ").append(headers.size() - shown).append(" more");
        }
        return sb.toString();
    }
}
