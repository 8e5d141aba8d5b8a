package dev.firmquery.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdListWriterTest {

    @TempDir
    Path dir;

    private static List<List<String>> read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.parse(reader, CSVFormat.RFC4180)) {
            List<List<String>> records = new ArrayList<>();
            for (CSVRecord record : parser) {
                records.add(record.toList());
            }
            return records;
        }
    }

    @Test
    void missingListHasTheIdColumnHeaderAndOneIdPerLine() throws IOException {
        Path target = dir.resolve("run_missing.csv");
        try (IdListWriter writer = IdListWriter.missing(target, "firm_root_id",
                OutputFile.OWNER_READ_WRITE)) {
            writer.id(3L);
            writer.id(9_223_372_036_854_775_807L);
            writer.id(1L);
            assertEquals(3, writer.count());
            writer.commit();
        }

        assertEquals("firm_root_id\r\n3\r\n9223372036854775807\r\n1\r\n",
                Files.readString(target));
    }

    @Test
    void missingListQuotesTextIdsWhenNeeded() throws IOException {
        Path target = dir.resolve("run_missing.csv");
        try (IdListWriter writer = IdListWriter.missing(target, "code",
                OutputFile.OWNER_READ_WRITE)) {
            writer.id("A-1");
            writer.id("has,comma");
            writer.commit();
        }

        assertEquals(List.of(List.of("code"), List.of("A-1"), List.of("has,comma")),
                read(target));
    }

    @Test
    void failedListRoundTripsIdChunkAndMultiLineError() throws IOException {
        Path target = dir.resolve("run_failed.csv");
        String error = "ERROR: division by zero\n  Where: SQL statement, \"chunk\" 2";
        try (IdListWriter writer = IdListWriter.failed(target, "firm_root_id",
                OutputFile.OWNER_READ_WRITE)) {
            writer.failed(17L, 2, error);
            writer.failed("X9", 3, "timeout");
            writer.commit();
        }

        assertEquals(List.of(
                List.of("firm_root_id", "chunk", "error"),
                List.of("17", "2", error),
                List.of("X9", "3", "timeout")), read(target));
    }

    @Test
    void rejectsARecordThatDoesNotMatchTheHeader() throws IOException {
        try (IdListWriter writer = IdListWriter.missing(dir.resolve("m.csv"), "id",
                OutputFile.OWNER_READ_WRITE)) {
            assertThrows(IllegalArgumentException.class, () -> writer.failed(1L, 1, "x"));
        }
    }

    @Test
    void closeWithoutCommitLeavesNoFile() throws IOException {
        try (IdListWriter writer = IdListWriter.missing(dir.resolve("m.csv"), "id",
                OutputFile.OWNER_READ_WRITE)) {
            writer.id(1L);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }
}
