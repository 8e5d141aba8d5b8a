package dev.firmquery.tui;

import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.demo.DemoData;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.testing.CliHarness;
import dev.firmquery.testing.RealRunHarness;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.firmquery.tui.InputWindowTest.flat;
import static dev.firmquery.tui.ScreenHarness.alt;
import static dev.firmquery.tui.ScreenHarness.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several queries marked on the input window's query list run one after the other over the one loaded
 * input, as {@code firmquery run --query A --query B} does, on the real engine and a real PostgreSQL, at
 * 80x24.
 */
class MarkedQueriesTest {
    private static final int FIRMS = 2_000;
    private static final long SEED = 17;

    @TempDir
    Path dir;

    @AutoClose
    private final RealRunHarness runs = new RealRunHarness();
    private ScreenHarness ui;

    private void open(TestPostgres.TestDatabase db, Path ids, String query) {
        open(db, null, ids, query);
    }

    /** As {@link #open(TestPostgres.TestDatabase, Path, String)}, with {@code home}'s sql/queries listed too. */
    private void open(TestPostgres.TestDatabase db, Path home, Path ids, String query, String... sets) {
        ui = runs.session(db, dir).home(home).ids(ids).query(query).set(sets).open(ScreenHarness::new);
    }

    /** The loaded input with both built-in queries marked (Space on each), loaded again after the move. */
    private void markBoth() {
        ui.press(alt('n'));                                              // the focus in the ID file field
        ui.press(KeyType.Tab, KeyType.Tab, KeyType.Tab, KeyType.Tab);    // the query list (as NoTrapsTest)
        ui.press(key(' '));
        assertTrue(ui.text().contains("[x] firm_details"), ui.text());
        ui.press(KeyType.ArrowDown);
        ui.press(key(' '));
        assertTrue(ui.text().contains("[x] firm_names"), ui.text());
        ui.press(KeyType.F4);
        ui.awaitText("Loaded. F5");
    }

