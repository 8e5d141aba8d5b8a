package dev.firmquery.run;

import dev.firmquery.chunk.Chunk;
import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.db.Database;
import dev.firmquery.demo.DemoData;
import dev.firmquery.testing.SlowQueries;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A DBA finds a run's sessions in {@code pg_stat_activity} by {@code application_name}
 * {@code firmquery/<version> <run-id>}, read back from a real PostgreSQL during the run.
 */
class ApplicationNameTest {
    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void database() {
        db = TestPostgres.demoDatabase(200, 5);
    }

    @Test
    void everySessionOfTheRunIsNamedAfterIt() throws Exception {
        AppConfig config = TestConfigs.forDatabase(db, tmp, "processing.chunk_size=10", "processing.thread_count=2");
        Path ids = Files.writeString(tmp.resolve("ids.txt"), Stream.iterate(0, i -> i + 1).limit(100)
                .map(i -> Long.toString(DemoData.firmId(i))).collect(Collectors.joining("\n")));
        Path query = Files.writeString(tmp.resolve("slow.sql"), SlowQueries.SLOW_DETAILS);
        RunRequest request = new RunSetup(config, RunSetup.queryRoots(TestConfigs.home()), Clock.systemDefaultZone())
                .prepare(RunSetup.Choices.of(ids, query.toString(), tmp.resolve("out")));
        String expected = "firmquery/" + Version.current() + " " + request.runId();
        List<List<String>> seen = new CopyOnWriteArrayList<>();
        RunListener watcher = new RunListener() {
            @Override
            public void chunkStarted(int worker, Chunk chunk, int attempt) {
                if (chunk.number() == 6) {
                    seen.add(names());
                }
            }
        };

        RunReport report;
        try (ConnectionPool pool = new ConnectionPool(Database.dataSource(config.database(),
                TestConfigs.environment(db)), config.database())) {
            report = new RunEngine(pool, watcher, new SplittableRandom(1), Clock.systemUTC()).execute(request);
        }

        assertEquals(RunStatus.COMPLETED, report.status());
        assertEquals(1, seen.size());
        List<String> names = seen.get(0);
        assertTrue(names.contains(expected), "pg_stat_activity during the run: " + names);
        assertTrue(names.stream().allMatch(expected::equals), "every firmquery session is the run's: " + names);
    }

    @Test
    void aLongRunIdIsCutToWhatPostgresKeeps() {
        String name = NamedConnections.applicationName("x".repeat(100));

        assertEquals(NamedConnections.MAX_LENGTH, name.length());
        assertTrue(name.startsWith("firmquery/" + Version.current() + " x"));
    }

    /** The application names of the firmquery sessions on the test database now. */
    private static List<String> names() {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT application_name FROM pg_stat_activity "
                     + "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                     + "AND application_name LIKE 'firmquery%' ORDER BY pid")) {
            List<String> names = new java.util.ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
