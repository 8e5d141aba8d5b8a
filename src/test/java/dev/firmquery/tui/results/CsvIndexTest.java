package dev.firmquery.tui.results;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The result browser's byte-offset index: exact rows, any page, constant memory. */
class CsvIndexTest {
    @TempDir
    Path dir;

    /** {@code rows} rows of firm_root_id, name, note; names with the delimiter, quotes and line breaks (seed 7). */
    private Path write(String name, int rows, String delimiter, String eol, boolean bom) throws IOException {
        Path f = dir.resolve(name);
        Random r = new Random(7);
        try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            if (bom) {
                w.write('\uFEFF');
            }
            w.write("firm_root_id" + delimiter + "firm_name" + delimiter + "note" + eol);
            for (int i = 0; i < rows; i++) {
                String firm = switch (r.nextInt(5)) {
                    case 0 -> "\"Acme" + delimiter + " Inc\"";
                    case 1 -> "\"Line\nbreak GmbH\"";
                    case 2 -> "\"Say \"\"hi\"\" Ltd\"";
                    case 3 -> "Zürich AG";
                    default -> "";
                };
                w.write((1_000_000 + i) + delimiter + firm + delimiter + (i % 3 == 0 ? "" : "n" + i) + eol);
            }
        }
        return f;
    }

    private static List<List<String>> all(Path f, char delimiter) throws IOException {
        List<List<String>> out = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(f, StandardCharsets.UTF_8);
             CSVParser p = CSVParser.parse(in, CSVFormat.RFC4180.builder().setDelimiter(delimiter).get())) {
            boolean header = true;
            for (CSVRecord rec : p) {
                if (!header) {
                    out.add(rec.toList());
                }
                header = false;
            }
        }
        return out;
    }

    private static CsvIndex indexed(Path f) throws IOException {
        CsvIndex index = CsvIndex.of(f);
        index.scan(() -> false);
        return index;
    }

    @Test
    @DisplayName("every page matches a full parse, across index steps, with quoted delimiters, quotes and line breaks")
    void pagesMatchAFullParse() throws IOException {
        Path f = write("r.csv", 5_000, ",", "\r\n", false);
        List<List<String>> expected = all(f, ',');
        CsvIndex index = indexed(f);
        assertEquals(5_000, index.rows());
        assertTrue(index.complete());
        assertEquals(List.of("firm_root_id", "firm_name", "note"), index.header());
        for (long first : new long[] {0, 1, 255, 256, 257, 1_000, 4_990, 4_999}) {
            List<List<String>> page = index.page(first, 20);
            assertEquals(expected.subList((int) first, (int) Math.min(5_000, first + 20)), page, "page at " + first);
        }
    }

    @Test
    @DisplayName("a semicolon CSV with LF line ends and a byte order mark reads the same")
    void otherDialects() throws IOException {
        Path f = write("s.csv", 1_000, ";", "\n", true);
        List<List<String>> expected = all(f, ';');
        CsvIndex index = indexed(f);
        assertEquals(1_000, index.rows());
        assertEquals("firm_root_id", index.header().get(0), "the byte order mark is not part of the header");
        assertEquals(expected.subList(300, 310), index.page(300, 10));
    }

    @Test
    @DisplayName("2,000,000 rows index into 8 bytes per 256 rows, and the last page is the file's last rows")
    void twoMillionRowsInConstantMemory() throws IOException {
        Path f = dir.resolve("big.csv");
        try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            w.write("firm_root_id,firm_name\r\n");
            for (int i = 0; i < 2_000_000; i++) {
                w.write(Integer.toString(10_000_000 + i));
                w.write(",\"Firm, number ");
                w.write(Integer.toString(i));
                w.write("\"\r\n");
            }
        }
        CsvIndex index = indexed(f);
        assertEquals(2_000_000, index.rows());
        assertTrue(index.indexBytes() <= 8L * 2 * (2_000_000 / 256 + 1), "index bytes " + index.indexBytes());
        List<List<String>> last = index.page(1_999_990, 100);
        assertEquals(10, last.size());
        assertEquals(List.of("11999999", "Firm, number 1999999"), last.get(9));
        assertEquals(List.of("11000000", "Firm, number 1000000"), index.page(1_000_000, 1).get(0));
    }

    @Test
    @DisplayName("pages can be read while the index is still growing: only indexed rows are answered")
    void readableWhileScanning() throws IOException {
        Path f = write("g.csv", 3_000, ",", "\r\n", false);
        CsvIndex index = CsvIndex.of(f);
        assertEquals(List.of(), index.page(0, 10), "nothing indexed yet");
        assertEquals("firm_root_id", index.header().get(0), "the header is there at once");
        index.scan(() -> false);
        assertEquals(10, index.page(0, 10).size());
    }

    @Test
    @DisplayName("a cancelled scan stops with CancellationException")
    void cancel() throws IOException {
        Path f = write("c.csv", 10, ",", "\r\n", false);
        CsvIndex index = CsvIndex.of(f);
        assertThrows(CancellationException.class, () -> index.scan(() -> true));
    }

    @Test
    @DisplayName("a gzip CSV is refused with how to browse it instead")
    void gzipRefused() throws IOException {
        Path f = Files.writeString(dir.resolve("r.csv.gz"), "x");
        IOException e = assertThrows(IOException.class, () -> CsvIndex.of(f));
        assertTrue(e.getMessage().contains("zcat"), e.getMessage());
    }

    @Test
    @DisplayName("a symbolic link in place of the result file is not followed")
    void noLinks() throws IOException {
        Path real = write("real.csv", 10, ",", "\r\n", false);
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), real);
        CsvIndex index = CsvIndex.of(real);
        index.scan(() -> false);
        assertThrows(IOException.class, () -> {
            CsvIndex l = CsvIndex.of(link);
            l.scan(() -> false);
        });
    }

    @Test
    @DisplayName("find returns the first matching row from a given row on, or -1 below the last match")
    void find() throws IOException {
        Path f = write("f.csv", 5_000, ",", "\r\n", false);
        List<List<String>> expected = all(f, ',');
        CsvIndex index = indexed(f);
        assertEquals(3_210, index.find(0, "1003210"::equals, 0, () -> false));
        assertEquals(-1, index.find(0, "1003210"::equals, 3_211, () -> false));
        long firstLineBreak = -1;
        for (int i = 600; i < expected.size() && firstLineBreak < 0; i++) {
            if (expected.get(i).get(1).contains("\n")) {
                firstLineBreak = i;
            }
        }
        assertEquals(firstLineBreak, index.find(1, v -> v.contains("Line\nbreak"), 600, () -> false),
                "a quoted line break is searched as part of its value");
    }
}