    private static Set<String> csvs(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().matches("firm_query_.*[0-9]\\.csv")).map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).collect(Collectors.toSet());
        }
    }

    @Test
    @DisplayName("two marked queries run as two jobs whose CSVs equal the bytes of two separate runs")
    void twoMarkedQueriesRunAsTwoJobs() throws IOException {
        TestPostgres.TestDatabase db = TestPostgres.demoDatabase(FIRMS, SEED);
        Path ids = dir.resolve("sample.csv");
        DemoData.writeSampleIds(ids, FIRMS, 300, SEED);
        open(db, ids, "firm_details");
        ui.awaitText("Preview: ready to run");
        markBoth();

        ui.press(KeyType.F5);
        String summary = dialog(ui.awaitText("2 marked queries: 2 completed"));
        assertTrue(summary.matches(".* 1 firm_details completed [0-9,]+ [0-9,]+ [0-9:]+ firm_query_[0-9_]+\\.csv .*"),
                "each job with its figures and file:\n" + ui.text());
        ui.press(KeyType.Escape);
        ui.awaitText("Run 2: COMPLETED");
        ui.press(KeyType.F8);
        assertTrue(flat(ui.text()).contains("run 2 (job 2/2 firm_names)"), "the progress names the job:\n" + ui.text());

        Map<String, String> env = TestConfigs.environment(db);
        CliHarness cli = new CliHarness(dir);
        for (String query : new String[] {"firm_details", "firm_names"}) {
            Path out = dir.resolve("alone_" + query);
            Files.createDirectories(out);
            assertEquals(ExitCode.COMPLETED, cli.run(env, "run", "--ids", ids.toString(), "--query", query,
                    "--out", out.toString(), "--format", "csv"), cli.both());
        }
        Set<String> separate = Stream.of("firm_details", "firm_names")
                .flatMap(q -> {
                    try {
                        return csvs(dir.resolve("alone_" + q)).stream();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }).collect(Collectors.toSet());
        Set<String> jobs = csvs(dir.resolve("out"));
        assertEquals(2, jobs.size(), "each job its own CSV: " + jobs.size());
        assertEquals(separate, jobs, "the jobs' CSVs are those of two separate runs");
    }

    @Test
    @DisplayName("a marked query that needs a parameter value is refused before anything runs, saying to run it alone")
    void aMarkedTemplateNeedingAValueIsRefused() throws IOException {
        Path queries = Files.createDirectories(dir.resolve("home/sql/queries"));
        Files.writeString(queries.resolve("recent.sql"), """
                -- Firms in some countries
                -- @param countries text[]          Two-letter country codes
                SELECT t1.firm_root_id, t1.firm_name FROM firm t1
                WHERE t1.country_code = ANY({countries}) AND t1.firm_root_id IN ({ID_PLACEHOLDER})
                """);
        Path ids = Files.writeString(dir.resolve("ids.csv"), InputWindowTest.IDS);
        ui = runs.session(dir).home(dir.resolve("home")).ids(ids).query("firm_details")
                .open(ScreenHarness::new, new ScriptedRunner());
        ui.awaitText("Preview: ready to run");
        ui.press(alt('n'));
        ui.press(KeyType.Tab, KeyType.Tab, KeyType.Tab, KeyType.Tab);
        ui.press(key(' '));
        ui.press(KeyType.ArrowDown, KeyType.ArrowDown);
        ui.press(key(' '));
        assertTrue(ui.text().contains("[x] recent"), ui.text());
        ui.press(KeyType.F4);
        ui.awaitText("Loaded. F5");
        ui.press(KeyType.F5);
        String screen = flat(ui.awaitText("Cannot run the marked queries"));
        assertTrue(screen.contains("countries"), "names the parameter:\n" + screen);
        assertTrue(screen.contains("run it alone"), "says what to do:\n" + screen);
        assertEquals(dev.firmquery.tui.core.View.INPUT, ui.ui.view(), "nothing ran: the progress window was not shown");
    }

    /** The text inside the dialog's box on {@code screen}, its rows joined as {@link InputWindowTest#flat} does. */
    static String dialog(String screen) {
        String[] rows = screen.split("\n");
        StringBuilder inside = new StringBuilder();
        int left = -1;
        int right = -1;
        for (String row : rows) {
            if (left < 0 && row.indexOf('┌') >= 0) {
                left = row.indexOf('┌');
                right = row.indexOf('┐', left);
            } else if (left >= 0 && row.length() > left && row.charAt(left) == '└') {
                break;
            } else if (left >= 0) {
                inside.append(' ').append(row, left + 1, Math.min(right, row.length()));
            }
        }
        return flat(inside.toString()) + " ";
    }

    /** The home's sql/queries with {@code name}.sql holding {@code sql}. */
    private Path home(String name, String sql) throws IOException {
        Path queries = Files.createDirectories(dir.resolve("home/sql/queries"));
        Files.writeString(queries.resolve(name + ".sql"), sql);
        return dir.resolve("home");
    }

    @Test
    @DisplayName("a marked query the database rejects does not stop the ones after it, and the summary shows each job")
    void aFailingJobInTheMiddleDoesNotStopTheOthers() throws IOException {
        TestPostgres.TestDatabase db = TestPostgres.demoDatabase(FIRMS, SEED);
        Path ids = dir.resolve("sample.csv");
        DemoData.writeSampleIds(ids, FIRMS, 300, SEED);
        // Valid to the lexer; the database refuses it when it describes the statement, at run time.
        Path home = home("firm_gone", """
                -- Firms with a column the table does not have
                SELECT t1.firm_root_id, t1.no_such_column FROM firm t1 WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})
                """);
        open(db, home, ids, "firm_details");
        ui.awaitText("Preview: ready to run");
        ui.press(alt('n'));
        ui.press(KeyType.Tab, KeyType.Tab, KeyType.Tab, KeyType.Tab);
        ui.press(key(' '), new com.googlecode.lanterna.input.KeyStroke(KeyType.ArrowDown), key(' '),
                new com.googlecode.lanterna.input.KeyStroke(KeyType.ArrowDown), key(' '));
        assertTrue(ui.text().contains("3 queries marked"), ui.text());
        ui.press(KeyType.F4);
        ui.awaitText("Loaded. F5");

        ui.press(KeyType.F5);
        String screen = ui.awaitText("3 marked queries: 2 completed, 1 failed");
        String summary = dialog(screen);
        assertTrue(summary.contains(" 1 firm_details completed "), screen);
        assertTrue(summary.contains(" 2 firm_gone failed - - "), "no files, no figures:\n" + screen);
        assertTrue(summary.contains("error: the database rejected the query firm_gone"), "the job's error:\n" + screen);
        assertTrue(summary.contains(" 3 firm_names completed "), "the job after the failed one ran:\n" + screen);
        for (String line : screen.split("\n")) {
            assertTrue(line.length() <= 80, "fits 80 columns: " + line);
        }
        assertEquals(2, csvs(dir.resolve("out")).size(), "the first and the third job wrote their CSV");

        ui.press(KeyType.Escape);
        ui.awaitText("Run 3: COMPLETED");
        assertEquals(dev.firmquery.tui.core.View.RESULTS, ui.ui.view(), "the results of the last job that ended");
    }

    @Test
    @DisplayName("cancelling a marked query stops the ones after it without another question; the summary says so")
    void aCancelledJobStopsTheRest() throws IOException {
        TestPostgres.TestDatabase db = TestPostgres.demoDatabase(FIRMS, SEED);
        Path ids = dir.resolve("sample.csv");
        DemoData.writeSampleIds(ids, FIRMS, 300, SEED);
        // 0.5 s a chunk of 10 IDs, 30 chunks: the job is still running when Esc comes.
        Path home = home("firm_asleep", """
                -- Firms, slowly
                SELECT t1.firm_root_id, pg_sleep(0.05) IS NULL AS slept FROM firm t1
                WHERE t1.firm_root_id IN ({ID_PLACEHOLDER}) ORDER BY t1.firm_root_id
                """);
        open(db, home, ids, "firm_details", "processing.chunk_size=10");
        ui.awaitText("Preview: ready to run");
        ui.press(alt('n'));
        ui.press(KeyType.Tab, KeyType.Tab, KeyType.Tab, KeyType.Tab);
        ui.press(KeyType.ArrowUp);
        ui.press(key(' '), new com.googlecode.lanterna.input.KeyStroke(KeyType.ArrowDown), key(' '));
        String marked = ui.text();
        assertTrue(marked.contains("[x] firm_asleep") && marked.contains("[x] firm_details"), marked);
        ui.press(KeyType.F4);
        ui.awaitText("Loaded. F5");

        ui.press(KeyType.F5);
        ui.await(t -> t.contains("job 1/2 firm_asleep") && t.contains("done:"), "the first job's first chunk done");
        ui.press(KeyType.Escape);
        ui.awaitText("Cancel run 1?");
        ui.press(key('y'));
        String screen = ui.awaitText("2 marked queries: 1 cancelled, 1 not run");
        String summary = dialog(screen);
        assertTrue(summary.contains(" 1 firm_asleep cancelled "), screen);
        assertTrue(summary.contains("resume: firmquery run --resume " + dir.resolve("out/.firmquery")), screen);
        assertTrue(summary.contains(" 2 firm_details not run - - - "), screen);
        assertEquals(1, csvs(dir.resolve("out")).size(), "only the cancelled job wrote a CSV");
        ui.press(KeyType.Escape);
        ui.awaitText("Run 1: CANCELLED");
        assertTrue(!ui.context.dialogs().anyOpen(), "no question after the cancel:\n" + ui.text());
    }
}
