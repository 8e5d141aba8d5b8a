package dev.firmquery.ids;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import static dev.firmquery.ids.IdFixtures.longs;
import static dev.firmquery.ids.IdFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Random mixes of valid, duplicate, invalid and blank values in random layouts, checked against a model
 * computed independently while generating the input (a {@link LinkedHashSet} and plain counters).
 */
@DisplayName("Random inputs against an independent model")
class IdLoaderPropertyTest {
    private static final String[] EOLS = {"\n", "\r\n", "\r"};
    private static final char[] CSV_DELIMITERS = {',', ';', '\t', '|'};
    /** Invalid values that contain no TEXT separator and always contain a digit (so never read as a header). */
    private static final String[] INVALID = {
            "-5", "+7", "1.2E+07", "1.23457E+11", "12.0", "12.5", "12a", "abc9", "9223372036854775808",
            "12345678901234567890", "0x1F", "1)", "--1", "\u0661\u0662", "7'", "'12a'", "1/2",
    };
    /** Invalid values that need CSV quoting or contain blanks: one field in CSV, several tokens in TEXT. */
    private static final String[] INVALID_CSV_ONLY = {
            "1,234", "1); DROP TABLE firm; --", "1 2", "5;6", "12 |3", "9\t9",
    };
    private static final String[] OTHER_FIELDS = {
            "acme", "", "Acme, Inc.", "say \"hi\"", "two\nlines", "a\r\nb", "x;y|z", "tab\there", "  padded  ",
    };
    private static final String[] HEADER_SPELLINGS = {"firm_root_id", "FIRM_ROOT_ID", " firm_root_id ", "Firm_Root_Id"};

