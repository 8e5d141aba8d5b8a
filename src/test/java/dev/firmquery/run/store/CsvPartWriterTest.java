package dev.firmquery.run.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.firmquery.export.Column;
import dev.firmquery.export.ColumnKind;
import dev.firmquery.export.CsvRecords;
import dev.firmquery.export.CsvResultWriter;
import dev.firmquery.export.Rows;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker-side CSV encoding ({@link CsvPartWriter}) and its assembly into the final file (the
 * checked copy of {@link CsvParts} into {@link CsvResultWriter#appendEncoded}, as
 * {@link SpoolReader#copyCsv} does): whichever thread encodes a record, the file is the same.
 */
@DisplayName("CSV parts encoded by the workers")
class CsvPartWriterTest {

    @TempDir
    Path dir;

    private static final List<Column> ALL_KINDS = Rows.allKinds();

    /** Rows of every kind whose text needs quoting, spans lines, and leaves the BMP or is malformed UTF-16. */
    private static List<Object[]> awkwardRows() {
        return List.of(
                Rows.row(-42L, new BigDecimal("1234.500"), 0.1, true, LocalDate.of(2024, 2, 29),
                        LocalDateTime.of(2024, 2, 29, 13, 5, 9),
                        OffsetDateTime.of(2024, 2, 29, 13, 5, 9, 120_000_000, ZoneOffset.UTC), "plain"),
                Rows.row(Long.MIN_VALUE, new BigDecimal("-1E+40"), Double.NaN, false, LocalDate.MIN,
                        LocalDateTime.MAX, OffsetDateTime.MIN, "comma, and \"quotes\""),
                Rows.row(null, null, null, null, null, null, null, null),
                Rows.row(0L, new BigDecimal("0.000"), -0.0, null, LocalDate.of(-43, 3, 15), null, null,
                        "line\nbreak and\r\nCRLF and a lone\rCR"),
                Rows.row(1L, null, Double.NEGATIVE_INFINITY, true, null, null, OffsetDateTime.MAX,
                        "unicode: é ß 中文 \u2028 and a face 😀 outside the BMP"),
                Rows.row(2L, null, null, null, null, null, null, "unpaired high \uD83D then text"),
                Rows.row(3L, null, null, null, null, null, null, "unpaired low \uDE00"),
                Rows.row(4L, null, null, null, null, null, null, "ends in a high surrogate \uD83D"),
                Rows.row(5L, null, null, null, null, null, null, ""),
                Rows.row(6L, null, null, null, null, null, null, "# looks like a comment"),
                Rows.row(7L, null, null, null, null, null, null, "  spaces around  "));
    }

    private static List<Object[]> randomRows(long seed, int count) {
        Rows.RandomValues random = new Rows.RandomValues(seed, 0.15);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(random.row(ALL_KINDS));
        }
        return rows;
    }

    private static List<Object[]> concat(List<Object[]> a, List<Object[]> b) {
        List<Object[]> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The reference: every row through {@link CsvResultWriter#row}. */
    private Path writeRows(String name, boolean gzip, List<Object[]> rows) throws IOException {
        try (CsvResultWriter writer = new CsvResultWriter(dir.resolve(name), gzip)) {
            writer.begin(ALL_KINDS);
            for (Object[] row : rows) {
                writer.row(row);
            }
            return writer.commit(List.of());
        }
    }

    private FileChannel newSegment(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    private static CsvPartWriter.Part writePart(Path file, FileChannel segment, List<Object[]> rows)
            throws IOException {
        try (CsvPartWriter part = new CsvPartWriter(file, segment, new CsvRecords(ALL_KINDS))) {
            for (Object[] row : rows) {
                part.row(row);
            }
            return part.finish();
        }
    }

    /** Appends {@code part} of {@code segment} to {@code writer}, checked against {@code crc32c}, as the assembler does. */
    private static void appendPart(CsvResultWriter writer, FileChannel in, Path segment, CsvPartWriter.Part part,
                                   int crc32c) throws IOException {
        writer.appendEncoded(out -> CsvParts.copyChecked(in, segment, part.offset(), part.length(), crc32c, out,
                ByteBuffer.allocate(1 << 16)), part.rows());
    }

    /** The final file assembled from {@code parts} of {@code segment}, in order, as the assembler does. */
    private Path assemble(String name, boolean gzip, Path segment, List<CsvPartWriter.Part> parts)
            throws IOException {
        try (CsvResultWriter writer = new CsvResultWriter(dir.resolve(name), gzip);
                FileChannel in = FileChannel.open(segment, StandardOpenOption.READ)) {
            writer.begin(ALL_KINDS);
            long rows = 0;
            for (CsvPartWriter.Part part : parts) {
                appendPart(writer, in, segment, part, part.crc32c());
                rows += part.rows();
            }
            assertEquals(rows, writer.rowCount(), "rowCount counts the parts' rows");
            return writer.commit(List.of());
        }
    }

    private static byte[] gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
    }

    private static int crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    @Test
    void aPartAssembledIntoTheFileIsByteIdenticalToTheSameRowsWrittenDirectly() throws IOException {
        List<Object[]> rows = awkwardRows();
        Path segment = dir.resolve("s1-w1.csv");
        CsvPartWriter.Part part;
        try (FileChannel out = newSegment(segment)) {
            part = writePart(segment, out, rows);
        }

        assertArrayEquals(Files.readAllBytes(writeRows("direct.csv", false, rows)),
                Files.readAllBytes(assemble("assembled.csv", false, segment, List.of(part))));
    }

    @Test
    void seededRandomRowsLargerThanTheEncodeBufferAssembleByteIdentically() throws IOException {
        List<Object[]> rows = randomRows(20_261_122L, 3_000);
        Path segment = dir.resolve("s1-w1.csv");
        CsvPartWriter.Part part;
        try (FileChannel out = newSegment(segment)) {
            part = writePart(segment, out, rows);
        }

        assertTrue(part.length() > 4 * 65_536, "the part spans several buffer flushes: " + part.length());
        assertArrayEquals(Files.readAllBytes(writeRows("direct.csv", false, rows)),
                Files.readAllBytes(assemble("assembled.csv", false, segment, List.of(part))));
    }

    @Test
    void textLongerThanTheEncodeBufferWithSurrogatePairsAcrossItsBoundaryIsEncodedWhole() throws IOException {
        // 😀 is 2 chars and 4 bytes: an odd prefix puts pairs on every alignment against the 64 KiB buffer.
        List<Object[]> rows = new ArrayList<>();
        for (int prefix = 0; prefix < 4; prefix++) {
            rows.add(Rows.row((long) prefix, null, null, null, null, null, null,
                    "x".repeat(prefix) + "😀".repeat(40_000) + "é".repeat(prefix)));
        }
        Path segment = dir.resolve("s1-w1.csv");
        CsvPartWriter.Part part;
        try (FileChannel out = newSegment(segment)) {
            part = writePart(segment, out, rows);
        }

        assertArrayEquals(Files.readAllBytes(writeRows("direct.csv", false, rows)),
                Files.readAllBytes(assemble("assembled.csv", false, segment, List.of(part))));
    }

    @Test
    void anUnpairedSurrogateBecomesAQuestionMarkLikeStringGetBytes() throws IOException {
        List<Column> text = List.of(Rows.column("name", ColumnKind.TEXT));
        String value = "a\uD83Db\uDE00c\uD83D";
        Path segment = dir.resolve("s1-w1.csv");
        CsvPartWriter.Part part;
        try (FileChannel out = newSegment(segment);
                CsvPartWriter writer = new CsvPartWriter(segment, out, new CsvRecords(text))) {
            writer.row(Rows.row(value));
            part = writer.finish();
        }

        byte[] bytes = Files.readAllBytes(segment);
        assertArrayEquals((value + "\r\n").getBytes(StandardCharsets.UTF_8), bytes);
        assertEquals("a?b?c?\r\n", new String(bytes, StandardCharsets.US_ASCII));
        assertEquals(new CsvPartWriter.Part(0, bytes.length, crc32c(bytes), 1), part);
    }

    @Test
    void finishReportsTheRangeChecksumAndRowCountOfThePart() throws IOException {
        Path segment = dir.resolve("s1-w1.csv");
        Files.write(segment, new byte[] {'o', 'l', 'd'});
        CsvPartWriter.Part part;
        try (FileChannel out = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            out.position(out.size());
            part = writePart(segment, out, awkwardRows());
        }

        byte[] all = Files.readAllBytes(segment);
        byte[] records = Arrays.copyOfRange(all, 3, all.length);
        assertEquals(3, part.offset());
        assertEquals(records.length, part.length());
        assertEquals(crc32c(records), part.crc32c());
        assertEquals(awkwardRows().size(), part.rows());
    }

    @Test
    void twoPartsAppendedOneAfterTheOtherInOneSegmentAssembleLikeAllRowsWrittenDirectly() throws IOException {
        List<Object[]> first = randomRows(1, 700);
        List<Object[]> second = awkwardRows();
        Path segment = dir.resolve("s1-w1.csv");
        CsvPartWriter.Part a;
        CsvPartWriter.Part b;
        try (FileChannel out = newSegment(segment)) {
            a = writePart(segment, out, first);
            b = writePart(segment, out, second);
        }

        assertEquals(0, a.offset());
        assertEquals(a.offset() + a.length(), b.offset(), "the second part starts where the first ends");
        assertEquals(b.offset() + b.length(), Files.size(segment));
        assertArrayEquals(Files.readAllBytes(writeRows("direct.csv", false, concat(first, second))),
                Files.readAllBytes(assemble("assembled.csv", false, segment, List.of(a, b))));
    }

    @Test
    void partsAreAssembledInTheOrderGivenNotTheOrderInTheSegment() throws IOException {
        List<Object[]> first = randomRows(2, 50);
        List<Object[]> second = randomRows(3, 50);
        Path segment = dir.resolve("s1-w1.csv");
        CsvPartWriter.Part a;
        CsvPartWriter.Part b;
        try (FileChannel out = newSegment(segment)) {
            a = writePart(segment, out, first);
            b = writePart(segment, out, second);
        }

        assertArrayEquals(Files.readAllBytes(writeRows("direct.csv", false, concat(second, first))),
                Files.readAllBytes(assemble("assembled.csv", false, segment, List.of(b, a))));
    }

    @Test
    void abortCutsTheSegmentBackToThePartsStartAndTheEarlierPartStaysIntact() throws IOException {
        List<Object[]> kept = randomRows(4, 200);
        List<Object[]> next = randomRows(5, 300);
        Path segment = dir.resolve("s1-w1.csv");
        CsvPartWriter.Part a;
        CsvPartWriter.Part c;
        try (FileChannel out = newSegment(segment)) {
            a = writePart(segment, out, kept);
            byte[] before = Files.readAllBytes(segment);

            CsvPartWriter failed = new CsvPartWriter(segment, out, new CsvRecords(ALL_KINDS));
            for (Object[] row : randomRows(6, 2_000)) { // several buffer flushes reach the segment
                failed.row(row);
            }
            assertTrue(Files.size(segment) > before.length, "precondition: the failed attempt wrote bytes");
            failed.abort();

            assertArrayEquals(before, Files.readAllBytes(segment), "the segment is cut back to the failed part's start");
            assertEquals(a.offset() + a.length(), out.position(), "the next part is appended where the kept one ends");
            c = writePart(segment, out, next);
        }

        assertEquals(a.offset() + a.length(), c.offset());
        assertArrayEquals(Files.readAllBytes(writeRows("direct.csv", false, concat(kept, next))),
                Files.readAllBytes(assemble("assembled.csv", false, segment, List.of(a, c))));
    }

    @Test
    void closingAnUnfinishedPartAbortsItAndClosingAFinishedOneKeepsIt() throws IOException {
        Path segment = dir.resolve("s1-w1.csv");
        try (FileChannel out = newSegment(segment)) {
            CsvPartWriter.Part a = writePart(segment, out, randomRows(7, 20)); // finish, then close
            try (CsvPartWriter unfinished = new CsvPartWriter(segment, out, new CsvRecords(ALL_KINDS))) {
                unfinished.row(randomRows(8, 1).get(0));
            }

            assertEquals(a.length(), Files.size(segment));
            assertEquals(a.length(), out.position());
        }
    }

    @Test
    void aWrongChecksumFailsNamingTheSpoolAndTellingToRunTheChunkAgain() throws IOException {
        Path segment = dir.resolve("s1-w1.csv");
        CsvPartWriter.Part part;
        try (FileChannel out = newSegment(segment)) {
            part = writePart(segment, out, awkwardRows());
        }

        try (CsvResultWriter writer = new CsvResultWriter(dir.resolve("damaged.csv"), false);
                FileChannel in = FileChannel.open(segment, StandardOpenOption.READ)) {
            writer.begin(ALL_KINDS);
            IOException e = assertThrows(IOException.class, () -> appendPart(writer, in, segment, part,
                    part.crc32c() ^ 1));
            assertTrue(e.getMessage().contains(segment.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("run the chunk again"), e.getMessage());
            assertTrue(e.getMessage().contains("damaged"), e.getMessage());
        }
    }

    @Test
    void aFlippedByteInTheSegmentFailsTheChecksum() throws IOException {
        Path segment = dir.resolve("s1-w1.csv");
        CsvPartWriter.Part part;
        try (FileChannel out = newSegment(segment)) {
            part = writePart(segment, out, randomRows(9, 100));
        }
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 2] ^= 0x20;
        Files.write(segment, bytes);

        IOException e = assertThrows(IOException.class,
                () -> assemble("damaged.csv", false, segment, List.of(part)));
        assertTrue(e.getMessage().contains("run the chunk again"), e.getMessage());
    }

    @Test
    void aRangeBeyondTheEndOfTheSegmentFailsNamingTheSpoolAndTellingToRunTheChunkAgain() throws IOException {
        Path segment = dir.resolve("s1-w1.csv");
        CsvPartWriter.Part part;
        try (FileChannel out = newSegment(segment)) {
            part = writePart(segment, out, randomRows(10, 100));
            out.truncate(part.length() / 2); // the disk lost the tail of the segment
        }

        IOException e = assertThrows(IOException.class,
                () -> assemble("short.csv", false, segment, List.of(part)));
        assertTrue(e.getMessage().contains(segment.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("run the chunk again"), e.getMessage());
    }

    @Test
    void withGzipTheAssembledFileDecompressesToTheBytesOfTheUncompressedFile() throws IOException {
        List<Object[]> first = randomRows(11, 1_500);
        List<Object[]> second = awkwardRows();
        Path segment = dir.resolve("s1-w1.csv");
        CsvPartWriter.Part a;
        CsvPartWriter.Part b;
        try (FileChannel out = newSegment(segment)) {
            a = writePart(segment, out, first);
            b = writePart(segment, out, second);
        }

        byte[] plain = Files.readAllBytes(writeRows("direct.csv", false, concat(first, second)));
        assertArrayEquals(plain, gunzip(assemble("assembled.csv.gz", true, segment, List.of(a, b))));
    }

    @Test
    void rowsWrittenDirectlyAndPartsAppendedInterleaveInCallOrder() throws IOException {
        List<Object[]> before = awkwardRows();
        List<Object[]> middle = randomRows(12, 80);
        List<Object[]> after = randomRows(13, 5);
        Path segment = dir.resolve("s1-w1.csv");
        CsvPartWriter.Part part;
        try (FileChannel out = newSegment(segment)) {
            part = writePart(segment, out, middle);
        }

        for (boolean gzip : new boolean[] {false, true}) {
            Path mixed;
            try (CsvResultWriter writer = new CsvResultWriter(dir.resolve("mixed-" + gzip + ".csv"), gzip);
                    FileChannel in = FileChannel.open(segment, StandardOpenOption.READ)) {
                writer.begin(ALL_KINDS);
                for (Object[] row : before) {
                    writer.row(row);
                }
                appendPart(writer, in, segment, part, part.crc32c());
                for (Object[] row : after) {
                    writer.row(row);
                }
                assertEquals(before.size() + middle.size() + after.size(), writer.rowCount());
                mixed = writer.commit(List.of());
            }
            byte[] expected = Files.readAllBytes(writeRows("direct-" + gzip + ".csv", false,
                    concat(concat(before, middle), after)));
            assertArrayEquals(expected, gzip ? gunzip(mixed) : Files.readAllBytes(mixed), "gzip " + gzip);
        }
    }

    @Test
    void anEmptyPartAddsNothing() throws IOException {
        Path segment = dir.resolve("s1-w1.csv");
        CsvPartWriter.Part empty;
        try (FileChannel out = newSegment(segment)) {
            empty = writePart(segment, out, List.of());
        }

        assertEquals(new CsvPartWriter.Part(0, 0, crc32c(new byte[0]), 0), empty);
        assertArrayEquals(Files.readAllBytes(writeRows("direct.csv", false, List.of())),
                Files.readAllBytes(assemble("assembled.csv", false, segment, List.of(empty))));
    }

    @Test
    void aValueOfTheWrongTypeIsRejectedNamingTheColumnAndLeavesNothingInTheSegment() throws IOException {
        List<Column> columns = List.of(Rows.column("firm_name", ColumnKind.TEXT));
        Path segment = dir.resolve("s1-w1.csv");
        try (FileChannel out = newSegment(segment)) {
            try (CsvPartWriter part = new CsvPartWriter(segment, out, new CsvRecords(columns))) {
                part.row(Rows.row("a"));
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> part.row(Rows.row(123L)));
                assertTrue(e.getMessage().contains("firm_name"), e.getMessage());
            }
            assertEquals(0, Files.size(segment));
        }
    }
}
