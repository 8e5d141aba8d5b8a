package dev.firmquery.cli;

import dev.firmquery.demo.DemoData;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.testing.BatchRuns;
import dev.firmquery.testing.CliHarness;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch whose process is killed (SIGKILL, no chance to write anything more) in its second job, then
 * {@code firmquery batch --resume}: the finished job is not run again, the killed one goes on from its
 * journal, the last one runs, and every file equals what a run of its query alone writes.
 */
class BatchResumeTest {
    private static final int FIRMS = 400;
    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void database() {
        db = TestPostgres.demoDatabase(2_000, 5);
    }

    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(TestConfigs.environment(db));
        env.put("FIRMQUERY_OUTPUT_FILENAME_PATTERN", "{query}");
        env.put("FIRMQUERY_LOGGING_DIRECTORY", tmp.resolve("logs").toString());
        return env;
    }

    @Test
    void aBatchKilledInItsSecondJobResumesWithoutRunningTheFirstAgainAndWritesTheSameFiles() throws Exception {
        Files.writeString(tmp.resolve("ids.csv"), "firm_root_id\n" + Stream.iterate(0, i -> i + 1).limit(FIRMS)
                .map(i -> Long.toString(DemoData.firmId(i))).collect(Collectors.joining("\n")) + "\n9000000001\n");
        // 0.1 s a chunk of 10: the 41 chunks take seconds, so the kill finds the job under way.
        Files.writeString(tmp.resolve("slow.sql"), "SELECT firm_root_id, pg_sleep(0.01) IS NULL AS slept FROM firm"
                + " WHERE firm_root_id IN ({ID_PLACEHOLDER}) ORDER BY firm_root_id\n");
        Path batch = Files.writeString(tmp.resolve("jobs.yaml"), """
                ids: ids.csv
                out: out
                format: csv
                jobs:
                  - query: firm_names
                  - query: slow.sql
                  - query: firm_details
                """);
        Path out = tmp.resolve("out");
        ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dfirmquery.home=" + TestConfigs.home(),
                Main.class.getName(), "batch", batch.toString(), "--set", "processing.chunk_size=10",
                "--set", "processing.thread_count=1");
        pb.environment().putAll(environment());
        pb.redirectOutput(tmp.resolve("stdout.txt").toFile());
        pb.redirectError(tmp.resolve("stderr.txt").toFile());
        Process p = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!slowChunkDone(out) && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(p.isAlive(), "the batch ended before it could be killed: " + read("stderr.txt"));
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        try (Stream<Path> s = Files.list(out)) {
            assertTrue(Files.exists(out.resolve("firm_names_report.json")), "job 1 finished before the kill: "
                    + s.toList() + read("stdout.txt"));
        }
        assertFalse(Files.exists(out.resolve("firm_details.csv")), "job 3 had not started");
        byte[] firstJob = Files.readAllBytes(out.resolve("firm_names_report.json"));
        Path record;
        try (Stream<Path> s = Files.list(out.resolve(".firmquery"))) {
            record = s.filter(d -> d.getFileName().toString().startsWith("batch-")).findFirst().orElseThrow();
        }

        String slowRun;
        try (Stream<Path> s = Files.list(out.resolve(".firmquery"))) {
            slowRun = s.map(d -> d.getFileName().toString()).filter(n -> !n.startsWith("batch-")).findFirst().orElseThrow();
        }

        CliHarness cli = new CliHarness(tmp);
        BatchRuns.resume(cli, environment(), record);
        assertTrue(cli.stdout().contains("  job 1/3 firm_names: completed earlier, not run again (completed (0))"),
                cli.stdout());
        assertArrayEquals(firstJob, Files.readAllBytes(out.resolve("firm_names_report.json")), "job 1 is not run again");
        assertTrue(Files.readString(out.resolve("slow_report.json")).contains("\"" + slowRun + "\""),
                "job 2 went on as its own run " + slowRun + ", not a new one");

        BatchRuns.assertFilesOfSeparateRuns(cli, environment(), tmp.resolve("ids.csv"),
                List.of("firm_names", tmp.resolve("slow.sql").toString(), "firm_details"), tmp.resolve("alone"), out);
    }

    @Test
    void severalQueriesOnTheCommandLineStoppedInTheSecondJobResumeAsAWholeAndWriteTheSameFiles() throws Exception {
        Files.writeString(tmp.resolve("ids.csv"), "firm_root_id\n" + Stream.iterate(0, i -> i + 1).limit(FIRMS)
                .map(i -> Long.toString(DemoData.firmId(i))).collect(Collectors.joining("\n")) + "\n9000000001\n");
        Path slow = Files.writeString(tmp.resolve("slow.sql"), "SELECT firm_root_id, pg_sleep(0.01) IS NULL AS slept"
                + " FROM firm WHERE firm_root_id IN ({ID_PLACEHOLDER}) ORDER BY firm_root_id\n");
        Path out = tmp.resolve("out");
        ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dfirmquery.home=" + TestConfigs.home(),
                Main.class.getName(), "run", "--ids", tmp.resolve("ids.csv").toString(), "--query", "firm_names",
                "--query", slow.toString(), "--query", "firm_details", "--out", out.toString(), "--format", "csv",
                "--set", "processing.chunk_size=10", "--set", "processing.thread_count=1");
        pb.environment().putAll(environment());
        pb.redirectOutput(tmp.resolve("stdout.txt").toFile());
        pb.redirectError(tmp.resolve("stderr.txt").toFile());
        Process p = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!slowChunkDone(out) && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(p.isAlive(), "the jobs ended before they could be stopped: " + read("stderr.txt"));
            p.destroy(); // SIGTERM: the running job is cancelled, the one after it not started
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(ExitCode.INTERRUPTED.code(), p.exitValue(), read("stderr.txt"));
        } finally {
            p.destroyForcibly();
        }
        Path record;
        try (Stream<Path> s = Files.list(out.resolve(".firmquery"))) {
            record = s.filter(d -> d.getFileName().toString().startsWith("batch-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no batch record: " + read("stdout.txt")));
        }
        assertTrue(read("stderr.txt").contains("firmquery: jobs recorded in " + record
                + "; after an interruption: firmquery batch --resume " + record), read("stderr.txt"));
        assertTrue(read("stdout.txt").contains("  job 3/3 firm_details: not run (cancelled)\n"), read("stdout.txt"));
        assertTrue(read("stdout.txt").contains("  resume   firmquery batch --resume " + record + "\n"),
                "the summary ends with the command that goes on:\n" + read("stdout.txt"));
        assertFalse(Files.exists(out.resolve("firm_details.csv")), "job 3 had not started");
        byte[] firstJob = Files.readAllBytes(out.resolve("firm_names_report.json"));

        CliHarness cli = new CliHarness(tmp);
        BatchRuns.resume(cli, environment(), record);
        assertTrue(cli.stdout().contains("firmquery: 3 jobs over " + tmp.resolve("ids.csv") + ", completed (0)\n"),
                cli.stdout());
        assertTrue(cli.stdout().contains("  job 1/3 firm_names: completed earlier, not run again (completed (0))"),
                cli.stdout());
        assertArrayEquals(firstJob, Files.readAllBytes(out.resolve("firm_names_report.json")), "job 1 is not run again");

        BatchRuns.assertFilesOfSeparateRuns(cli, environment(), tmp.resolve("ids.csv"),
                List.of("firm_names", slow.toString(), "firm_details"), tmp.resolve("alone"), out);
    }

    @Test
    void severalQueriesOverStandardInputAreNotRecordedAndSayHowToResumeInstead() throws Exception {
        CliHarness cli = new CliHarness(tmp);
        Path out = tmp.resolve("out");
        assertEquals(ExitCode.COMPLETED, cli.runWithInput(environment(), "firm_root_id\n" + DemoData.firmId(1) + "\n",
                "run", "--ids", "-", "--query", "firm_names", "--query", "firm_details", "--format", "csv", "--out",
                out.toString()), cli.both());
        assertTrue(cli.stderr().contains("standard input, which cannot be read again: these jobs are not recorded"),
                cli.stderr());
        assertFalse(cli.stdout().contains("batch --resume"), cli.stdout());
    }

    @Test
    void aBatchFileEditedSinceTheBatchStartedIsNotResumed() throws Exception {
        Path batch = Files.writeString(tmp.resolve("jobs.yaml"), "ids: ids.csv\njobs:\n  - query: firm_names\n");
        Path record = dev.firmquery.run.store.BatchRecord.create(tmp.resolve("out"), "20261203_080000-abcd", batch,
                dev.firmquery.app.BatchFile.read(batch).sha256()).directory();
        Files.writeString(batch, "ids: ids.csv\njobs:\n  - query: firm_details\n");
        CliHarness cli = new CliHarness(tmp);
        assertEquals(ExitCode.USAGE, cli.run(environment(), "batch", "--resume", record.toString()), cli.both());
        assertTrue(cli.stderr().contains("the batch file " + batch + " changed since the batch started"), cli.stderr());
        assertFalse(Files.exists(tmp.resolve("out/firm_details.csv")));
    }

    /**
     * Whether the slow job's run (its manifest names slow.sql) has journalled two chunks done
     * ("<8-hex CRC> done ...").
     */
    private static boolean slowChunkDone(Path out) throws IOException {
        Path work = out.resolve(".firmquery");
        if (!Files.isDirectory(work)) {
            return false;
        }
        try (Stream<Path> runs = Files.list(work)) {
            for (Path run : runs.toList()) {
                Path journal = run.resolve("journal.log");
                Path manifest = run.resolve("run.properties");
                if (Files.exists(manifest) && Files.readString(manifest).contains("slow.sql")
                        && Files.exists(journal) && Files.readAllLines(journal).stream()
                        .filter(l -> l.length() > 9 && l.substring(9).startsWith("done ")).count() >= 2) {
                    return true;
                }
            }
        }
        return false;
    }

    private String read(String name) {
        try {
            return Files.readString(tmp.resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
