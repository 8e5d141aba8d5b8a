package dev.firmquery.export;

import org.apache.commons.csv.CSVFormat;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/**
 * How the CSV files of a run are spelled, for the people who open them in Excel: the delimiter
 * ({@code output.csv_delimiter}; Excel in a European locale splits on {@code ;}), a UTF-8 byte order
 * mark ({@code output.csv_bom}; without one Excel reads a double-clicked CSV as the locale's ANSI code
 * page, so "Müller" shows as "MÃ¼ller") and the line ending ({@code output.csv_line_ending}). Every CSV a
 * run writes (results, {@code _missing.csv}, {@code _failed.csv}) uses the run's dialect, and a resumed
 * run the one it started with, so the files stay byte-identical. Quoting stays RFC 4180's: double
 * quotes, only where a value needs them (the delimiter, a quote, CR or LF inside it, blanks at its ends).
 *
 * @param delimiter  {@code ,} {@code ;} tab or {@code |}
 * @param bom        whether each file starts with the UTF-8 byte order mark EF BB BF
 * @param lineEnding what ends each record
 */
public record CsvDialect(char delimiter, boolean bom, LineEnding lineEnding) {
    /** RFC 4180: comma, CRLF, no byte order mark. */
    public static final CsvDialect RFC4180 = new CsvDialect(',', false, LineEnding.CRLF);

    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** What ends a CSV record. */
    public enum LineEnding {
        /** {@code \r\n}, as RFC 4180 and Excel write. */
        CRLF("\r\n"),
        /** {@code \n}, for Unix tools. */
        LF("\n");

        private final String chars;

        LineEnding(String chars) {
            this.chars = chars;
        }

        /** The characters themselves. */
        public String chars() {
            return chars;
        }

        /** The name as the setting spells it: {@code crlf}, {@code lf}. */
        public String settingName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @throws IllegalArgumentException for a delimiter other than {@code ,} {@code ;} tab or {@code |}: a
     *                                  quote, CR, LF or a character of the values would make records
     *                                  ambiguous
     */
    public CsvDialect {
        if (delimiter != ',' && delimiter != ';' && delimiter != '\t' && delimiter != '|') {
            throw new IllegalArgumentException("a CSV delimiter is ',', ';', tab or '|', not " + settingName(delimiter));
        }
        if (lineEnding == null) {
            throw new IllegalArgumentException("lineEnding is required");
        }
    }

    /**
     * The dialect the settings spell: {@code delimiter} as {@code output.csv_delimiter} writes it
     * ({@code ,} {@code ;} {@code tab} {@code |}), {@code lineEnding} as {@code crlf} or {@code lf}.
     */
    public static CsvDialect of(String delimiter, boolean bom, String lineEnding) {
        char d = switch (delimiter) {
            case "tab" -> '\t';
            case ",", ";", "|" -> delimiter.charAt(0);
            default -> throw new IllegalArgumentException("output.csv_delimiter is ',', ';', 'tab' or '|', not '"
                    + delimiter + "'");
        };
        return new CsvDialect(d, bom, LineEnding.valueOf(lineEnding.toUpperCase(Locale.ROOT)));
    }

    /** The delimiter as the setting spells it: {@code ,} {@code ;} {@code tab} {@code |}. */
    public String delimiterName() {
        return settingName(delimiter);
    }

    private static String settingName(char c) {
        return c == '\t' ? "tab" : String.valueOf(c);
    }

    /** Commons CSV's format for this dialect (RFC 4180 quoting). */
    public CSVFormat format() {
        return CSVFormat.RFC4180.builder().setDelimiter(delimiter).setRecordSeparator(lineEnding.chars()).get();
    }

    /** Writes the byte order mark if the dialect has one: the first bytes of every CSV file. */
    public void writeBom(OutputStream out) throws IOException {
        if (bom) {
            out.write(UTF8_BOM);
        }
    }
}
