package dev.firmquery.cli;

import dev.firmquery.demo.DemoData;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.testing.AuditLines;
import dev.firmquery.testing.CliHarness;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code firmquery run --query A --query B ... --ids FILE} against a real PostgreSQL with the demo data:
 * each job writes what a run of its query alone writes, byte for byte; the command ends with the worst
 * job's status; a mistake in any query or value is refused before the IDs are read or the database is
 * reached.
 */
class SeveralQueriesRunTest {
    private static final int FIRMS = 100_000;
    private static final int UNKNOWN = 1_000;
    private static final long SEED = 12;
    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;

    private CliHarness cli;

    @BeforeAll
    static void database() {
        db = TestPostgres.demoDatabase(FIRMS, SEED);
    }

    @BeforeEach
    void harness() {
        // The files are named after their query, so a job's files and a single run's can be paired by name.
        cli = CliHarness.on(db, tmp).with("FIRMQUERY_OUTPUT_FILENAME_PATTERN", "{query}")
                .with("FIRMQUERY_PROCESSING_MAX_RETRIES", "0");
    }

    /** Every demo firm, then {@value #UNKNOWN} IDs no firm has (the missing lists are not empty). */
    private Path ids() throws IOException {
        return CliHarness.idFile(tmp.resolve("ids.csv"), LongStream.concat(
                IntStream.range(0, FIRMS).mapToLong(DemoData::firmId), LongStream.range(0, UNKNOWN).map(i -> 9_000_000_000L + i)));
    }

    private Path founded() throws IOException {
        return Files.writeString(tmp.resolve("founded.sql"), """
                -- Firms founded since a date
                -- @param since date = 1990-01-01   Founded on or after this date
                SELECT f.firm_root_id, f.founded_on, f.country_code FROM firm f
                WHERE f.founded_on >= {since} AND f.firm_root_id IN ({ID_PLACEHOLDER})
                ORDER BY f.firm_root_id
                """);
    }

    private Path broken() throws IOException {
        return Files.writeString(tmp.resolve("broken.sql"), """
                -- Fails in every chunk: division by zero (SQLState 22012)
                SELECT f.firm_root_id, 1 / (f.firm_root_id - f.firm_root_id) AS x FROM firm f
                WHERE f.firm_root_id IN ({ID_PLACEHOLDER})
                """);
    }

