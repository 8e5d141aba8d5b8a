package dev.firmquery.run;

import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.db.Database;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.firmquery.db.ConnectionSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run's result columns are part of its manifest: a resume whose statement now describes other
 * columns (the schema changed between the sessions) is refused with the difference and the fix,
 * instead of copying the first session's rows under a header described again. Against a real
 * PostgreSQL, with {@code SELECT *} so that the table's columns are the result's.
 */
class ResumeAfterSchemaChangeTest {
    @TempDir
    Path tmp;

    private TestPostgres.TestDatabase db;
    private Path template;
    private Path ids;

    @BeforeEach
    void table() throws Exception {
        db = TestPostgres.freshDatabase("schema_change");
        sql("CREATE TABLE firm_note (firm_root_id bigint PRIMARY KEY, note text)",
                "INSERT INTO firm_note SELECT v, 'note ' || v FROM generate_series(1, 8) v");
        template = Files.writeString(tmp.resolve("notes.sql"),
                "SELECT * FROM firm_note WHERE firm_root_id IN ({ID_PLACEHOLDER}) ORDER BY firm_root_id",
                StandardCharsets.UTF_8);
        ids = Files.writeString(tmp.resolve("ids.txt"), "1\n2\n3\n4\n5\n6\n7\n8\n", StandardCharsets.UTF_8);
    }

    @Test
    void aColumnAddedSinceTheRunStartedIsRefusedNamingTheDifference() throws Exception {
        Path work = cancelledAfterTheFirstChunk();
        byte[] journal = Files.readAllBytes(work.resolve("journal.log"));
        sql("ALTER TABLE firm_note ADD COLUMN rating int");

        RunException e = assertThrows(RunException.class, () -> execute(setup().resume(work, false)));

        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("now describes different result columns than when the run started"
                + " (column 3 was absent, is rating int4"), e.getMessage());
        assertTrue(e.getMessage().contains("then (firm_root_id int8, note text), now (firm_root_id int8, note text,"
                + " rating int4)"), e.getMessage());
        assertTrue(e.getMessage().contains("Undo the schema change to finish this run, or start a new run"),
                e.getMessage());
        assertArrayEquals(journal, Files.readAllBytes(work.resolve("journal.log")), "the run is left as it was");
    }

    @Test
    void aColumnWhoseTypeChangedIsRefused() throws Exception {
        Path work = cancelledAfterTheFirstChunk();
        sql("ALTER TABLE firm_note ALTER COLUMN note TYPE varchar(40)");

        RunException e = assertThrows(RunException.class, () -> execute(setup().resume(work, false)));

        assertTrue(e.getMessage().contains("(column 2 was note text, is note varchar"), e.getMessage());
    }

    @Test
    void theSameColumnsResumeAndComplete() throws Exception {
        Path work = cancelledAfterTheFirstChunk();

        RunReport resumed = execute(setup().resume(work, false));

        assertEquals(RunStatus.COMPLETED, resumed.status());
        assertEquals(9, Files.readAllLines(RunOutputs.file(resumed, "results-csv")).size());
    }

    // ---------------------------------------------------------------------------------------------

    private Path cancelledAfterTheFirstChunk() throws Exception {
        RunRequest request = setup().prepare(RunSetup.Choices.of(ids, template.toString(), tmp.resolve("out")));
        try (ConnectionPool pool = pool()) {
            // Cancelled as the second chunk starts: one worker, so chunks 3 to 8 never run.
            AtomicReference<RunEngine> engine = new AtomicReference<>();
            AtomicInteger chunks = new AtomicInteger();
            engine.set(new RunEngine(new ConnectionSource() {
                @Override
                public Connection getConnection() throws SQLException {
                    return pool.getConnection();
                }

                @Override
                public void beforeChunk() {
                    if (chunks.incrementAndGet() == 2) {
                        engine.get().cancel();
                    }
                }
            }, RunListener.NONE, new SplittableRandom(1), Clock.systemUTC()));
            RunReport cancelled = engine.get().execute(request);
            assertEquals(RunStatus.CANCELLED, cancelled.status());
            return cancelled.run().workDirectory();
        }
    }

    private AppConfig config() {
        return TestConfigs.forDatabase(db, tmp, "processing.chunk_size=1", "processing.thread_count=1");
    }

    private RunSetup setup() {
        return new RunSetup(config(), RunSetup.queryRoots(TestConfigs.home()), Clock.systemUTC());
    }

    private ConnectionPool pool() throws java.sql.SQLException {
        return new ConnectionPool(Database.dataSource(config().database(), TestConfigs.environment(db)),
                config().database());
    }

    private RunReport execute(RunRequest request) throws Exception {
        try (ConnectionPool pool = pool()) {
            return new RunEngine(pool, RunListener.NONE, new SplittableRandom(1), Clock.systemUTC()).execute(request);
        }
    }

    private void sql(String... statements) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String q : statements) {
                s.execute(q);
            }
        }
    }

}
