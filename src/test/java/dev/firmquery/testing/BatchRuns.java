package dev.firmquery.testing;

import dev.firmquery.exit.ExitCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The steps the batch specs share, whether the jobs were started by {@code firmquery batch}, {@code firmquery
 * run --query A --query B} or the UI's marked queries: finding the batch record in an output folder, going on
 * with {@code firmquery batch --resume}, and comparing the jobs' files byte for byte with those of each query
 * run alone. Every run here uses chunks of 10 IDs, as the specs start their jobs with, so that the files of a
 * resumed job and of a run alone are cut the same.
 */
public final class BatchRuns {
    /** The chunk size the specs' jobs and the runs alone share. */
    public static final String CHUNK_SIZE = "processing.chunk_size=10";

    private BatchRuns() {
    }

    /** The batch records ({@code batch-*} folders) in {@code out}'s work folder; none if it has no work folder. */
    public static List<Path> records(Path out) throws IOException {
        Path work = out.resolve(".firmquery");
        if (!Files.isDirectory(work)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(work)) {
            return s.filter(d -> d.getFileName().toString().startsWith("batch-")).toList();
        }
    }

    /** The one batch record in {@code out}'s work folder; fails if there is not exactly one. */
    public static Path record(Path out) throws IOException {
        List<Path> records = records(out);
        assertEquals(1, records.size(), "one batch record: " + records);
        return records.get(0);
    }

    /**
     * Runs {@code firmquery batch --resume record} with chunks of 10 and asserts that it completes and, every
     * job having ended, deletes the record; {@code cli}'s output tells the rest.
     */
    public static void resume(CliHarness cli, Map<String, String> env, Path record) {
        assertEquals(ExitCode.COMPLETED, cli.run(env, "batch", "--resume", record.toString(), "--set", CHUNK_SIZE),
                cli.both());
        assertFalse(Files.exists(record), "the record of jobs that all ended is deleted");
    }

    /**
     * Runs each of {@code queries} alone over {@code ids} into {@code alone} (CSV, chunks of 10) and asserts
     * that {@code out} holds the same files, byte for byte, as those runs together (reports aside: they name
     * their run).
     */
    public static void assertFilesOfSeparateRuns(CliHarness cli, Map<String, String> env, Path ids,
                                                 List<String> queries, Path alone, Path out) throws IOException {
        for (String query : queries) {
            assertEquals(ExitCode.COMPLETED, cli.run(env, "run", "--ids", ids.toString(), "--query", query,
                    "--format", "csv", "--out", alone.toString(), "--set", CHUNK_SIZE), cli.both());
        }
        Map<String, byte[]> expected = files(alone);
        Map<String, byte[]> actual = files(out);
        assertEquals(expected.keySet(), actual.keySet());
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name), actual.get(name), name);
        }
    }

    /** The regular files directly in {@code out} but the run reports ({@code *_report.json}), by name. */
    private static Map<String, byte[]> files(Path out) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(out)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String name = p.getFileName().toString();
                if (!name.endsWith("_report.json")) {
                    files.put(name, Files.readAllBytes(p));
                }
            }
        }
        return files;
    }
}