    /** The result and ID-list files of a folder by name (the run's work folder and reports left out). */
    private static Map<String, byte[]> files(Path out) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        for (Path p : CliHarness.resultFiles(out)) {
            files.put(p.getFileName().toString(), Files.readAllBytes(p));
        }
        return files;
    }

    @Test
    void eachJobWritesWhatARunOfItsQueryAloneWritesByteForByte() throws Exception {
        Path ids = ids();
        String founded = founded().toString();
        Path batch = tmp.resolve("batch");
        assertEquals(ExitCode.COMPLETED, cli.firmquery("run", "--ids", ids.toString(), "--query", "firm_names",
                "--query", "firm_details", "--query", founded, "--param", "since=2000-01-01",
                "--format", "csv,jsonl", "--out", batch.toString()), cli.both());
        String summary = cli.stdout();

        Path alone = tmp.resolve("alone");
        for (List<String> job : List.of(List.of("--query", "firm_names"), List.of("--query", "firm_details"),
                List.of("--query", founded, "--param", "since=2000-01-01"))) {
            List<String> args = new java.util.ArrayList<>(List.of("run", "--ids", ids.toString(), "--format",
                    "csv,jsonl", "--out", alone.toString()));
            args.addAll(job);
            assertEquals(ExitCode.COMPLETED, cli.firmquery(args.toArray(String[]::new)), cli.both());
        }

        Map<String, byte[]> expected = files(alone);
        Map<String, byte[]> actual = files(batch);
        assertEquals(expected.keySet(), actual.keySet());
        assertTrue(expected.keySet().containsAll(List.of("firm_names.csv", "firm_names_missing.csv",
                "firm_details.jsonl", "founded.csv", "founded_missing.csv")), expected.keySet().toString());
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name), actual.get(name), name);
        }
        assertTrue(Files.readString(batch.resolve("firm_names_missing.csv")).contains("9000000999"));
        assertTrue(summary.contains("firmquery: 3 jobs over " + ids + ", completed (0)\n"), summary);
        assertTrue(summary.contains("  job 1/3 firm_names: completed, completed (0), "), summary);
        assertTrue(summary.contains("  job 3/3 " + founded + ": completed, completed (0), "), summary);

        Path combined;
        try (Stream<Path> s = Files.list(batch)) {
            combined = s.filter(p -> p.getFileName().toString().matches("batch_\\d{8}_\\d{6}_report\\.json"))
                    .findFirst().orElseThrow(() -> new AssertionError("no combined report: " + summary));
        }
        assertTrue(summary.contains("  report   " + combined + "\n"), summary);
        com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(combined.toFile());
        assertEquals(0, report.path("exit_code").asInt());
        assertEquals(3, report.path("jobs").size());
        assertEquals(batch.resolve("firm_names_report.json").toString(), report.path("jobs").get(0).path("report").asText());
        assertEquals("completed", report.path("jobs").get(2).path("outcome").asText());
    }

    @Test
    void aBatchFileRunsEachJobAsARunOfItsQueryAloneWould() throws Exception {
        Path ids = ids();
        founded();
        Path alone = tmp.resolve("alone");
        assertEquals(ExitCode.COMPLETED, cli.firmquery("run", "--ids", ids.toString(), "--query", "firm_details",
                "--format", "csv", "--out", alone.toString()), cli.both());
        assertEquals(ExitCode.COMPLETED, cli.firmquery("run", "--ids", ids.toString(), "--query",
                tmp.resolve("founded.sql").toString(), "--param", "since=2010-06-30", "--format", "csv", "--out",
                alone.toString()), cli.both());
        Files.writeString(tmp.resolve("some.csv"), "firm_root_id\n" + DemoData.firmId(7) + "\n9000000001\n");
        assertEquals(ExitCode.COMPLETED, cli.firmquery("run", "--ids", tmp.resolve("some.csv").toString(), "--query",
                "firm_names", "--format", "csv", "--out", alone.toString()), cli.both());

        Path batch = Files.writeString(tmp.resolve("jobs.yaml"), """
                # relative to this file's folder
                ids: ids.csv
                out: batch
                format: csv
                jobs:
                  - query: firm_details
                  - query: founded.sql
                    name: since_{query}
                    params:
                      since: 2010-06-30
                  - query: firm_names
                    ids: some.csv
                """);
        assertEquals(ExitCode.COMPLETED, cli.firmquery("batch", batch.toString()), cli.both());

        Map<String, byte[]> expected = files(alone);
        Map<String, byte[]> actual = files(tmp.resolve("batch"));
        assertEquals(expected.keySet().stream().map(n -> n.startsWith("founded") ? "since_" + n : n).toList(),
                List.copyOf(actual.keySet()).stream().sorted(java.util.Comparator.comparing(
                        n -> n.startsWith("since_") ? n.substring(6) : n)).toList());
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name), actual.get(name.startsWith("founded") ? "since_" + name : name), name);
        }
        assertTrue(cli.stdout().contains("firmquery: 3 jobs over " + batch + ", completed (0)\n"), cli.stdout());
        assertTrue(cli.stdout().contains("  job 2/3 " + tmp.resolve("founded.sql") + ": completed, completed (0), " + tmp.resolve("batch/since_founded.csv")), cli.stdout());
    }

    @Test
    void aBadBatchFileIsRefusedWithItsFileAndLineBeforeAnythingRuns() throws Exception {
        Path batch = Files.writeString(tmp.resolve("bad.yaml"), """
                ids: ids.csv
                out: never
                jobs:
                  - query: firm_names
                    parms:
                      since: 2020-01-01
                  - query: no_such_query
                """);
        assertEquals(ExitCode.USAGE, cli.firmquery("batch", batch.toString()), cli.both());
        assertTrue(cli.stderr().contains(batch + ":5: unknown key 'parms'; did you mean 'params'?"), cli.stderr());
        assertFalse(Files.exists(tmp.resolve("never")));

        Path unknown = Files.writeString(tmp.resolve("unknown.yaml"), """
                ids: ids.csv
                out: never
                jobs:
                  - query: firm_names
                  - query: no_such_query
                """);
        assertEquals(ExitCode.USAGE, cli.firmquery("batch", unknown.toString()), cli.both());
        assertTrue(cli.stderr().contains(unknown + ":5: no_such_query: "), cli.stderr());
        assertFalse(Files.exists(tmp.resolve("never")));
    }

    @Test
    void theCommandEndsWithTheWorstJobsStatusAndRunsTheJobsAfterAFailedOne() throws Exception {
        Path out = tmp.resolve("worst");
        try (AuditLines audit = AuditLines.capture()) {
            ExitCode code = cli.firmquery("run", "--ids", ids().toString(), "--query", broken().toString(),
                    "--query", "firm_names", "--format", "csv", "--out", out.toString());
            assertEquals(ExitCode.PARTIAL, code, cli.both());
            assertEquals(2, audit.lines().stream().filter(l -> l.has("outcome")).count(), audit.lines().toString());
        }
        String summary = cli.stdout();
        assertTrue(summary.contains("firmquery: 2 jobs over "), summary);
        assertTrue(summary.contains(", partial (1)\n"), summary);
        try (Stream<Path> s = Files.list(out)) {
            Path combined = s.filter(p -> p.getFileName().toString().startsWith("batch_")).findFirst().orElseThrow();
            assertEquals(1, new com.fasterxml.jackson.databind.ObjectMapper().readTree(combined.toFile())
                    .path("exit_code").asInt(), "the worst job's");
        }
        assertTrue(summary.contains("  job 2/2 firm_names: completed, completed (0), "), summary);
        assertEquals(FIRMS + 1, Files.readAllLines(out.resolve("firm_names.csv")).size());
    }

    @Test
    void aQueryThatCannotBeLoadedStopsTheCommandBeforeTheIdsAreRead() throws Exception {
        Path out = tmp.resolve("refused");
        ExitCode code = cli.firmquery("run", "--ids", tmp.resolve("absent.csv").toString(), "--query", "firm_names",
                "--query", "no_such_query", "--out", out.toString());
        assertEquals(ExitCode.USAGE, code, cli.both());
        assertTrue(cli.stderr().contains("no_such_query"), cli.stderr());
        assertFalse(cli.stderr().contains("absent.csv"), "the IDs are read after the queries: " + cli.stderr());
        assertFalse(Files.exists(out), "nothing is written");
    }

    @Test
    void aParameterNoQueryDeclaresIsRefused() throws Exception {
        ExitCode code = cli.firmquery("run", "--ids", ids().toString(), "--query", "firm_names", "--query",
                founded().toString(), "--param", "sinse=2000-01-01", "--out", tmp.resolve("p").toString());
        assertEquals(ExitCode.USAGE, code, cli.both());
        assertTrue(cli.stderr().contains("--param sinse: no query of firm_names, "), cli.stderr());
    }

    @Test
    void aQueryNamedTwiceIsRefused() throws Exception {
        ExitCode code = cli.firmquery("run", "--ids", ids().toString(), "--query", "firm_names", "--query", "firm_names");
        assertEquals(ExitCode.USAGE, code, cli.both());
        assertTrue(cli.stderr().contains("a query is named twice"), cli.stderr());
    }

    @Test
    void severalQueriesCannotBeResumedTogether() {
        ExitCode code = cli.firmquery("run", "--resume", tmp.toString(), "--query", "firm_names", "--query", "firm_details");
        assertEquals(ExitCode.USAGE, code, cli.both());
        assertTrue(cli.stderr().contains("Several queries resume as a whole with firmquery batch --resume"), cli.stderr());
    }
}
