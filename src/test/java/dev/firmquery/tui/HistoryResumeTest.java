package dev.firmquery.tui;

import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.app.DatabaseSession;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.db.Database;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.firmquery.tui.InputWindowTest.flat;
import static dev.firmquery.tui.ScreenHarness.alt;
import static dev.firmquery.tui.ScreenHarness.key;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run history resumes an unfinished run (a real partial run against a real PostgreSQL) with {@code u}. */
class HistoryResumeTest {
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

    @Test
    @DisplayName("u on a partial run whose working folder is kept runs its failed chunk, as F6 would")
    void uResumesAPartialRun() throws IOException, SQLException {
        TestPostgres.TestDatabase db = TestPostgres.freshDatabase("tui_history_resume");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE firm (firm_root_id bigint PRIMARY KEY, firm_name text NOT NULL)");
            s.execute("INSERT INTO firm SELECT i, 'Firm ' || i FROM generate_series(1, 40) AS i");
            s.execute("CREATE TABLE fixed (ok int)");
        }
        Path query = Files.writeString(dir.resolve("fragile.sql"), """
                -- Firm names; fails for firm 17 until the table fixed has a row.
                SELECT t1.firm_root_id, t1.firm_name
                FROM firm t1
                WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})
                  AND 1 / (CASE WHEN t1.firm_root_id = 17 AND NOT EXISTS (SELECT 1 FROM fixed) THEN 0 ELSE 1 END) = 1
                ORDER BY t1.firm_root_id
                """);
        Path ids = Files.writeString(dir.resolve("ids.txt"),
                IntStream.rangeClosed(1, 40).mapToObj(Integer::toString).collect(Collectors.joining("\n")));
        TuiSession session = Sessions.session(dir, TestConfigs.environment(db),
                new TuiSession.Preselection(ids, query.toString(), dir.resolve("out"), null),
                "processing.chunk_size=10", "processing.retry_delay=0");
        pool = new ConnectionPool(Database.dataSource(session.config().database(), session.environment()),
                session.config().database());
        ui = new ScreenHarness(session, DatabaseSession.engines(pool));
        ui.awaitText("Preview: ready to run");
        ui.press(KeyType.F5);
        ui.awaitText("Run 1: PARTIAL");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO fixed VALUES (1)");
        }

        String screen = ui.press(alt('t')).awaitText("Run history");
        assertTrue(flat(screen).contains(": partial, 1 failed chunk; u resumes"), screen);
        assertTrue(screen.contains("u resume"), screen);
        ui.press(key('u'));
        screen = ui.awaitText("Run 2: COMPLETED");
        assertTrue(flat(screen).contains("Chunks 4: 4 succeeded, 0 failed, 0 not run"), screen);
        assertTrue(flat(screen).contains("Rows 40 missing IDs 0 failed IDs 0"), screen);
    }
}
