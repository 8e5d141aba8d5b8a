package dev.firmquery.run;

import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.db.Database;
import dev.firmquery.demo.DemoData;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pooled session on a shared host, against a real PostgreSQL (docs/reliability.md, "Shared host"):
 * what one chunk changes in its session does not reach the next; every statement, its streamed rows
 * and the describe step are bounded by {@code database.query_timeout} and can be cancelled.
 */
@DisplayName("Sessions and timeouts on a real PostgreSQL")
class SessionAndTimeoutTest {
    private static final int FIRMS = 200;
    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void database() throws Exception {
        db = TestPostgres.freshDatabase("session_and_timeout");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            DemoData.create(c, FIRMS, 3);
            // What a template cannot be refused for: a function it calls changes the session. It reports
            // what the session looked like before it ran, then leaves a setting and a search_path behind.
            s.execute("""
                    CREATE FUNCTION leave_session_state() RETURNS text LANGUAGE plpgsql AS $$
                    DECLARE seen text := coalesce(current_setting('firmquery_test.leak', true), '') || '|'
                                         || translate(current_setting('search_path'), '",', '');
                    BEGIN
                        PERFORM set_config('firmquery_test.leak', 'leaked', false);
                        PERFORM set_config('search_path', 'pg_catalog', false);
                        RETURN seen;
                    END $$""");
        }
    }

    private Path ids(int count) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(Long.toString(DemoData.firmId(i)));
        }
        return Files.writeString(tmp.resolve("ids-" + count + ".txt"), String.join("\n", lines));
    }

    private Path template(String name, String sql) throws Exception {
        return Files.writeString(tmp.resolve(name + ".sql"), sql);
    }

    private RunRequest request(AppConfig config, Path ids, Path template) throws RunException {
        return new RunSetup(config, RunSetup.queryRoots(TestConfigs.home()), Clock.systemDefaultZone())
                .prepare(RunSetup.Choices.of(ids, template.toString(), tmp.resolve("out")));
    }

    private RunReport run(AppConfig config, Path ids, Path template) throws Exception {
        RunRequest request = request(config, ids, template);
        try (ConnectionPool pool = new ConnectionPool(Database.dataSource(config.database(), TestConfigs.environment(db)),
                config.database())) {
            return new RunEngine(pool, RunListener.NONE, new SplittableRandom(1), Clock.systemUTC()).execute(request);
        }
    }

    /** The values of column {@code column} of the run's CSV, in file order. */
    private static List<String> csvColumn(RunReport report, int column) throws Exception {
        List<String> lines = Files.readAllLines(RunOutputs.file(report, "results-csv"));
        return lines.subList(1, lines.size()).stream()
                .map(l -> l.split(",", -1)[column].replace("\"", ""))
                .collect(Collectors.toList());
    }

    @Test
    @DisplayName("settings a chunk changes in its session (set_config, search_path) are gone for the next chunk")
    void theNextChunkSeesACleanSession() throws Exception {
        theNextChunkSeesACleanSession("processing.chunks_per_round_trip=1");
    }

    @Test
    @DisplayName("so they are for the next chunk sent in the same round trip")
    void theNextChunkInTheSameRoundTripSeesACleanSession() throws Exception {
        // The first chunk goes alone (a worker's first always does), the other 5 in one round trip: each still
        // rolls back to the savepoint before it runs.
        theNextChunkSeesACleanSession("processing.chunks_per_round_trip=8");
    }

    private void theNextChunkSeesACleanSession(String grouping) throws Exception {
        // One worker, one connection, one ID per chunk: every chunk runs on the session of the one before.
        AppConfig config = TestConfigs.forDatabase(db, tmp, "processing.thread_count=1", "database.max_connections=1",
                "processing.chunk_size=1", "output.formats=csv", "processing.generic_plans=false", grouping);
        Path template = template("leaky", "SELECT firm_root_id, leave_session_state() AS seen FROM firm"
                + " WHERE firm_root_id IN ({ID_PLACEHOLDER})");

        RunReport r = run(config, ids(6), template);

        assertEquals(RunStatus.COMPLETED, r.status(), String.valueOf(r.outputs().failures()));
        assertEquals(6, r.counts().rows());
        // Each chunk saw the pristine session: no firmquery_test.leak, the default search_path.
        assertEquals(List.of("|$user public", "|$user public", "|$user public", "|$user public", "|$user public",
                "|$user public"), csvColumn(r, 1));
    }

    @Test
    @DisplayName("every session carries statement_timeout = query_timeout from its startup packet")
    void theSessionsStatementTimeoutIsTheQueryTimeout() throws Exception {
        AppConfig config = TestConfigs.forDatabase(db, tmp, "database.query_timeout=7", "output.formats=csv");
        Path template = template("timeout", "SELECT firm_root_id, current_setting('statement_timeout') AS st FROM firm"
                + " WHERE firm_root_id IN ({ID_PLACEHOLDER})");

        RunReport r = run(config, ids(3), template);

        assertEquals(List.of("7s", "7s", "7s"), csvColumn(r, 1));
    }

    @Test
    @DisplayName("a chunk whose rows stream slowly is stopped as a timeout (57014) within about query_timeout")
    void aSlowlyStreamingChunkTimesOut() throws Exception {
        // One row per fetch, 0.5 s per row: no single round trip is slow, so only a bound on the whole
        // chunk stops it. Unbounded, 20 rows take 10 s; bounded, the chunk and its two halves stop at 1 s each.
        AppConfig config = TestConfigs.forDatabase(db, tmp, "database.query_timeout=1", "processing.fetch_size=1",
                "processing.chunk_size=20", "output.formats=csv");
        Path template = template("trickle", "SELECT firm_root_id, pg_sleep(0.5) IS NULL AS slept FROM firm"
                + " WHERE firm_root_id IN ({ID_PLACEHOLDER})");

        long t0 = System.nanoTime();
        RunReport r = run(config, ids(20), template);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);

        assertEquals(RunStatus.FAILED, r.status());
        String error = r.outputs().failures().get(0).error();
        assertTrue(error.contains("57014") && error.contains("ran longer than database.query_timeout (1 s)")
                && error.contains("even split in two halves"), error);
        assertTrue(seconds < 8, "the run took " + seconds + " s: the streamed rows were not bounded");
    }

    @Test
    @DisplayName("a group of chunks slower than query_timeout together is not a timeout: each runs again on its own")
    void aSlowGroupRunsItsChunksAlone() throws Exception {
        // The first chunk is quick (a worker's first goes alone, and its time lets the next 4 go together); the
        // next 4 take 0.7 s each, 2.8 s in one round trip, past query_timeout (2 s); on its own each takes 0.7 s.
        // The group is cancelled at 2 s and its chunks run one by one: none fails, none is split.
        AppConfig config = TestConfigs.forDatabase(db, tmp, "database.query_timeout=2", "processing.thread_count=1",
                "database.max_connections=1", "processing.chunk_size=1", "processing.chunks_per_round_trip=4",
                "output.formats=csv");
        Path template = template("slow", "SELECT firm_root_id, pg_sleep(CASE WHEN firm_root_id = "
                + DemoData.firmId(0) + " THEN 0 ELSE 0.7 END) IS NULL AS slept FROM firm"
                + " WHERE firm_root_id IN ({ID_PLACEHOLDER})");

        long started = System.nanoTime();
        RunReport r = run(config, ids(5), template);
        double seconds = (System.nanoTime() - started) / 1e9;

        assertEquals(RunStatus.COMPLETED, r.status(), String.valueOf(r.outputs().failures()));
        assertEquals(5, r.counts().rows());
        assertEquals(0, r.chunks().retries(), "a group's fall-back is not a chunk's retry");
        // At least the 2 s the group ran before its cancel, then 4 x 0.7 s alone: the group was sent.
        assertTrue(seconds >= 4.7, "the run took " + seconds + " s: the 4 slow chunks were not sent together");
    }

    @Test
    @DisplayName("the describe step is bounded by query_timeout: a statement that cannot be planned fails with exit 3")
    void aDescribeThatWaitsIsBounded() throws Exception {
        AppConfig config = TestConfigs.forDatabase(db, tmp, "database.query_timeout=1", "output.formats=csv");
        Path template = template("plain", "SELECT firm_root_id, firm_name FROM firm WHERE firm_root_id IN ({ID_PLACEHOLDER})");
        RunRequest request = request(config, ids(3), template);

        try (Connection locker = db.connect()) {
            // Parse needs a lock on the table, so the describe waits behind this transaction.
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                s.execute("LOCK TABLE firm IN ACCESS EXCLUSIVE MODE");
            }
            Throwable failure = runInBackground(config, request, null).get(20, TimeUnit.SECONDS);
            RunException e = assertInstanceOf(RunException.class, failure, String.valueOf(failure));
            assertEquals(dev.firmquery.exit.ExitCode.CONNECT, e.exitCode(), e.getMessage());
            assertTrue(e.getMessage().contains("did not describe the query plain within database.query_timeout"),
                    e.getMessage());
            locker.rollback();
        }
    }

    @Test
    @DisplayName("the describe step can be cancelled: the run ends at once as cancelled, nothing run")
    void aDescribeThatWaitsCanBeCancelled() throws Exception {
        AppConfig config = TestConfigs.forDatabase(db, tmp, "database.query_timeout=60", "output.formats=csv");
        Path template = template("plain", "SELECT firm_root_id, firm_name FROM firm WHERE firm_root_id IN ({ID_PLACEHOLDER})");
        RunRequest request = request(config, ids(3), template);

        try (Connection locker = db.connect()) {
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                s.execute("LOCK TABLE firm IN ACCESS EXCLUSIVE MODE");
            }
            RunEngine[] engine = new RunEngine[1];
            CompletableFuture<Throwable> result = runInBackground(config, request, engine);
            Thread.sleep(1_000); // the describe is waiting for the lock by now
            engine[0].cancel();
            Throwable failure = result.get(20, TimeUnit.SECONDS);
            RunException e = assertInstanceOf(RunException.class, failure, String.valueOf(failure));
            assertEquals(RunStatus.CANCELLED.exitCode(), e.exitCode(), e.getMessage());
            assertTrue(e.getMessage().contains("cancelled while the database described the query"), e.getMessage());
            locker.rollback();
        }
    }

    /**
     * Runs {@code request} on a thread of its own; the future holds what it threw (null if it returned).
     * A run still going after 20 s is the bug under test: the lock holder's rollback then lets it end.
     */
    private CompletableFuture<Throwable> runInBackground(AppConfig config, RunRequest request, RunEngine[] engine)
            throws Exception {
        ConnectionPool pool = new ConnectionPool(Database.dataSource(config.database(), TestConfigs.environment(db)),
                config.database());
        RunEngine e = new RunEngine(pool, RunListener.NONE, new SplittableRandom(1), Clock.systemUTC());
        if (engine != null) {
            engine[0] = e;
        }
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (pool) {
                e.execute(request);
                result.complete(null);
            } catch (Throwable x) {
                result.complete(x);
            }
        }, "test-run");
        t.setDaemon(true);
        t.start();
        return result;
    }
}
