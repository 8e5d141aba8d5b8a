package dev.firmquery.tui;

import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.demo.DemoData;
import dev.firmquery.testing.RealRunHarness;
import dev.firmquery.testing.TestPostgres;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.firmquery.tui.InputWindowTest.flat;
import static dev.firmquery.tui.ScreenHarness.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The UI driving the real engine against a real PostgreSQL, through the session's one pool. */
class RealRunTest {
    private static final int FIRMS = 4_000;
    private static final long SEED = 11;

    @TempDir
    Path dir;

    @AutoClose
    private final RealRunHarness runs = new RealRunHarness();
    private ScreenHarness ui;

    private ScreenHarness open(TestPostgres.TestDatabase db, Path ids, String query, String... sets) {
        ui = runs.session(db, dir).ids(ids).query(query).set(sets).open(ScreenHarness::new);
        return ui;
    }

    private static long count(String screen, String label) {
        Matcher m = Pattern.compile(label + " ([0-9,]+)").matcher(flat(screen));
        assertTrue(m.find(), label + " not on the screen:\n" + screen);
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    private static long records(Path csv) throws IOException {
        try (Reader r = Files.newBufferedReader(csv); CSVParser p = CSVParser.parse(r, CSVFormat.RFC4180)) {
            return p.stream().count() - 1;
        }
    }

    private Path only(String glob) throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("out"))) {
            List<Path> l = s.filter(p -> p.getFileSystem().getPathMatcher("glob:" + glob).matches(p.getFileName()))
                    .toList();
            assertEquals(1, l.size(), glob + ": " + l);
            return l.get(0);
        }
    }

    @Test
    @DisplayName("a run of the demo sample shows counts that match the files it wrote")
    void resultsMatchTheFiles() throws IOException {
        TestPostgres.TestDatabase db = TestPostgres.demoDatabase(FIRMS, SEED);
        Path ids = dir.resolve("sample.csv");
        DemoData.writeSampleIds(ids, FIRMS, 1_000, SEED);
        open(db, ids, "firm_details");
        ui.awaitText("Preview: ready to run");
        ui.press(ScreenHarness.ctrl('r'));
        String screen = ui.awaitText("Run 1: COMPLETED");
        assertEquals(records(only("firm_query_*[0-9].csv")), count(screen, "Rows"));
        assertEquals(records(only("firm_query_*_missing.csv")), count(screen, "missing IDs"));
        assertTrue(flat(screen).contains("Chunks 4: 4 succeeded, 0 failed, 0 not run; 0 retries"), screen);
        assertTrue(screen.contains(only("firm_query_*[0-9].xlsx").getFileName().toString()), screen);
        assertTrue(screen.contains(only("firm_query_*_report.json").getFileName().toString()), screen);
    }

    @Test
    @DisplayName("a failed chunk is re-run alone once its cause is fixed, on the same pool")
    void failedChunkIsRerun() throws IOException, SQLException {
        TestPostgres.TestDatabase db = RealRunHarness.firms("tui_rerun", 40);
        Path query = Files.writeString(dir.resolve("fragile.sql"), RealRunHarness.FRAGILE);
        Path ids = RealRunHarness.ids(dir.resolve("ids.txt"), 1, 40);
        open(db, ids, query.toString(), "processing.chunk_size=10", "processing.retry_delay=0");
        ui.awaitText("Preview: ready to run");
        ui.press(KeyType.F5);
        String screen = ui.awaitText("Run 1: PARTIAL");
        assertTrue(flat(screen).contains("Chunks 4: 3 succeeded, 1 failed, 0 not run"), screen);
        screen = ui.awaitText("chunk 2: 10 IDs, 1 attempt:");
        assertTrue(screen.contains("22012"), "the error with its SQLState: " + screen);

        RealRunHarness.fix(db);
        ui.press(KeyType.F6);
        assertTrue(flat(ui.text()).contains("left 1 failed chunk (10 IDs)"), ui.text());
        assertTrue(flat(ui.text()).contains("firmquery run --retry-failed"), ui.text());
        ui.press(key('r'));
        screen = ui.awaitText("Run 2: COMPLETED");
        assertTrue(flat(screen).contains("Chunks 4: 4 succeeded, 0 failed, 0 not run"), screen);
        assertTrue(flat(screen).contains("Rows 40 missing IDs 0 failed IDs 0"), screen);
        assertEquals(40, records(only("firm_query_*[0-9].csv")), "the run's CSV, written again complete");
    }

    @Test
    @DisplayName("cancelling a real run stops it, keeps the finished chunks and offers to run the rest")
    void cancelARealRun() throws IOException {
        TestPostgres.TestDatabase db = TestPostgres.demoDatabase(FIRMS, SEED);
        Path ids = dir.resolve("sample.csv");
        DemoData.writeSampleIds(ids, FIRMS, 1_000, SEED);
        Path query = dir.resolve("slow.sql");
        Files.writeString(query, """
                -- Firm names, half a second per chunk.
                WITH pause AS MATERIALIZED (SELECT pg_sleep(0.5))
                SELECT t1.firm_root_id, t1.firm_name
                FROM firm t1
                CROSS JOIN pause
                WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})
                ORDER BY t1.firm_root_id
                """);
        open(db, ids, query.toString(), "processing.chunk_size=25");
        ui.awaitText("Preview: ready to run");
        ui.press(KeyType.F5);
        ui.awaitText("done: 25 IDs");
        ui.press(KeyType.Escape);
        ui.press(key('y'));
        String screen = ui.awaitText("Run 1: CANCELLED");
        long notRun = count(screen.replace("not run;", "not-run;"), "not run IDs");
        assertTrue(notRun > 0, screen);
        ui.press(KeyType.F6);
        assertTrue(flat(ui.text()).contains("firmquery run --resume"), ui.text());
        ui.press(key('r'));
        screen = ui.awaitText("Run 2: COMPLETED");
        assertTrue(flat(screen).contains("Chunks 40: 40 succeeded, 0 failed, 0 not run"), screen);
        assertEquals(records(only("firm_query_*[0-9].csv")), count(screen, "Rows"));
    }
}
