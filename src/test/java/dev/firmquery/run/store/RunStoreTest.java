package dev.firmquery.run.store;

import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.db.Database;
import dev.firmquery.run.ChunkOutcome;
import dev.firmquery.run.RunEngine;
import dev.firmquery.run.RunException;
import dev.firmquery.run.RunListener;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunSetup;
import dev.firmquery.run.RunStatus;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unfinished runs of an output folder ({@link RunStore#unfinished}) and deleting one
 * ({@link RunStore#delete}), over run folders the real engine left: a run cancelled after its first
 * chunk, a run that ended partial, a completed run kept with --keep-work, and a damaged folder.
 */
@DisplayName("Unfinished runs in the run store")
class RunStoreTest {
    private static final Instant TEN = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant FIVE_PAST = Instant.parse("2026-11-22T10:05:00Z");

    private static TestPostgres.TestDatabase db;

    @TempDir
    Path dir;

    private ConnectionPool pool;

    @BeforeAll
    static void database() throws SQLException {
        db = TestPostgres.freshDatabase("store_unfinished");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE firm (firm_root_id bigint PRIMARY KEY, firm_name text NOT NULL)");
            s.execute("INSERT INTO firm SELECT i, 'Firm ' || i FROM generate_series(1, 40) AS i");
        }
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Fixtures: real engine runs against the test PostgreSQL

    private AppConfig config() {
        return TestConfigs.forDatabase(db, dir, "processing.chunk_size=5", "processing.retry_delay=0");
    }

    private ConnectionPool pool() throws SQLException {
        if (pool == null) {
            AppConfig config = config();
            pool = new ConnectionPool(Database.dataSource(config.database(), TestConfigs.environment(db)),
                    config.database());
        }
        return pool;
    }

    /** IDs 1 to 45; 41 to 45 are not in the table (missing). */
    private Path ids() throws IOException {
        Path ids = dir.resolve("ids.txt");
        if (!Files.exists(ids)) {
            Files.writeString(ids, IntStream.rangeClosed(1, 45).mapToObj(Integer::toString)
                    .collect(Collectors.joining("\n")));
        }
        return ids;
    }

    /** Firm names, a fifth of a second per chunk: 9 chunks of 5 IDs on 2 workers. */
    private Path slowQuery() throws IOException {
        return Files.writeString(dir.resolve("slow_names.sql"), """
                -- Firm names, a fifth of a second per chunk.
                WITH pause AS MATERIALIZED (SELECT pg_sleep(0.2))
                SELECT t1.firm_root_id, t1.firm_name
                FROM firm t1
                CROSS JOIN pause
                WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})
                ORDER BY t1.firm_root_id
                """);
    }

    /** Firm names; the chunk with firm 17 fails (division by zero) every time. */
    private Path fragileQuery() throws IOException {
        return Files.writeString(dir.resolve("fragile.sql"), """
                -- Firm names; fails for firm 17.
                SELECT t1.firm_root_id, t1.firm_name
                FROM firm t1
                WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})
                  AND 1 / (CASE WHEN t1.firm_root_id = 17 THEN 0 ELSE 1 END) = 1
                ORDER BY t1.firm_root_id
                """);
    }

    private RunRequest prepare(Path query, Path out, Instant at) throws IOException, RunException {
        return new RunSetup(config(), RunSetup.queryRoots(TestConfigs.home()), Clock.fixed(at, ZoneOffset.UTC))
                .prepare(RunSetup.Choices.of(ids(), query.toString(), out));
    }

    /** Runs {@code request} on the engine; cancels it when its first chunk has finished if {@code cancel}. */
    private RunReport execute(RunRequest request, boolean cancel) throws Exception {
        AtomicReference<RunEngine> engine = new AtomicReference<>();
        RunListener listener = new RunListener() {
            @Override
            public void chunkFinished(int worker, ChunkOutcome outcome) {
                if (cancel) {
                    engine.get().cancel();
                }
            }
        };
        engine.set(new RunEngine(pool(), listener, new SplittableRandom(5), Clock.systemUTC()));
        return engine.get().execute(request);
    }

    private RunReport cancelledRun(Path out, Instant at) throws Exception {
        RunReport r = execute(prepare(slowQuery(), out, at), true);
        assertEquals(RunStatus.CANCELLED, r.status(), "the fixture: a cancelled run");
        assertTrue(r.chunks().notRun() > 0, "the fixture: chunks left to run");
        return r;
    }

    private RunReport partialRun(Path out, Instant at) throws Exception {
        RunReport r = execute(prepare(fragileQuery(), out, at), false);
        assertEquals(RunStatus.PARTIAL, r.status(), "the fixture: a partial run");
        return r;
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    @DisplayName("a cancelled and a partial run are listed newest first, with what their manifests and journals say")
    void cancelledAndPartialRunsAreListedNewestFirst() throws Exception {
        Path out = dir.resolve("out");
        RunReport cancelled = cancelledRun(out, TEN);
        RunReport partial = partialRun(out, FIVE_PAST);

        List<UnfinishedRun> runs = RunStore.unfinished(out, Set.of());

        assertEquals(List.of(partial.runId(), cancelled.runId()), runs.stream().map(UnfinishedRun::runId).toList());
        UnfinishedRun p = runs.get(0);
        assertEquals(UnfinishedRun.State.PARTIAL, p.state());
        assertEquals(partial.run().workDirectory(), p.directory());
        assertEquals("fragile", p.queryName());
        assertEquals(ids().toAbsolutePath().toString(), Path.of(p.inputSource()).toAbsolutePath().toString());
        assertEquals(out.toAbsolutePath().resolve("firm_query_20261122_100500"), p.outputs());
        assertEquals(9, p.chunks());
        assertEquals(8, p.done());
        assertEquals(1, p.failed());
        assertEquals(0, p.notRun());
        assertNull(p.problem());
        assertTrue(p.resumable() && p.deletable());
        UnfinishedRun c = runs.get(1);
        assertEquals(UnfinishedRun.State.CANCELLED, c.state());
        assertEquals(cancelled.chunks().succeeded(), c.done());
        assertEquals(c.chunks() - c.done(), c.notRun());
    }

    @Test
    @DisplayName("a completed run kept with --keep-work is not listed")
    void aCompletedRunIsNotListed() throws Exception {
        Path out = dir.resolve("out");
        RunReport r = execute(prepare(slowQuery(), out, TEN).withKeepWork(true), false);
        assertEquals(RunStatus.COMPLETED, r.status(), "the fixture: a completed run");
        assertTrue(Files.isDirectory(r.run().workDirectory()), "--keep-work kept " + r.run().workDirectory());

        assertEquals(List.of(), RunStore.unfinished(out, Set.of()));
    }

    @Test
    @DisplayName("a run whose journal has no end (killed mid-run) is listed as interrupted")
    void interruptedRun() throws Exception {
        Path out = dir.resolve("out");
        RunReport r = cancelledRun(out, TEN);
        Path journal = r.run().workDirectory().resolve("journal.log");
        List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
        // What SIGKILL leaves: everything up to the last chunk, no "published" or "finished" lines.
        List<String> kept = lines.stream().filter(l -> !l.contains(" published ") && !l.contains(" finished ")).toList();
        assertTrue(kept.size() < lines.size(), lines.toString());
        Files.write(journal, kept, StandardCharsets.UTF_8);

        List<UnfinishedRun> runs = RunStore.unfinished(out, Set.of());
        assertEquals(1, runs.size());
        assertEquals(UnfinishedRun.State.INTERRUPTED, runs.get(0).state());
        assertEquals(r.chunks().succeeded(), runs.get(0).done());
        assertTrue(runs.get(0).resumable());
    }

    @Test
    @DisplayName("a run another process is running is listed as in use, and can be neither resumed nor deleted")
    void runInUseElsewhere() throws Exception {
        Path out = dir.resolve("out");
        RunReport r = partialRun(out, FIVE_PAST);
        try (FileChannel ch = FileChannel.open(r.run().workDirectory().resolve("lock"), StandardOpenOption.WRITE);
             FileLock lock = ch.lock()) {
            List<UnfinishedRun> runs = RunStore.unfinished(out, Set.of());
            assertEquals(UnfinishedRun.State.IN_USE, runs.get(0).state());
            assertFalse(runs.get(0).resumable());
            assertFalse(runs.get(0).deletable());
            IOException e = assertThrows(IOException.class, () -> RunStore.delete(runs.get(0)));
            assertTrue(e.getMessage().contains("being run by another firmquery process"), e.getMessage());
            assertTrue(lock.isValid());
        }
        assertTrue(Files.isDirectory(r.run().workDirectory()));
    }

    @Test
    @DisplayName("runs this process is running are not listed")
    void runsRunningHereAreLeftOut() throws Exception {
        Path out = dir.resolve("out");
        RunReport r = partialRun(out, FIVE_PAST);
        assertEquals(1, RunStore.unfinished(out, Set.of()).size());
        assertEquals(List.of(), RunStore.unfinished(out, Set.of(r.runId())));
    }

    @Test
    @DisplayName("a folder whose manifest cannot be read is listed as damaged, can only be deleted, and deleting keeps the files")
    void aDamagedFolderIsListedAndDeletable() throws Exception {
        Path out = dir.resolve("out");
        Path damaged = out.resolve(RunStore.DIR_NAME).resolve("20261122_090000-dead");
        Files.createDirectories(damaged.resolve("spool"));
        Files.writeString(damaged.resolve("run.properties"), "format=1\nrun_id=20261122_090000-dead\n");
        Path published = Files.writeString(out.resolve("firm_query_20261122_090000.csv"), "firm_root_id\n1\n");

        List<UnfinishedRun> runs = RunStore.unfinished(out, Set.of());

        assertEquals(1, runs.size());
        UnfinishedRun d = runs.get(0);
        assertEquals(UnfinishedRun.State.DAMAGED, d.state());
        assertEquals("20261122_090000-dead", d.runId());
        assertTrue(d.problem().contains("cannot read " + damaged.toAbsolutePath().resolve("run.properties")), d.problem());
        assertFalse(d.resumable());
        assertTrue(d.deletable());
        RunStore.delete(d);
        assertFalse(Files.exists(out.resolve(RunStore.DIR_NAME)), "the run folder and the .firmquery folder go");
        assertEquals("firm_root_id\n1\n", Files.readString(published), "the published file stays");
    }

    @Test
    void theResumeCommandNamesTheRunFolder() {
        Path run = Path.of("/data/out/.firmquery/20261122_100000-abcd");

        assertEquals("firmquery run --resume /data/out/.firmquery/20261122_100000-abcd", RunStore.resumeCommand(run));
        assertEquals("firmquery run --retry-failed /data/out/.firmquery/20261122_100000-abcd",
                RunStore.retryFailedCommand(run));
    }
}
