package dev.firmquery.cli;

import dev.firmquery.demo.DemoData;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.testing.CliHarness;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chunks sent several to a round trip ({@code processing.chunks_per_round_trip}) give the files that
 * chunks sent one by one give, byte for byte, on a real PostgreSQL through {@code firmquery run}:
 * whatever the ID binding and output formats, when a chunk returns more rows than a group takes back
 * (it runs again on its own), and when a chunk in the middle of a group fails (only it fails).
 */
@DisplayName("Several chunks per round trip")
class ChunksPerRoundTripTest {
    private static final int FIRMS = 3_000;
    /** Not in the demo data: the missing list must come out the same too. */
    private static final long ABSENT = 9_000_000_001L;
    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;
    private CliHarness cli;
    private Path ids;

    @BeforeAll
    static void database() {
        db = TestPostgres.demoDatabase(100_000, 12);
    }

    @BeforeEach
    void harness() throws Exception {
        cli = CliHarness.on(db, tmp).with("FIRMQUERY_OUTPUT_FILENAME_PATTERN", "{query}")
                .with("FIRMQUERY_PROCESSING_CHUNK_SIZE", "40");
        ids = CliHarness.idFile(tmp.resolve("ids.csv"), LongStream.concat(
                IntStream.range(0, FIRMS).mapToLong(DemoData::firmId), LongStream.of(ABSENT)));
    }

    /** Runs {@code query} once per group size; the output folder of each is {@code <label>-<size>}. */
    private Path run(String label, String query, String format, ExitCode expected, CliHarness with, int size)
            throws Exception {
        Path out = tmp.resolve(label + "-" + size);
        assertEquals(expected, with.with("FIRMQUERY_PROCESSING_CHUNKS_PER_ROUND_TRIP", Integer.toString(size))
                .firmquery("run", "--ids", ids.toString(), "--query", query, "--format", format,
                        "--out", out.toString()), with.both());
        return out;
    }

    /** The files named {@code base} + each suffix are the same, byte for byte, in every folder. */
    private static void sameFiles(String base, List<String> suffixes, Path... outs) throws Exception {
        for (String suffix : suffixes) {
            byte[] first = Files.readAllBytes(outs[0].resolve(base + suffix));
            for (int i = 1; i < outs.length; i++) {
                assertArrayEquals(first, Files.readAllBytes(outs[i].resolve(base + suffix)), outs[i] + "/" + base
                        + suffix + " differs from " + outs[0]);
            }
        }
    }

    @Test
    @DisplayName("the CSV, the JSONL and the missing list are the same with groups of 1, 3 and 8 chunks")
    void groupsGiveTheFilesOfChunksSentAlone() throws Exception {
        // 76 chunks: groups of 3 and 8 leave a short last group; CSV from the driver's bytes and JSONL typed.
        for (String format : List.of("csv", "csv,jsonl")) {
            Path alone = run(format, "firm_details", format, ExitCode.COMPLETED, cli, 1);
            Path three = run(format, "firm_details", format, ExitCode.COMPLETED, cli, 3);
            Path eight = run(format, "firm_details", format, ExitCode.COMPLETED, cli, 8);
            sameFiles("firm_details", format.equals("csv") ? List.of(".csv", "_missing.csv")
                    : List.of(".csv", ".jsonl", "_missing.csv"), alone, three, eight);
            assertTrue(Files.size(alone.resolve("firm_details.csv")) > 300_000, "rows were written");
            assertTrue(Files.readString(alone.resolve("firm_details_missing.csv")).contains(Long.toString(ABSENT)));
        }
    }

    @Test
    @DisplayName("so are they with the IDs bound as one array or written into the SQL, and a template parameter")
    void groupsGiveTheSameFilesWithEveryBindingAndParameters() throws Exception {
        Path sql = Files.writeString(tmp.resolve("since.sql"), """
                -- Firms founded since a date
                -- @param since date = 1990-01-01   Founded on or after this date
                SELECT f.firm_root_id, f.firm_name, f.founded_on FROM firm f
                WHERE f.founded_on >= {since} AND f.firm_root_id IN ({ID_PLACEHOLDER})
                ORDER BY f.firm_root_id; -- a template may end in its own semicolon and a comment
                """);
        for (String binding : List.of("array", "literal")) {
            CliHarness bound = cli.with("FIRMQUERY_PROCESSING_ID_BINDING", binding)
                    .with("FIRMQUERY_PROCESSING_ID_TYPE", "integer");
            Path alone = run(binding, sql.toString(), "csv", ExitCode.COMPLETED, bound, 1);
            Path eight = run(binding, sql.toString(), "csv", ExitCode.COMPLETED, bound, 8);
            sameFiles("since", List.of(".csv", "_missing.csv"), alone, eight);
            assertTrue(Files.readAllLines(alone.resolve("since.csv")).size() > 100, "rows were written");
        }
    }

