package dev.firmquery.ids;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Reads {@link InputFormat#CSV} and {@link InputFormat#TSV}: RFC 4180 records (Commons CSV) with the
 * delimiter decided once, up front, from the first non-blank line; the ID column chosen from the first
 * non-blank record (see {@link IdLoadOptions#idColumn()}).
 */
final class CsvIdReader {
    /**
     * The "delimiter" of a file whose first line has none: every line is one field. NUL can stand in for
     * "none" because {@link Utf8InputReader} refuses input containing it.
     */
    static final char NO_DELIMITER = '\0';

    /** Candidate CSV delimiters, in order of preference when the first line has as many of each. */
    static final char[] CSV_DELIMITERS = {',', ';', '\t', '|'};
    static final char[] TSV_DELIMITERS = {'\t'};

    private final IdCollector collector;
    private final IdLoadOptions options;
    private final String where;

    CsvIdReader(IdCollector collector, IdLoadOptions options, String where) {
        this.collector = collector;
        this.options = options;
        this.where = where;
    }

    /**
     * The candidate that occurs most often outside double quotes in {@code firstLine} (ties go to the
     * earlier candidate), or {@link #NO_DELIMITER} if none occurs.
     */
    static char chooseDelimiter(String firstLine, char[] candidates) {
        if (firstLine == null) {
            return NO_DELIMITER;
        }
        int[] counts = new int[candidates.length];
        boolean quoted = false;
        for (int i = 0; i < firstLine.length(); i++) {
            char c = firstLine.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted) {
                for (int k = 0; k < candidates.length; k++) {
                    if (c == candidates[k]) {
                        counts[k]++;
                    }
                }
            }
        }
        char best = NO_DELIMITER;
        int bestCount = 0;
        for (int k = 0; k < candidates.length; k++) {
            if (counts[k] > bestCount) {
                best = candidates[k];
                bestCount = counts[k];
            }
        }
        return best;
    }

    /** Splits one line the way the parser would (RFC 4180 quotes); for format detection only. */
    static List<String> splitLine(String line, char delimiter) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0) {
                quoted = true;
            } else if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    /** How messages name a delimiter. */
    static String describe(char delimiter) {
        switch (delimiter) {
            case NO_DELIMITER:
                return "none (one column)";
            case '\t':
                return "tab";
            case ';':
                return "';' (semicolon)";
            default:
                return "'" + delimiter + "'";
        }
    }

    /**
     * Reads all records from {@code in}.
     *
     * @return the ID column's header as found, or {@code null} if the input has no header
     */
    String run(Reader in, char delimiter, List<String> warnings) throws IOException, IdInputException {
        CsvGuardReader guard = new CsvGuardReader(in, delimiter, Chars.MAX_FIELD_CHARS);
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setDelimiter(delimiter)
                .setQuote('"')
                .setEscape((Character) null)
                .setCommentMarker((Character) null)
                .setIgnoreEmptyLines(false)
                .setIgnoreSurroundingSpaces(false)
                .setTrim(false)
                .setTrailingData(true)
                .setLenientEof(true)
                .get();
        ColumnChooser.Column column = null;
        try (CSVParser parser = format.parse(guard)) {
            Iterator<CSVRecord> records = parser.iterator();
            while (records.hasNext()) {
                CSVRecord record = records.next();
                long line = guard.nextRecordLine();
                if (column == null) {
                    if (isBlank(record)) {
                        collector.blank();
                        continue;
                    }
                    List<String> fields = new ArrayList<>(record.size());
                    record.forEach(fields::add);
                    column = new ColumnChooser(collector, options, warnings).choose(fields,
                            where + ":" + line, "the first line", "delimiter " + describe(delimiter));
                    if (column.headerRow()) {
                        continue;
                    }
                }
                int index = column.index();
                if (record.size() > index && guard.hasBrokenQuote(index)) {
                    collector.invalid(line, record.get(index), "broken quoting: text after the closing quote, or a "
                            + "quote that is never closed; quote the whole value (\"123\") or not at all");
                } else if (record.size() > index) {
                    collector.offer(record.get(index), line);
                } else if (isBlank(record)) {
                    collector.blank();
                } else {
                    collector.invalid(line, join(record, delimiter), String.format(Locale.ROOT, "row has %d "
                                    + "column%s, but the ID column%s is column %d; the row is cut short, or it uses a "
                                    + "different delimiter than the first line (%s), which sets it for the whole file",
                            record.size(), record.size() == 1 ? "" : "s",
                            column.name() == null ? "" : " '" + Chars.display(column.name()) + "'",
                            index + 1, describe(delimiter)));
                }
            }
        }
        return column == null ? null : column.name();
    }

    private static boolean isBlank(CSVRecord record) {
        for (String field : record) {
            if (!Chars.isBlank(field)) {
                return false;
            }
        }
        return true;
    }

    private static String join(CSVRecord record, char delimiter) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < record.size() && sb.length() <= Chars.MAX_DISPLAY_CHARS; i++) {
            if (i > 0) {
                sb.append(delimiter == NO_DELIMITER ? ',' : delimiter);
            }
            sb.append(record.get(i));
        }
        return sb.toString();
    }
}
