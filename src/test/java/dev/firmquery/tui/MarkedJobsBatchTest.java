package dev.firmquery.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.demo.DemoData;
import dev.firmquery.testing.BatchRuns;
import dev.firmquery.testing.CliHarness;
import dev.firmquery.testing.RealRunHarness;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static dev.firmquery.tui.ScreenHarness.alt;
import static dev.firmquery.tui.ScreenHarness.ctrl;
import static dev.firmquery.tui.ScreenHarness.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The UI's marked queries over an ID file are recorded as a batch, as {@code firmquery run --query A --query B}
 * records its jobs: cancelled in the second job, {@code firmquery batch --resume DIR} finishes them as a
 * whole, and every file equals what a run of its query alone writes; real engine, real PostgreSQL, 80x24.
 */
class MarkedJobsBatchTest {
    private static final int FIRMS = 2_000;
    private static final long SEED = 23;
    /** 0.5 s a chunk of 10 IDs, 30 chunks on 2 workers: the job is still running when Esc comes. */
    private static final String SLOW = """
            -- Firms, slowly
            SELECT t1.firm_root_id, pg_sleep(0.05) IS NULL AS slept FROM firm t1
            WHERE t1.firm_root_id IN ({ID_PLACEHOLDER}) ORDER BY t1.firm_root_id
            """;

    @TempDir
    Path dir;

    @AutoClose
    private final RealRunHarness runs = new RealRunHarness();
    private RealRunHarness.Session session;
    private ScreenHarness ui;

    /**
     * The UI on the demo database over {@code ids} (null: none chosen), {@code firm_details} chosen, with the slow
     * query in the home's queries; the file names are the query's ({@code {query}}), so that the jobs' files and
     * the separate runs' pair up.
     */
    private void open(Path ids, String... sets) throws IOException {
        Path queries = Files.createDirectories(dir.resolve("home/sql/queries"));
        // Sorted by name between the two built-in queries: the second of three jobs.
        Files.writeString(queries.resolve("firm_exec_slow.sql"), SLOW);
        session = runs.session(TestPostgres.demoDatabase(FIRMS, SEED), dir).home(dir.resolve("home")).ids(ids)
                .query("firm_details").set(sets)
                .env("FIRMQUERY_OUTPUT_FILENAME_PATTERN", "{query}")
                .env("FIRMQUERY_LOGGING_DIRECTORY", dir.resolve("logs").toString());
        ui = session.open(ScreenHarness::new);
    }

    /**
     * The three queries marked over 300 sample IDs in chunks of 10, as CSV, and run until the second job's first
     * chunk is done; the batch record they are kept in.
     */
    private Path inTheSecondJob() throws IOException {
        Path ids = dir.resolve("sample.csv");
        DemoData.writeSampleIds(ids, FIRMS, 300, SEED);
        open(ids, BatchRuns.CHUNK_SIZE, "output.formats=csv");
        ui.awaitText("Preview: ready to run");
        mark(3);

        ui.press(KeyType.F5);
        ui.await(t -> t.contains("job 2/3 firm_exec_slow") && t.contains("done:"), "the second job's first chunk done");
        return BatchRuns.record(dir.resolve("out"));
    }

    /** Marks the first {@code n} queries of the list (Space on each) and loads the input again. */
    private void mark(int n) {
        ui.press(alt('n'));
        ui.press(KeyType.Tab, KeyType.Tab, KeyType.Tab, KeyType.Tab);
        for (int i = 0; i < n; i++) {
            ui.press(key(' '));
            if (i < n - 1) {
                ui.press(new KeyStroke(KeyType.ArrowDown));
            }
        }
        assertTrue(ui.text().contains(n + " queries marked"), ui.text());
        ui.press(KeyType.F4);
        ui.awaitText("Loaded. F5");
    }