    @Test
    @DisplayName("groups of the largest chunks bind more parameters together than one statement may hold")
    void groupsOfTheLargestChunksBindMoreParametersThanOneStatementMay() throws Exception {
        // 4 chunks of 10,000 IDs (chunk_size's most) in one round trip: 40,000 parameters in all, more than
        // the 32,767 one statement may hold; each statement in the batch holds its own.
        ids = CliHarness.idFile(tmp.resolve("many.csv"), IntStream.range(0, 40_000).mapToLong(DemoData::firmId));
        CliHarness large = cli.with("FIRMQUERY_PROCESSING_CHUNK_SIZE", "10000")
                .with("FIRMQUERY_PROCESSING_MAX_QUERY_LENGTH", "1000000");
        Path alone = run("large", "firm_details", "csv", ExitCode.COMPLETED, large, 1);
        Path four = run("large", "firm_details", "csv", ExitCode.COMPLETED, large, 4);
        sameFiles("firm_details", List.of(".csv", "_missing.csv"), alone, four);
    }

    @Test
    @DisplayName("a chunk with more rows than fetch_size runs again on its own: nothing is cut off")
    void aChunkWithMoreRowsThanAGroupTakesBackIsRunAlone() throws Exception {
        // One firm in the middle of a group returns 500 rows, the others one each; a group takes back at most
        // fetch_size (100) rows a chunk, so that chunk is run again on its own and streamed in 6 fetches.
        long many = DemoData.firmId(1_234);
        Path sql = Files.writeString(tmp.resolve("copies.sql"),
                "SELECT f.firm_root_id, n FROM firm f CROSS JOIN generate_series(1, CASE WHEN f.firm_root_id = "
                        + many + " THEN 500 ELSE 1 END) AS n WHERE f.firm_root_id IN ({ID_PLACEHOLDER})"
                        + " ORDER BY f.firm_root_id, n");
        CliHarness small = cli.with("FIRMQUERY_PROCESSING_FETCH_SIZE", "100");
        Path alone = run("copies", sql.toString(), "csv", ExitCode.COMPLETED, small, 1);
        Path eight = run("copies", sql.toString(), "csv", ExitCode.COMPLETED, small, 8);
        sameFiles("copies", List.of(".csv", "_missing.csv"), alone, eight);
        // The header, one row for each of the other firms, 500 for the one.
        assertEquals(1 + (FIRMS - 1) + 500, Files.readAllLines(eight.resolve("copies.csv")).size());
    }

    @Test
    @DisplayName("a chunk that fails in the middle of a group fails alone, with the message it has when sent alone")
    void aFailingChunkInAGroupFailsAlone() throws Exception {
        // Division by zero for one firm: its chunk fails (22012, permanent); the chunks sent with it succeed.
        long bad = DemoData.firmId(1_234);
        Path sql = Files.writeString(tmp.resolve("divide.sql"),
                "SELECT f.firm_root_id, 1 / (f.firm_root_id - " + bad + ") AS x FROM firm f"
                        + " WHERE f.firm_root_id IN ({ID_PLACEHOLDER}) ORDER BY f.firm_root_id");
        Path alone = run("divide", sql.toString(), "csv", ExitCode.PARTIAL, cli, 1);
        Path eight = run("divide", sql.toString(), "csv", ExitCode.PARTIAL, cli, 8);
        sameFiles("divide", List.of(".csv", "_missing.csv"), alone, eight);
        for (Path out : List.of(alone, eight)) {
            String report = Files.readString(out.resolve("divide_report.json"));
            assertTrue(report.contains("\"failed\":1") || report.contains("\"failed\": 1"), report);
            assertTrue(report.contains("22012") && report.contains("retrying cannot help"), report);
        }
    }
}
