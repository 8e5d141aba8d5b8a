package dev.firmquery.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkSpoolTest {

    @TempDir
    Path dir;

    private List<Object[]> write(Path file, List<Column> columns, List<Object[]> rows)
            throws IOException {
        try (ChunkSpool.Writer writer = ChunkSpool.Writer.open(file, columns)) {
            for (Object[] row : rows) {
                writer.row(row);
            }
            assertEquals(rows.size(), writer.finish());
        }
        return rows;
    }

    private List<Object[]> readAll(Path file) throws IOException {
        List<Object[]> rows = new ArrayList<>();
        try (ChunkSpool.Reader reader = ChunkSpool.Reader.open(file)) {
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

        try (ChunkSpool.Reader reader = ChunkSpool.Reader.open(file)) {
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

        try (ChunkSpool.Reader reader = ChunkSpool.Reader.open(file)) {
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
            IOException e = assertThrows(IOException.class, () -> ChunkSpool.verify(cut),
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

        EOFException e = assertThrows(EOFException.class, () -> ChunkSpool.verify(file));
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
            assertThrows(IOException.class, () -> ChunkSpool.verify(bad),
                    "flipped byte " + i + " of " + whole.length);
        }
    }

    @Test
    void verifyReturnsTheRowCountOfAnIntactSpool() throws IOException {
        List<Column> columns = Rows.allKinds();
        Path file = dir.resolve("ok.spool");
        write(file, columns, randomRows(11, columns, 321));

        assertEquals(321, ChunkSpool.verify(file));
    }

    @Test
    void rejectsAFileThatIsNotASpool() throws IOException {
        Path file = dir.resolve("not-a-spool.csv");
        Files.writeString(file, "firm_root_id\r\n1\r\n2\r\n3\r\n4\r\n5\r\n6\r\n");

        IOException e = assertThrows(IOException.class, () -> ChunkSpool.Reader.open(file));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void abortDeletesTheFile() throws IOException {
        Path file = dir.resolve("aborted.spool");
        ChunkSpool.Writer writer = ChunkSpool.Writer.open(file, Rows.allKinds());
        writer.row(new Rows.RandomValues(1, 0).row(Rows.allKinds()));
        writer.abort();

        assertFalse(Files.exists(file));
    }

    @Test
    void closingWithoutFinishDeletesTheFile() throws IOException {
        Path file = dir.resolve("unfinished.spool");
        try (ChunkSpool.Writer writer = ChunkSpool.Writer.open(file, Rows.allKinds())) {
            writer.row(new Object[Rows.allKinds().size()]);
        }

        assertFalse(Files.exists(file));
    }

    @Test
    void finishWithFsyncProducesTheSameReadableFile() throws IOException {
        List<Column> columns = List.of(Rows.column("id", ColumnKind.INTEGER));
        Path file = dir.resolve("synced.spool");
        try (ChunkSpool.Writer writer = ChunkSpool.Writer.open(file, columns)) {
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
        try (ChunkSpool.Writer writer = ChunkSpool.Writer.open(file,
                List.of(Rows.column("firm_root_id", ColumnKind.INTEGER)))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> writer.row(Rows.row("123")));
            assertTrue(e.getMessage().contains("firm_root_id"), e.getMessage());
        }
    }
}
