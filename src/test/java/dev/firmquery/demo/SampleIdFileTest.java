package dev.firmquery.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("DemoData.writeSampleIds")
class SampleIdFileTest {
    static final int FIRMS = 20_000;
    static final int COUNT = 2_000;
    static final long SEED = 42;

    @TempDir
    Path tmp;

    /** The file read back with rules of its own, independent of the writer. */
    record Reading(boolean bom, String header, int lines, int crlf, int blank, int duplicates,
                   List<Long> distinct, List<SampleIdFile.InvalidLine> invalid) {

        static Reading of(Path file) throws Exception {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            boolean bom = content.startsWith("\uFEFF");
            if (bom) {
                content = content.substring(1);
            }
            assertTrue(content.endsWith("\n"), "last line ends with a line break");
            String[] physical = content.substring(0, content.length() - 1).split("\n", -1);
            int crlf = 0;
            int blank = 0;
            int duplicates = 0;
            Set<Long> distinct = new LinkedHashSet<>();
            List<SampleIdFile.InvalidLine> invalid = new ArrayList<>();
            for (int i = 0; i < physical.length; i++) {
                String line = physical[i];
                if (line.endsWith("\r")) {
                    crlf++;
                    line = line.substring(0, line.length() - 1);
                }
                physical[i] = line;
                if (i == 0) {
                    continue;
                }
                String value = line.strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (value.isEmpty()) {
                    blank++;
                } else if (value.matches("[0-9]{1,19}") && fitsLong(value)) {
                    if (!distinct.add(Long.parseLong(value))) {
                        duplicates++;
                    }
                } else {
                    invalid.add(new SampleIdFile.InvalidLine(i + 1, line));
                }
            }
            return new Reading(bom, physical[0], physical.length, crlf, blank, duplicates, new ArrayList<>(distinct), invalid);
        }

        private static boolean fitsLong(String digits) {
            try {
                Long.parseLong(digits);
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }

    private SampleIdFile write(String name, long seed) throws Exception {
        return DemoData.writeSampleIds(tmp.resolve(name), FIRMS, COUNT, seed);
    }

    @Test
    void starts_with_a_utf8_bom_and_the_header_firm_root_id() throws Exception {
        Reading reading = Reading.of(write("ids.csv", SEED).path());

        assertTrue(reading.bom());
        assertEquals("firm_root_id", reading.header());
    }

    @Test
    void reports_exactly_what_it_wrote() throws Exception {
        SampleIdFile sample = write("ids.csv", SEED);
        Reading reading = Reading.of(sample.path());

        assertEquals(reading.lines(), sample.lines());
        assertEquals(reading.blank(), sample.blankLines());
        assertEquals(reading.duplicates(), sample.duplicates());
        assertEquals(reading.invalid(), sample.invalidLines());
        assertEquals(reading.invalid().size(), sample.invalid());
        assertEquals(reading.crlf(), sample.crlfLines());
        assertArrayEquals(reading.distinct().stream().mapToLong(Long::longValue).toArray(), sample.ids());
        assertEquals(sample.lines() - 1 - sample.blankLines(), sample.values());
    }

    @Test
    void holds_count_distinct_ids_of_which_five_percent_do_not_exist() throws Exception {
        SampleIdFile sample = write("ids.csv", SEED);
        long[] ids = sample.ids();
        long[] absent = Arrays.stream(ids).filter(id -> !DemoData.exists(id, FIRMS)).toArray();

        assertEquals(COUNT, ids.length);
        assertEquals(100, absent.length);
        assertArrayEquals(absent, sample.absent());
        assertEquals(COUNT - 100, sample.presentIds());
        assertEquals(100, sample.absentIds());
    }

    @Test
    void includes_duplicates_blank_lines_crlf_lines_and_each_kind_of_invalid_value() throws Exception {
        SampleIdFile sample = write("ids.csv", SEED);

        assertTrue(sample.duplicates() >= COUNT / 50, sample.toString());
        assertTrue(sample.blankLines() >= 2, sample.toString());
        assertTrue(sample.crlfLines() > 0 && sample.crlfLines() < sample.lines() / 2, sample.toString());
        List<String> values = sample.invalidLines().stream().map(SampleIdFile.InvalidLine::value).toList();
        assertTrue(values.containsAll(List.of("abc", "12.5", "1.2E+07", "-5", "99999999999999999999")), values.toString());
    }

    @Test
    void includes_ids_in_quotes_and_padded_with_spaces() throws Exception {
        List<String> lines = Files.readAllLines(write("ids.csv", SEED).path());

        assertTrue(lines.stream().anyMatch(l -> l.matches("\"[0-9]+\"\r?")), "a quoted ID");
        assertTrue(lines.stream().anyMatch(l -> l.matches(" +[0-9]+ +\r?")), "a padded ID");
    }

    @Test
    void is_the_same_byte_for_byte_for_the_same_seed_and_differs_for_another() throws Exception {
        byte[] first = Files.readAllBytes(write("a.csv", SEED).path());
        byte[] again = Files.readAllBytes(write("b.csv", SEED).path());
        byte[] other = Files.readAllBytes(write("c.csv", SEED + 1).path());

        assertArrayEquals(first, again);
        assertFalse(Arrays.equals(first, other));
    }

    @Test
    void never_overwrites_an_existing_file() throws Exception {
        Path existing = Files.writeString(tmp.resolve("ids.csv"), "keep me");

        assertThrows(FileAlreadyExistsException.class, () -> DemoData.writeSampleIds(existing, FIRMS, COUNT, SEED));
        assertEquals("keep me", Files.readString(existing));
    }

    @Test
    void refuses_a_sample_larger_than_the_table_can_supply() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DemoData.writeSampleIds(tmp.resolve("ids.csv"), 100, 1_000, SEED));

        assertTrue(e.getMessage().contains("the table has 100"), e.getMessage());
    }

    @Test
    void the_largest_sample_for_a_table_is_the_last_count_whose_present_ids_fit_in_it() throws Exception {
        for (int firms : new int[] {1, 2, 19, 20, 21, 1_000, 2_000, 47_500, 200_000, 50_000_000}) {
            int largest = DemoData.largestSample(firms);
            assertTrue(DemoData.firmsForSample(largest) <= firms, firms + " firms: " + largest + " fits");
            assertTrue(DemoData.firmsForSample(largest + 1) > firms, firms + " firms: " + (largest + 1) + " does not");
        }
        assertEquals(1_053, DemoData.largestSample(1_000));
        // and the writer agrees: the largest sample is written, one more is refused
        SampleIdFile sample = DemoData.writeSampleIds(tmp.resolve("largest.csv"), 1_000, 1_053, SEED);
        assertEquals(1_053, sample.distinctIds());
        assertThrows(IllegalArgumentException.class,
                () -> DemoData.writeSampleIds(tmp.resolve("more.csv"), 1_000, 1_054, SEED));
    }
}
