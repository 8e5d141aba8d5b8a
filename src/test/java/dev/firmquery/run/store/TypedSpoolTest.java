package dev.firmquery.run.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.firmquery.export.Column;
import dev.firmquery.export.ColumnKind;
import dev.firmquery.export.Rows;
import java.io.EOFException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The typed spool (for the XLSX): its round trip, its checks, and spools appended to a shared segment. */
class TypedSpoolTest {

    @TempDir
    Path dir;

    private List<Object[]> write(Path file, List<Column> columns, List<Object[]> rows)
            throws IOException {
        try (TypedSpoolWriter writer = TypedSpoolWriter.open(file, columns)) {
            for (Object[] row : rows) {
                writer.row(row);
            }
            assertEquals(rows.size(), writer.finish());
        }
        return rows;
    }

    private List<Object[]> readAll(Path file) throws IOException {
        List<Object[]> rows = new ArrayList<>();
        try (TypedSpoolReader reader = TypedSpoolReader.open(file)) {
            Object[] row = new Object[reader.columns().size()];
            while (reader.next(row)) {
                rows.add(row.clone());
            }
            assertEquals(rows.size(), reader.rowsRead());
        }
        return rows;
    }

    private static List<Object[]> randomRows(long seed, List<Column> columns, int count) {
        Rows.RandomValues random = new Rows.RandomValues(seed, 0.15);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(random.row(columns));
        }
        return rows;
    }

    private static void assertSameRows(List<Object[]> expected, List<Object[]> actual) {
        assertEquals(expected.size(), actual.size(), "row count");
        for (int i = 0; i < expected.size(); i++) {
            // Object.equals per value: BigDecimal keeps its scale, doubles compare bit patterns.
            assertArrayEquals(expected.get(i), actual.get(i), "row " + i);
        }
    }

    @Test
    void roundTripsSeededRandomRowsOfEveryKindIncludingNullsAndEdgeValues() throws IOException {
        List<Column> columns = Rows.allKinds();
        Path file = dir.resolve("chunk-1.spool");
        List<Object[]> rows = write(file, columns, randomRows(20_240_601L, columns, 3_000));

        assertSameRows(rows, readAll(file));
    }

    @Test
    void keepsColumnLabelsTypeNamesAndKindsInTheHeader() throws IOException {
        List<Column> columns = List.of(new Column("firm_root_id", "int8", ColumnKind.INTEGER),
                new Column("naïve label, with comma", null, ColumnKind.TEXT));
        Path file = dir.resolve("header.spool");
        write(file, columns, List.of());

        try (TypedSpoolReader reader = TypedSpoolReader.open(file)) {
            assertEquals(columns, reader.columns());
            assertFalse(reader.next(new Object[2]));
        }
    }

    @Test
    void roundTripsStringsLargerThanTheBufferAndThanWriteUtfAllows() throws IOException {
        Rows.RandomValues random = new Rows.RandomValues(7, 0);
        List<Column> columns = List.of(Rows.column("id", ColumnKind.INTEGER),
                Rows.column("body", ColumnKind.TEXT));
        List<Object[]> rows = List.of(
                Rows.row(1L, "x".repeat(65_536)),
                Rows.row(2L, random.text(70_000)),
                Rows.row(3L, "中".repeat(30_000)),
                Rows.row(4L, "😀".repeat(50_000)),
                Rows.row(5L, random.text(300_000)),
                Rows.row(6L, "short"));
        Path file = dir.resolve("large.spool");
        write(file, columns, rows);

        assertSameRows(rows, readAll(file));
    }

    @Test
    void roundTripsDecimalsBeyondLongRangeWithScale() throws IOException {
        List<Column> columns = List.of(Rows.column("amount", ColumnKind.DECIMAL));
        List<Object[]> rows = List.of(
                Rows.row(new BigDecimal("123456789012345678901234567890.123456789")),
                Rows.row(new BigDecimal("-9223372036854775808")),
                Rows.row(new BigDecimal("9223372036854775808")),
                Rows.row(new BigDecimal("1E+40")),
                Rows.row(new BigDecimal("1.500")));
        Path file = dir.resolve("decimal.spool");
        write(file, columns, rows);

        assertSameRows(rows, readAll(file));
    }

    @Test
    void reusesTheCallersRowArrayAndOverwritesStaleValuesWithNull() throws IOException {
        List<Column> columns = List.of(Rows.column("a", ColumnKind.TEXT),
                Rows.column("b", ColumnKind.INTEGER));
        Path file = dir.resolve("reuse.spool");
        write(file, columns, List.of(Rows.row("x", 1L), Rows.row(null, null)));

        try (TypedSpoolReader reader = TypedSpoolReader.open(file)) {
            Object[] row = new Object[2];
            assertTrue(reader.next(row));
            assertTrue(reader.next(row));
            assertNull(row[0]);
            assertNull(row[1]);
            assertFalse(reader.next(row));
        }
    }

    @Test
    void detectsTruncationAtEveryCutPointAndNamesTheFile() throws IOException {
        List<Column> columns = Rows.allKinds();
        Path file = dir.resolve("whole.spool");
        write(file, columns, randomRows(99, columns, 12));
        byte[] whole = Files.readAllBytes(file);

        for (int length = 0; length < whole.length; length++) {
            Path cut = dir.resolve("cut-" + length + ".spool");
            Files.write(cut, Arrays.copyOf(whole, length));
            IOException e = assertThrows(IOException.class, () -> TypedSpoolReader.verify(cut),
                    "a spool cut to " + length + " of " + whole.length + " bytes");
            assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("corrupt"),
                    e.getMessage());
        }
    }

    @Test
    void reportsAFileCutAfterTheRowsAsTruncated() throws IOException {
        List<Column> columns = List.of(Rows.column("id", ColumnKind.INTEGER));
        Path file = dir.resolve("rows-only.spool");
        write(file, columns, List.of(Rows.row(1L), Rows.row(2L)));
        byte[] whole = Files.readAllBytes(file);
        // Drop the trailer: end marker, row count and checksum.
        Files.write(file, Arrays.copyOf(whole, whole.length - 13));

        EOFException e = assertThrows(EOFException.class, () -> TypedSpoolReader.verify(file));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void detectsAFlippedByteAnywhereInTheFile() throws IOException {
        List<Column> columns = Rows.allKinds();
        Path file = dir.resolve("flip.spool");
        write(file, columns, randomRows(5, columns, 8));
        byte[] whole = Files.readAllBytes(file);

        for (int i = 0; i < whole.length; i++) {
            byte[] damaged = whole.clone();
            damaged[i] ^= 0x10;
            Path bad = dir.resolve("flip-" + i + ".spool");
            Files.write(bad, damaged);
            assertThrows(IOException.class, () -> TypedSpoolReader.verify(bad),
                    "flipped byte " + i + " of " + whole.length);
        }
    }

    @Test
    void verifyReturnsTheRowCountOfAnIntactSpool() throws IOException {
        List<Column> columns = Rows.allKinds();
        Path file = dir.resolve("ok.spool");
        write(file, columns, randomRows(11, columns, 321));

        assertEquals(321, TypedSpoolReader.verify(file));
    }

    @Test
    void rejectsAFileThatIsNotASpool() throws IOException {
        Path file = dir.resolve("not-a-spool.csv");
        Files.writeString(file, "firm_root_id\r\n1\r\n2\r\n3\r\n4\r\n5\r\n6\r\n");

        IOException e = assertThrows(IOException.class, () -> TypedSpoolReader.open(file));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void abortDeletesTheFile() throws IOException {
        Path file = dir.resolve("aborted.spool");
        TypedSpoolWriter writer = TypedSpoolWriter.open(file, Rows.allKinds());
        writer.row(new Rows.RandomValues(1, 0).row(Rows.allKinds()));
        writer.abort();

        assertFalse(Files.exists(file));
    }

    @Test
    void closingWithoutFinishDeletesTheFile() throws IOException {
        Path file = dir.resolve("unfinished.spool");
        try (TypedSpoolWriter writer = TypedSpoolWriter.open(file, Rows.allKinds())) {
            writer.row(new Object[Rows.allKinds().size()]);
        }

        assertFalse(Files.exists(file));
    }

    @Test
    void finishWithFsyncProducesTheSameReadableFile() throws IOException {
        List<Column> columns = List.of(Rows.column("id", ColumnKind.INTEGER));
        Path file = dir.resolve("synced.spool");
        try (TypedSpoolWriter writer = TypedSpoolWriter.open(file, columns)) {
            writer.row(Rows.row(42L));
            writer.finish(true);
        }

        assertSameRows(List.<Object[]>of(Rows.row(42L)), readAll(file));
    }

    @Test
    void spoolFilesAreReadableByTheOwnerOnly() throws IOException {
        Path file = dir.resolve("private.spool");
        write(file, Rows.allKinds(), List.of());

        assertEquals("rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void rejectsAValueOfTheWrongTypeNamingTheColumn() throws IOException {
        Path file = dir.resolve("mismatch.spool");
        try (TypedSpoolWriter writer = TypedSpoolWriter.open(file,
                List.of(Rows.column("firm_root_id", ColumnKind.INTEGER)))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> writer.row(Rows.row("123")));
            assertTrue(e.getMessage().contains("firm_root_id"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ColumnKind.class)
    void rejectsAValueOfTheWrongTypeForEveryKind(ColumnKind kind) throws IOException {
        Path file = dir.resolve(kind + ".spool");
        try (TypedSpoolWriter writer = TypedSpoolWriter.open(file, List.of(Rows.column("the_column", kind)))) {
            // No kind is carried as a Character.
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> writer.row(Rows.row('x')));
            assertTrue(e.getMessage().contains("'the_column'"), e.getMessage());
            assertTrue(e.getMessage().contains("got a java.lang.Character"), e.getMessage());
        }
    }
    // ---------------------------------------------------------------------------------------------
    // Spools appended to a shared segment (one file per worker, a byte range per chunk)

    /** Where one appended spool lies in its segment. */
    private record Range(long offset, long length) {
        long end() {
            return offset + length;
        }
    }

    private static FileChannel newSegment(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    private static Range append(Path file, FileChannel segment, List<Column> columns, List<Object[]> rows)
            throws IOException {
        TypedSpoolWriter writer = TypedSpoolWriter.append(file, segment, columns);
        for (Object[] row : rows) {
            writer.row(row);
        }
        assertEquals(rows.size(), writer.finish());
        assertTrue(segment.isOpen(), "finish leaves the caller's segment open");
        return new Range(writer.start(), segment.position() - writer.start());
    }

    private List<Object[]> readRange(Path file, Range range) throws IOException {
        List<Object[]> rows = new ArrayList<>();
        try (TypedSpoolReader reader = TypedSpoolReader.open(file, range.offset(), range.length())) {
            Object[] row = new Object[reader.columns().size()];
            while (reader.next(row)) {
                rows.add(row.clone());
            }
        }
        return rows;
    }

    @Test
    void twoSpoolsAppendedToOneSegmentReadBackExactlyByTheirRanges() throws IOException {
        List<Column> columns = Rows.allKinds();
        List<Object[]> first = randomRows(31, columns, 1_500);
        List<Object[]> second = randomRows(32, columns, 40);
        Path segment = dir.resolve("s1-w1.typed");
        Range a;
        Range b;
        try (FileChannel out = newSegment(segment)) {
            a = append(segment, out, columns, first);
            b = append(segment, out, columns, second);
        }

        assertEquals(0, a.offset());
        assertEquals(a.end(), b.offset(), "the second spool starts where the first ends");
        assertEquals(b.end(), Files.size(segment));
        assertSameRows(first, readRange(segment, a));
        assertSameRows(second, readRange(segment, b));
        assertEquals(first.size(), TypedSpoolReader.verify(segment, a.offset(), a.length()));
        assertEquals(second.size(), TypedSpoolReader.verify(segment, b.offset(), b.length()));
    }

    @Test
    void spoolsWithDifferentColumnsShareASegment() throws IOException {
        List<Column> ids = List.of(Rows.column("id", ColumnKind.INTEGER));
        List<Column> all = Rows.allKinds();
        Path segment = dir.resolve("s1-w1.typed");
        Range a;
        Range b;
        try (FileChannel out = newSegment(segment)) {
            a = append(segment, out, ids, List.<Object[]>of(Rows.row(1L), Rows.row(2L)));
            b = append(segment, out, all, randomRows(33, all, 5));
        }

        try (TypedSpoolReader reader = TypedSpoolReader.open(segment, b.offset(), b.length())) {
            assertEquals(all, reader.columns());
        }
        assertSameRows(List.<Object[]>of(Rows.row(1L), Rows.row(2L)), readRange(segment, a));
    }

    @Test
    void abortingTheSecondSpoolCutsTheSegmentBackToItsStartAndTheFirstStillVerifies() throws IOException {
        List<Column> columns = Rows.allKinds();
        List<Object[]> first = randomRows(34, columns, 300);
        Path segment = dir.resolve("s1-w1.typed");
        try (FileChannel out = newSegment(segment)) {
            Range a = append(segment, out, columns, first);
            TypedSpoolWriter second = TypedSpoolWriter.append(segment, out, columns);
            for (Object[] row : randomRows(35, columns, 3_000)) { // several buffers reach the segment
                second.row(row);
            }
            assertTrue(Files.size(segment) > a.end(), "precondition: the aborted spool wrote bytes");

            second.abort();
            second.abort(); // idempotent

            assertEquals(a.end(), Files.size(segment));
            assertEquals(a.end(), out.position(), "the next spool is appended where the first ends");
            assertTrue(out.isOpen(), "abort leaves the caller's segment open");
            assertEquals(first.size(), TypedSpoolReader.verify(segment, a.offset(), a.length()));

            Range c = append(segment, out, columns, List.<Object[]>of(Rows.row(new Object[columns.size()])));
            assertEquals(a.end(), c.offset());
            assertEquals(1, TypedSpoolReader.verify(segment, c.offset(), c.length()));
        }
        assertTrue(Files.exists(segment), "abort never deletes the caller's segment");
    }

    @Test
    void closingAnUnfinishedAppendedSpoolCutsTheSegmentBackButAFinishedOneStays() throws IOException {
        List<Column> columns = List.of(Rows.column("id", ColumnKind.INTEGER));
        Path segment = dir.resolve("s1-w1.typed");
        try (FileChannel out = newSegment(segment)) {
            Range a = append(segment, out, columns, List.<Object[]>of(Rows.row(7L))); // finished; close is a no-op
            try (TypedSpoolWriter unfinished = TypedSpoolWriter.append(segment, out, columns)) {
                unfinished.row(Rows.row(8L));
            }

            assertEquals(a.end(), Files.size(segment));
            assertEquals(1, TypedSpoolReader.verify(segment, a.offset(), a.length()));
        }
    }

    @Test
    void aRangeIsReadWithoutLookingPastItsEndSoAFollowingSpoolDoesNotDisturbIt() throws IOException {
        List<Column> columns = Rows.allKinds();
        Path segment = dir.resolve("s1-w1.typed");
        Range middle;
        List<Object[]> middleRows = randomRows(36, columns, 250);
        try (FileChannel out = newSegment(segment)) {
            append(segment, out, columns, randomRows(37, columns, 10));
            middle = append(segment, out, columns, middleRows);
            append(segment, out, columns, randomRows(38, columns, 2_000));
        }

        assertEquals(middleRows.size(), TypedSpoolReader.verify(segment, middle.offset(), middle.length()));
        assertSameRows(middleRows, readRange(segment, middle));
    }

    @Test
    void aRangeThatRunsIntoTheNextSpoolIsReportedCorrupt() throws IOException {
        List<Column> columns = List.of(Rows.column("id", ColumnKind.INTEGER));
        Path segment = dir.resolve("s1-w1.typed");
        Range first;
        Range second;
        try (FileChannel out = newSegment(segment)) {
            first = append(segment, out, columns, List.<Object[]>of(Rows.row(1L), Rows.row(2L)));
            second = append(segment, out, columns, List.<Object[]>of(Rows.row(3L)));
        }

        IOException e = assertThrows(IOException.class,
                () -> TypedSpoolReader.verify(segment, first.offset(), first.length() + second.length()));
        assertTrue(e.getMessage().contains(segment.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void aRangeCutShortAtEveryPointIsReportedTruncatedOrCorrupt() throws IOException {
        List<Column> columns = Rows.allKinds();
        Path segment = dir.resolve("s1-w1.typed");
        Range second;
        try (FileChannel out = newSegment(segment)) {
            append(segment, out, columns, randomRows(39, columns, 3));
            second = append(segment, out, columns, randomRows(40, columns, 6));
            append(segment, out, columns, randomRows(41, columns, 3));
        }

        for (long length = 0; length < second.length(); length++) {
            long cut = length;
            IOException e = assertThrows(IOException.class, () -> TypedSpoolReader.verify(segment, second.offset(), cut),
                    "the range cut to " + cut + " of " + second.length() + " bytes");
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("corrupt"), e.getMessage());
        }
    }

    @Test
    void aSegmentThatEndsInsideARangeIsReportedTruncated() throws IOException {
        List<Column> columns = Rows.allKinds();
        Path segment = dir.resolve("s1-w1.typed");
        Range first;
        Range second;
        try (FileChannel out = newSegment(segment)) {
            first = append(segment, out, columns, randomRows(42, columns, 20));
            second = append(segment, out, columns, randomRows(43, columns, 20));
            out.truncate(second.offset() + second.length() / 2); // the crash lost the segment's tail
        }

        EOFException e = assertThrows(EOFException.class,
                () -> TypedSpoolReader.verify(segment, second.offset(), second.length()));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains(segment.toString()), e.getMessage());
        assertEquals(20, TypedSpoolReader.verify(segment, first.offset(), first.length()), "the earlier range is intact");
    }

    @Test
    void aRangeThatStartsBeyondTheEndOfTheSegmentIsReportedTruncated() throws IOException {
        List<Column> columns = List.of(Rows.column("id", ColumnKind.INTEGER));
        Path segment = dir.resolve("s1-w1.typed");
        Range a;
        try (FileChannel out = newSegment(segment)) {
            a = append(segment, out, columns, List.<Object[]>of(Rows.row(1L)));
        }

        EOFException e = assertThrows(EOFException.class,
                () -> TypedSpoolReader.verify(segment, a.end() + 100, a.length()));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aFlippedByteInsideARangeIsDetectedAndTheNeighboursStillVerify() throws IOException {
        List<Column> columns = Rows.allKinds();
        Path segment = dir.resolve("s1-w1.typed");
        Range a;
        Range b;
        Range c;
        try (FileChannel out = newSegment(segment)) {
            a = append(segment, out, columns, randomRows(44, columns, 8));
            b = append(segment, out, columns, randomRows(45, columns, 8));
            c = append(segment, out, columns, randomRows(46, columns, 8));
        }
        byte[] whole = Files.readAllBytes(segment);

        for (long i = b.offset(); i < b.end(); i++) {
            byte[] damaged = whole.clone();
            damaged[(int) i] ^= 0x10;
            Files.write(segment, damaged);
            long at = i;
            assertThrows(IOException.class, () -> TypedSpoolReader.verify(segment, b.offset(), b.length()),
                    "flipped byte " + at + " in " + b);
            assertEquals(8, TypedSpoolReader.verify(segment, a.offset(), a.length()));
            assertEquals(8, TypedSpoolReader.verify(segment, c.offset(), c.length()));
        }
    }
}
