package dev.firmquery.tui;

import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.app.DatabaseSession;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.db.Database;
import dev.firmquery.demo.DemoData;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.testing.CliHarness;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
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

    private ScreenHarness ui;
    private ConnectionPool pool;

    @AfterEach
    void close() {
        if (ui != null) {
            ui.close();
        }
        if (pool != null) {
            pool.close();
        }
    }

    private void open(TestPostgres.TestDatabase db, Path ids, String query) {
        TuiSession session = Sessions.session(dir, TestConfigs.environment(db),
                new TuiSession.Preselection(ids, query, dir.resolve("out"), null));
        try {
            pool = new ConnectionPool(Database.dataSource(session.config().database(), session.environment()),
                    session.config().database());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        ui = new ScreenHarness(session, DatabaseSession.engines(pool));
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
        ScriptedRunner runner = new ScriptedRunner();
        ui = new ScreenHarness(Sessions.session(dir, dir.resolve("home"), Map.of(),
                new TuiSession.Preselection(ids, "firm_details", dir.resolve("out"), null)), runner);
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
}