    @Test
    @DisplayName("marked queries cancelled in the second job go on as a whole with batch --resume, the files equal separate runs")
    void cancelledInTheSecondJobTheBatchResumesToTheFilesOfSeparateRuns() throws IOException {
        Path record = inTheSecondJob();
        Path ids = session.ids();
        Path file = record.resolve("batch.yaml");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(record,
                LinkOption.NOFOLLOW_LINKS)), "the record's folder is private");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file,
                LinkOption.NOFOLLOW_LINKS)), "its batch file is private");
        String yaml = Files.readString(file);
        assertTrue(yaml.contains(ids.toString()) && yaml.contains("firm_exec_slow") && yaml.contains("\"format\": \"csv\""),
                "the batch file names the input, the queries, the formats:\n" + yaml);
        ui.press(KeyType.Escape);
        ui.awaitText("Cancel run 2?");
        ui.press(key('y'));
        String screen = ui.awaitText("3 marked queries: 1 completed, 1 cancelled, 1 not run");
        assertTrue(MarkedQueriesTest.dialog(screen).contains("all jobs: firmquery batch --resume "
                        + dir.resolve("out/.firmquery")),
                "the summary shows the command that goes on with the batch:\n" + screen);
        ui.press(KeyType.Escape);
        ui.awaitText("Run 2: CANCELLED");
        byte[] firstJob = Files.readAllBytes(dir.resolve("out/firm_details_report.json"));
        ui.close();

        CliHarness cli = new CliHarness(dir);
        BatchRuns.resume(cli, session.environment(), record);
        assertTrue(cli.stdout().contains("job 1/3 firm_details: completed earlier, not run again"), cli.stdout());
        assertArrayEquals(firstJob, Files.readAllBytes(dir.resolve("out/firm_details_report.json")),
                "job 1 is not run again");

        BatchRuns.assertFilesOfSeparateRuns(cli, session.environment(), ids, List.of("firm_details",
                dir.resolve("home/sql/queries/firm_exec_slow.sql").toString(), "firm_names"), dir.resolve("alone"),
                dir.resolve("out"));
    }

    @Test
    @DisplayName("quitting in the second job names the command that goes on, and that command finishes the jobs")
    void quittingInTheSecondJobLeavesABatchThatResumes() throws IOException {
        Path record = inTheSecondJob();
        ui.press(KeyType.F10);
        String question = MarkedQueriesTest.dialog(ui.awaitText("Quit firmquery?"));
        assertTrue(question.contains("The marked queries go on later with firmquery batch --resume"), question);
        ui.press(key('y'));
        ui.await(t -> ui.ui.isClosed(), "the UI to close once the cancelled job wrote its files");
        assertFalse(Files.exists(dir.resolve("out/firm_names.csv")), "job 3 did not start");

        CliHarness cli = new CliHarness(dir);
        BatchRuns.resume(cli, session.environment(), record);
        assertTrue(cli.stdout().contains("job 1/3 firm_details: completed earlier, not run again"), cli.stdout());
        assertTrue(Files.exists(dir.resolve("out/firm_names.csv")), "job 3 ran");
    }

    @Test
    @DisplayName("marked queries over pasted IDs are not recorded, and the summary says so and how to resume instead")
    void pastedIdsAreNotRecorded() throws IOException {
        open(null);
        ui.press(alt('v'));
        ui.type(DemoData.firmId(1) + "\n" + DemoData.firmId(2));
        ui.press(ctrl('d'));
        ui.awaitText("Preview: ready to run");
        ui.press(alt('n'));
        ui.press(KeyType.Tab, KeyType.Tab, KeyType.Tab, KeyType.Tab);
        ui.press(key(' '), new KeyStroke(KeyType.ArrowDown), new KeyStroke(KeyType.ArrowDown), key(' '));
        assertTrue(ui.text().contains("2 queries marked") && ui.text().contains("[x] firm_names"), ui.text());
        ui.press(KeyType.F4);
        ui.awaitText("Loaded. F5");

        ui.press(KeyType.F5);
        String screen = MarkedQueriesTest.dialog(ui.awaitText("2 marked queries: 2 completed"));
        assertTrue(screen.contains("pasted IDs cannot be read again: these jobs are not recorded for firmquery"
                + " batch --resume"), screen);
        assertEquals(List.of(), BatchRuns.records(dir.resolve("out")));
    }
}