    @TempDir
    Path dir;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 60);
    }

    /** The expected outcome, built alongside the input. */
    private static final class Model {
        final StringBuilder text = new StringBuilder();
        final LinkedHashSet<Long> distinct = new LinkedHashSet<>();
        final List<Long> seen = new ArrayList<>();
        final List<Long> exampleLines = new ArrayList<>();
        final List<String> exampleValues = new ArrayList<>();
        long values;
        long duplicates;
        long invalid;
        long blank;
        String columnName;

        void valid(long id) {
            values++;
            seen.add(id);
            if (!distinct.add(id)) {
                duplicates++;
            }
        }

        void invalid(long line, String shown) {
            values++;
            invalid++;
            if (exampleLines.size() < IdLoadResult.MAX_INVALID_EXAMPLES) {
                exampleLines.add(line);
                exampleValues.add(shown);
            }
        }

        /** Lines as a reader counts them: LF, CRLF and lone CR each end one; a last unterminated line counts. */
        long lines() {
            long count = 0;
            boolean open = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\r' || c == '\n' && (i == 0 || text.charAt(i - 1) != '\r')) {
                    count++;
                    open = false;
                } else if (c != '\n' && !(i == 0 && c == '\uFEFF')) {
                    open = true;
                }
            }
            return count + (open ? 1 : 0);
        }

        long currentLine() {
            Model probe = new Model();
            probe.text.append(text).append('x');
            return probe.lines();
        }
    }

    private enum Kind { NEW, DUPLICATE, INVALID, BLANK }

    private static Kind kind(Random r) {
        int p = r.nextInt(100);
        return p < 45 ? Kind.NEW : p < 65 ? Kind.DUPLICATE : p < 85 ? Kind.INVALID : Kind.BLANK;
    }

    private static long newId(Random r) {
        switch (r.nextInt(6)) {
            case 0:
                return r.nextInt(1000);
            case 1:
                return Long.MAX_VALUE - r.nextInt(3);
            case 2:
                return r.nextInt(3);
            default:
                return r.nextLong() & Long.MAX_VALUE;
        }
    }

    /** A valid rendering of {@code id}: maybe leading zeros, maybe quoted; never containing a TEXT separator. */
    private static String render(Random r, long id) {
        String s = Long.toString(id);
        if (r.nextInt(5) == 0) {
            s = "0".repeat(1 + r.nextInt(3)) + s;
        }
        switch (r.nextInt(8)) {
            case 0:
                return "\"" + s + "\"";
            case 1:
                return "'" + s + "'";
            default:
                return s;
        }
    }

    private static long pickId(Random r, Model m, Kind kind) {
        return kind == Kind.DUPLICATE && !m.seen.isEmpty() ? m.seen.get(r.nextInt(m.seen.size())) : newId(r);
    }

    private Model text(Random r) {
        Model m = new Model();
        String eol = EOLS[r.nextInt(EOLS.length)];
        if (r.nextBoolean()) {
            m.text.append('\uFEFF');
        }
        if (r.nextInt(3) == 0) {
            m.text.append("firm_root_id").append(eol);
            m.columnName = "firm_root_id";
        }
        String[] separators = {" ", ",", ";", "\t", ", ", " ; ", "\u00A0"};
        int n = r.nextInt(250);
        boolean lineHasToken = false;
        for (int i = 0; i < n; i++) {
            Kind kind = kind(r);
            if (kind == Kind.BLANK) {
                if (r.nextBoolean() || m.columnName == null && m.values == 0) {
                    if (lineHasToken) {
                        m.text.append(eol);
                        lineHasToken = false;
                    }
                    m.text.append(r.nextBoolean() ? "" : " \t").append(eol);
                } else {
                    if (lineHasToken) {
                        m.text.append(separators[r.nextInt(separators.length)]);
                    }
                    m.text.append(r.nextBoolean() ? "\"\"" : "''");
                    lineHasToken = true;
                }
                m.blank++;
                continue;
            }
            if (lineHasToken) {
                m.text.append(separators[r.nextInt(separators.length)]);
            }
            long line = m.currentLine();
            if (kind == Kind.INVALID) {
                String bad = INVALID[r.nextInt(INVALID.length)];
                m.text.append(bad);
                m.invalid(line, bad);
            } else {
                long id = pickId(r, m, kind);
                m.text.append(render(r, id));
                m.valid(id);
            }
            lineHasToken = true;
            if (r.nextInt(3) > 0) {
                m.text.append(eol);
                lineHasToken = false;
            }
        }
        if (lineHasToken && r.nextBoolean()) {
            m.text.append(eol);
        }
        return m;
    }

    private static String csvField(Random r, String value, char delimiter) {
        boolean needsQuotes = value.indexOf(delimiter) >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0;
        if (needsQuotes || r.nextInt(6) == 0) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }

    /**
     * @param delimiter the delimiter, or 0 for a one-column file
     */
    private Model csv(Random r, char delimiter, boolean forceHeader) {
        Model m = new Model();
        String eol = EOLS[r.nextInt(EOLS.length)];
        int columns = delimiter == 0 ? 1 : 2 + r.nextInt(3);
        int idColumn = r.nextInt(columns);
        String sep = delimiter == 0 ? "" : String.valueOf(delimiter);
        if (r.nextBoolean()) {
            m.text.append('\uFEFF');
        }
        for (int i = r.nextInt(3); i > 0; i--) {
            m.text.append(eol);
            m.blank++;
        }
        boolean header = forceHeader || columns > 1 || r.nextBoolean();
        if (header) {
            String name = HEADER_SPELLINGS[r.nextInt(HEADER_SPELLINGS.length)];
            List<String> names = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                names.add(c == idColumn ? name : "col_" + (char) ('a' + c));
            }
            m.text.append(String.join(sep, names)).append(eol);
            m.columnName = name.strip();
        }
        int n = r.nextInt(250);
        for (int i = 0; i < n; i++) {
            Kind kind = !header && m.values == 0 ? Kind.NEW : kind(r);
            long line = m.currentLine();
            if (kind == Kind.BLANK && r.nextInt(4) == 0) {
                m.text.append(eol);
                m.blank++;
                continue;
            }
            if (kind == Kind.INVALID && idColumn > 0 && r.nextInt(8) == 0) {
                // A row cut short before the ID column.
                List<String> fields = new ArrayList<>();
                for (int c = 0; c < idColumn; c++) {
                    fields.add("x" + c);
                }
                String row = String.join(sep, fields);
                m.text.append(row).append(eol);
                m.invalid(line, Chars.display(row));
                continue;
            }
            String idValue;
            if (kind == Kind.BLANK) {
                idValue = r.nextBoolean() ? "" : "  ";
                m.blank++;
            } else if (kind == Kind.INVALID) {
                idValue = r.nextBoolean() ? INVALID[r.nextInt(INVALID.length)]
                        : INVALID_CSV_ONLY[r.nextInt(INVALID_CSV_ONLY.length)];
                m.invalid(line, Chars.display(idValue));
            } else {
                long id = pickId(r, m, kind);
                idValue = render(r, id);
                if (r.nextInt(5) == 0 && !idValue.startsWith("\"")) {
                    idValue = " " + idValue + " ";
                }
                m.valid(id);
            }
            List<String> fields = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                String v = c == idColumn ? idValue : OTHER_FIELDS[r.nextInt(OTHER_FIELDS.length)];
                fields.add(delimiter == 0 && c == idColumn && !v.contains("\"") ? v : csvField(r, v, delimiter));
            }
            m.text.append(String.join(sep, fields));
            if (i < n - 1 || r.nextBoolean() || m.text.length() == 0 || String.join(sep, fields).isEmpty()) {
                m.text.append(eol);
            }
        }
        return m;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void loadMatchesTheModel(long seed) throws Exception {
        Random r = new Random(seed);
        IdLoader loader = IdFixtures.integers();
        Model m;
        IdLoadResult result;
        String layout;
        switch (r.nextInt(6)) {
            case 0 -> {
                layout = "text file";
                m = text(r);
                result = loader.load(write(dir, "ids.txt", m.text.toString()));
            }
            case 1 -> {
                layout = "pasted text";
                m = text(r);
                result = loader.loadText(m.text.toString());
            }
            case 2 -> {
                layout = "csv file";
                char d = r.nextInt(5) == 0 ? 0 : CSV_DELIMITERS[r.nextInt(CSV_DELIMITERS.length)];
                m = csv(r, d, false);
                result = loader.load(write(dir, "ids.csv", m.text.toString()));
            }
            case 3 -> {
                layout = "tsv file";
                m = csv(r, '\t', false);
                result = loader.load(write(dir, "ids.tsv", m.text.toString()));
            }
            case 4 -> {
                layout = "csv on stdin";
                m = csv(r, CSV_DELIMITERS[r.nextInt(CSV_DELIMITERS.length)], false);
                result = loader.load(new ByteArrayInputStream(m.text.toString().getBytes(StandardCharsets.UTF_8)),
                        "-", InputFormat.CSV);
            }
            default -> {
                layout = "csv pasted, detected";
                m = csv(r, CSV_DELIMITERS[r.nextInt(CSV_DELIMITERS.length)], true);
                result = loader.loadText(m.text.toString());
            }
        }
        String context = "seed " + seed + " (" + layout + "):\n" + m.text.toString().replace("\r", "<CR>");

        assertEquals(new ArrayList<>(m.distinct), longs(result), context);
        assertEquals(new IdStats(m.lines(), m.values, m.distinct.size(), m.duplicates, m.invalid, m.blank),
                result.stats(), context);
        assertEquals(m.exampleLines, IdFixtures.lines(result), context);
        assertEquals(m.exampleValues, IdFixtures.invalidValues(result), context);
        result.invalidExamples().forEach(e -> assertFalse(e.reason().isBlank(), context));
        assertEquals(m.columnName, result.columnName(), context);
    }
}
