package dev.firmquery.cli;

import dev.firmquery.demo.DemoData;
import dev.firmquery.testing.CliHarness;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C and SIGTERM on a real {@code firmquery run} process: the run is cancelled, what finished is
 * written under the final names, and the process exits 130.
 */
class InterruptTest {
    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void database() {
        db = TestPostgres.demoDatabase(2_000, 5);
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"INT", "TERM"})
    void aSignalCancelsTheRunKeepsFinishedChunksAndExits130(String signal) throws Exception {
        Path template = Files.writeString(tmp.resolve("slow.sql"),
                "SELECT firm_root_id, pg_sleep(0.1) IS NULL AS slept FROM firm WHERE firm_root_id IN ({ID_PLACEHOLDER})");
        Path ids = Files.writeString(tmp.resolve("ids.txt"), Stream.iterate(0, i -> i + 1).limit(400)
                .map(i -> Long.toString(DemoData.firmId(i))).collect(Collectors.joining("\n")));
        Path out = tmp.resolve("out");
        ProcessBuilder pb = CliHarness.process(TestConfigs.environment(db), tmp.resolve("logs"), "run", "--ids",
                ids.toString(), "--query", template.toString(), "--out", out.toString(), "--format", "csv",
                "--set", "processing.chunk_size=1");
        pb.redirectOutput(tmp.resolve("stdout.txt").toFile());
        pb.redirectError(tmp.resolve("stderr.txt").toFile());
        Process p = pb.start();
        try {
            // Wait until a chunk is done, so the run is well under way.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!chunkDone(out) && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(p.isAlive(), "the run ended before it could be interrupted: " + read("stderr.txt"));
            Thread.sleep(500);
            new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "firmquery did not stop after SIG" + signal);

            assertEquals(130, p.exitValue(), read("stderr.txt"));
            String stdout = read("stdout.txt");
            assertTrue(stdout.contains("firmquery: cancelled"), stdout);
            assertTrue(read("stderr.txt").contains("SIG" + signal + " received"), read("stderr.txt"));
            List<Path> csv;
            try (Stream<Path> s = Files.list(out)) {
                csv = s.filter(f -> f.getFileName().toString().matches("firm_query_\\d{8}_\\d{6}\\.csv")).toList();
            }
            assertEquals(1, csv.size(), "the result CSV is published under its final name");
            long rows = Files.readAllLines(csv.get(0)).size() - 1;
            assertTrue(rows > 0 && rows < 400, "finished chunks are kept, the rest not run: " + rows + " rows");
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Whether a chunk is journalled done. Waiting only for the run directory to appear raced on a loaded
     * host: the signal could come while the first statement was still being described, leaving no
     * finished chunk to keep.
     */
    private static boolean chunkDone(Path out) throws IOException {
        Path work = out.resolve(".firmquery");
        if (!Files.isDirectory(work)) {
            return false;
        }
        try (Stream<Path> runs = Files.list(work)) {
            for (Path run : runs.toList()) {
                Path journal = run.resolve("journal.log");
                // Journal lines are "<8-hex CRC> <event> ...".
                if (Files.exists(journal) && Files.readAllLines(journal).stream()
                        .anyMatch(l -> l.length() > 9 && l.substring(9).startsWith("done "))) {
                    return true;
                }
            }
        }
        return false;
    }

    private String read(String name) throws IOException {
        return Files.readString(tmp.resolve(name), StandardCharsets.UTF_8);
    }
}
