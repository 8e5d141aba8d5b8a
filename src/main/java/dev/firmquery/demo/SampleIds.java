package dev.firmquery.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** Writes {@link DemoData#writeSampleIds} files. */
final class SampleIds {
    /** Each appears at least once; all are invalid as integer IDs in a .txt as well as a .csv file. */
    static final List<String> INVALID_VALUES = List.of(
            "abc", "12.5", "1.2E+07", "-5", "99999999999999999999", "9223372036854775808", "N/A", "0x1F");

    private static final byte VALID = 0;
    private static final byte DUPLICATE = 1;
    private static final byte INVALID = 2;
    private static final byte BLANK = 3;

    private SampleIds() {
    }

    /** IDs of a sample of {@code count} that are in the table: all but about 5 % (at least one when count > 1). */
    static int present(int count) {
        return count - (count < 2 ? 0 : Math.max(1, (int) Math.round(count * 0.05)));
    }

    /** The largest sample {@link #write} can draw from a table of {@code firms} firms (firms at least 1). */
    static int largest(int firms) {
        int count = (int) Math.min(Integer.MAX_VALUE, (long) Math.ceil(firms / 0.95) + 2);
        while (count > 1 && present(count) > firms) {
            count--;
        }
        return count;
    }

    static SampleIdFile write(Path file, int firms, int count, long seed) throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        int presentCount = present(count);
        int absentCount = count - presentCount;
        if (firms < 1 || presentCount > firms) {
            throw new IllegalArgumentException("a sample of " + count + " distinct IDs needs " + presentCount
                    + " existing firms, but the table has " + firms + "; lower count or raise firms");
        }
        SplittableRandom rng = new SplittableRandom(DemoData.mix(seed, 0, DemoData.STREAM_SAMPLE));
        long[] valid = new long[count];
        pickPresent(rng, firms, presentCount, valid);
        long[] absent = pickAbsent(rng, firms, absentCount);
        System.arraycopy(absent, 0, valid, presentCount, absentCount);
        shuffle(rng, valid);

        int duplicates = Math.max(1, count / 50);
        int invalid = Math.max(INVALID_VALUES.size(), count / 200);
        int blanks = Math.max(2, count / 500);
        byte[] kinds = lineKinds(rng, count, duplicates, invalid, blanks);

        long[] firstSeen = new long[count];
        long[] absentInOrder = new long[absentCount];
        Set<Long> absentSet = new HashSet<>();
        for (long id : absent) {
            absentSet.add(id);
        }
        List<SampleIdFile.InvalidLine> invalidLines = new ArrayList<>(invalid);
        int seen = 0;
        int absentSeen = 0;
        int invalidWritten = 0;
        int crlf = 0;
        int line = 1;
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(
                Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                StandardCharsets.UTF_8), 1 << 16)) {
            out.write('\uFEFF');
            out.write("firm_root_id");
            crlf += endLine(out, rng);
            for (byte kind : kinds) {
                line++;
                switch (kind) {
                    case VALID -> {
                        long id = valid[seen];
                        firstSeen[seen++] = id;
                        if (absentSet.contains(id)) {
                            absentInOrder[absentSeen++] = id;
                        }
                        int style = rng.nextInt(100);
                        out.write(style == 0 ? "\"" + id + "\"" : style == 1 ? "  " + id + " " : Long.toString(id));
                    }
                    case DUPLICATE -> out.write(Long.toString(firstSeen[rng.nextInt(seen)]));
                    case INVALID -> {
                        String value = invalidWritten < INVALID_VALUES.size()
                                ? INVALID_VALUES.get(invalidWritten)
                                : INVALID_VALUES.get(rng.nextInt(INVALID_VALUES.size()));
                        invalidWritten++;
                        invalidLines.add(new SampleIdFile.InvalidLine(line, value));
                        out.write(value);
                    }
                    default -> out.write(rng.nextBoolean() ? "" : "   ");
                }
                crlf += endLine(out, rng);
            }
        }
        return new SampleIdFile(file, line, count + duplicates + invalid, count, presentCount, absentCount,
                duplicates, invalid, blanks, crlf, firstSeen, absentInOrder, invalidLines);
    }

    private static int endLine(BufferedWriter out, SplittableRandom rng) throws IOException {
        if (rng.nextInt(10) == 0) {
            out.write("\r\n");
            return 1;
        }
        out.write('\n');
        return 0;
    }

    /** Distinct random firm indexes (a partial Fisher-Yates shuffle), as IDs. */
    private static void pickPresent(SplittableRandom rng, int firms, int count, long[] into) {
        int[] indexes = new int[firms];
        for (int i = 0; i < firms; i++) {
            indexes[i] = i;
        }
        for (int i = 0; i < count; i++) {
            int j = i + rng.nextInt(firms - i);
            int t = indexes[i];
            indexes[i] = indexes[j];
            indexes[j] = t;
            into[i] = DemoData.firmId(indexes[i]);
        }
    }

    /**
     * Distinct valid IDs that are not in the table: mostly between two existing IDs, some beyond
     * the last one, a few below the first.
     */
    private static long[] pickAbsent(SplittableRandom rng, int firms, int count) {
        Set<Long> chosen = new HashSet<>();
        long[] result = new long[count];
        int n = 0;
        while (n < count) {
            int kind = rng.nextInt(10);
            long id;
            if (kind < 6) {
                id = DemoData.firmId(rng.nextInt(firms)) + 1 + rng.nextInt(DemoData.ID_STEP - 1);
            } else if (kind < 9) {
                id = DemoData.FIRST_ID + (long) DemoData.ID_STEP * (firms + rng.nextInt(Math.max(1000, firms / 10)));
            } else {
                id = 1 + rng.nextInt((int) DemoData.FIRST_ID - 1);
            }
            if (!DemoData.exists(id, firms) && chosen.add(id)) {
                result[n++] = id;
            }
        }
        return result;
    }

    /** The kind of each data line, shuffled, with a valid ID before the first duplicate. */
    private static byte[] lineKinds(SplittableRandom rng, int valid, int duplicates, int invalid, int blanks) {
        byte[] kinds = new byte[valid + duplicates + invalid + blanks];
        int i = 0;
        for (int k = 0; k < valid; k++) {
            kinds[i++] = VALID;
        }
        for (int k = 0; k < duplicates; k++) {
            kinds[i++] = DUPLICATE;
        }
        for (int k = 0; k < invalid; k++) {
            kinds[i++] = INVALID;
        }
        for (int k = 0; k < blanks; k++) {
            kinds[i++] = BLANK;
        }
        for (int k = kinds.length - 1; k > 0; k--) {
            int j = rng.nextInt(k + 1);
            byte t = kinds[k];
            kinds[k] = kinds[j];
            kinds[j] = t;
        }
        int firstValid = -1;
        int firstDuplicate = -1;
        for (int k = 0; k < kinds.length && (firstValid < 0 || firstDuplicate < 0); k++) {
            if (kinds[k] == VALID && firstValid < 0) {
                firstValid = k;
            } else if (kinds[k] == DUPLICATE && firstDuplicate < 0) {
                firstDuplicate = k;
            }
        }
        if (firstDuplicate >= 0 && firstDuplicate < firstValid) {
            kinds[firstDuplicate] = VALID;
            kinds[firstValid] = DUPLICATE;
        }
        return kinds;
    }

    private static void shuffle(SplittableRandom rng, long[] values) {
        for (int k = values.length - 1; k > 0; k--) {
            int j = rng.nextInt(k + 1);
            long t = values[k];
            values[k] = values[j];
            values[j] = t;
        }
    }
}
