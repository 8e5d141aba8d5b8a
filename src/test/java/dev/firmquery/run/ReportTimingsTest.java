package dev.firmquery.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.db.ConnectionSource;
import dev.firmquery.demo.DemoData;
import dev.firmquery.testing.EngineRuns;
import dev.firmquery.testing.EngineRuns.Sources;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.firmquery.run.RunOutputs.file;
import static dev.firmquery.testing.EngineRuns.setup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report's timings over real runs against PostgreSQL: percentiles of the chunk times the journal
 * holds, the slowest chunks, retries by SQLState, and a resumed run that times the chunks of both
 * sessions.
 */
class ReportTimingsTest {
    private static final int FIRMS = 400;
    private static final long SEED = 41;
    /** The ID whose chunk sleeps: position 137 of the input, in chunk 14 of chunks of 10. */
    private static final int SLOW_POSITION = 137;

    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void database() throws SQLException {
        db = TestPostgres.freshDatabase("timings");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            DemoData.create(c, FIRMS, SEED);
            s.execute("CREATE FUNCTION flaky() RETURNS int LANGUAGE plpgsql VOLATILE AS $$ BEGIN "
                    + "IF random() < 0.3 THEN RAISE EXCEPTION 'injected restart' USING ERRCODE = '40001'; "
                    + "END IF; RETURN 1; END $$");
        }
    }

    @Test
    void latencyPercentilesAreThoseOfTheJournalledChunkTimes() throws Exception {
        RunReport report = run(slowQuery(), pool -> pool, true);
        assertEquals(RunStatus.COMPLETED, report.status());

        long[] times = journalledTimes(report.run().workDirectory());
        assertEquals(report.chunks().total(), times.length, "every chunk's time is journalled");
        Arrays.sort(times);
        Timings.Latency l = report.timings().latency();
        assertEquals(nearestRank(times, 0.50), l.p50Micros());
        assertEquals(nearestRank(times, 0.90), l.p90Micros());
        assertEquals(nearestRank(times, 0.99), l.p99Micros());
        assertEquals(times[times.length - 1], l.maxMicros());

        JsonNode json = new ObjectMapper().readTree(file(report, "report").toFile()).get("timings");
        assertEquals(nearestRank(times, 0.90) / 1000.0, json.get("chunk_latency").get("p90_ms").asDouble(), 1e-9);
        assertEquals(report.chunks().total(), json.get("chunks_timed").asInt());
    }

    @Test
    void theSlowestChunkIsTheOneThatSlept() throws Exception {
        RunReport report = run(slowQuery(), pool -> pool, false);

        List<Timings.SlowChunk> slowest = report.timings().slowest();
        assertEquals(Timings.SLOWEST_LISTED, slowest.size());
        Timings.SlowChunk first = slowest.get(0);
        assertEquals(SLOW_POSITION / 10 + 1, first.chunk());
        assertEquals(Long.toString(DemoData.firmId(SLOW_POSITION / 10 * 10)), first.firstId());
        assertEquals(Long.toString(DemoData.firmId(SLOW_POSITION / 10 * 10 + 9)), first.lastId());
        assertEquals(10, first.ids());
        assertTrue(first.micros() >= 400_000, "slept 0.4 s: " + first.micros() + " µs");
        for (int i = 1; i < slowest.size(); i++) {
            assertTrue(slowest.get(i - 1).micros() >= slowest.get(i).micros(), "slowest first: " + slowest);
        }
        Timings.Split split = report.timings().split();
        assertTrue(split.databaseMicros() >= 400_000, "the sleep is the database's time: " + split);
    }

    @Test
    void aGroupSharesItsTimeEqually() throws Exception {
        // One worker, up to 8 chunks a round trip: chunk 1 alone (a worker's first), then 2-9, 10-17 (with the
        // 0.4 s sleep of chunk 14) and 18-20. The results of a group arrive together, so each of 10-17 is
        // charged an eighth of the sleep and they are the 8 slowest.
        RunReport report = run(config("processing.thread_count=1", "processing.chunks_per_round_trip=8"),
                slowQuery(), pool -> pool, false);

        assertEquals(RunStatus.COMPLETED, report.status());
        List<Timings.SlowChunk> slowest = report.timings().slowest().subList(0, 8);
        assertEquals(Set.of(10, 11, 12, 13, 14, 15, 16, 17), slowest.stream().map(Timings.SlowChunk::chunk)
                .collect(Collectors.toSet()), slowest.toString());
        for (Timings.SlowChunk c : slowest) {
            assertTrue(c.micros() >= 400_000 / 8, "an eighth of the sleep: " + slowest);
            assertTrue(c.micros() < 400_000, "not the whole sleep: " + slowest);
        }
        assertTrue(report.timings().split().databaseMicros() >= 400_000, "the sleep is still the database's time");
    }

    @Test
    void retriesAreCountedBySqlState() throws Exception {
        Path flaky = Files.writeString(tmp.resolve("flaky.sql"), "WITH f AS (SELECT flaky() AS ok)\n"
                + "SELECT t1.firm_root_id, t1.firm_name FROM firm t1, f\n"
                + "WHERE f.ok = 1 AND t1.firm_root_id IN ({ID_PLACEHOLDER}) ORDER BY t1.firm_root_id");
        RunReport report = run(flaky, pool -> pool, false);

        assertEquals(RunStatus.COMPLETED, report.status());
        assertTrue(report.chunks().retries() > 0, "30 % of 20 statements failed");
        assertEquals(java.util.Map.of("40001", report.chunks().retries()), report.timings().retriesBySqlState());
    }

    @Test
    void aResumedRunTimesTheChunksOfEverySession() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        RunReport stopped = run(slowQuery(), pool -> new ConnectionSource() {
            @Override
            public Connection getConnection() throws SQLException {
                return pool.getConnection();
            }

            @Override
            public void beforeChunk() {
                if (attempts.incrementAndGet() == 9) {
                    throw new IllegalStateException("stopped mid-run by the test");
                }
            }
        }, false);
        assertTrue(stopped.chunks().notRun() > 0, "the run stopped early");
        int timedBefore = stopped.timings().chunksTimed();
        assertTrue(timedBefore > 0 && timedBefore < stopped.chunks().total(), "timed before: " + timedBefore);

        RunRequest resume = setup(config()).resume(stopped.run().workDirectory(), false);
        RunReport resumed;
        try (ConnectionPool pool = EngineRuns.pool(config(), db)) {
            resumed = new RunEngine(pool, RunListener.NONE, new SplittableRandom(1), Clock.systemUTC()).execute(resume);
        }
        assertEquals(RunStatus.COMPLETED, resumed.status());
        assertEquals(resumed.chunks().total(), resumed.timings().chunksTimed(), "both sessions' chunks");
        assertEquals(resumed.counts().rows(), resumed.timings().workers().stream()
                .mapToLong(Timings.WorkerRate::rows).sum());
    }

    /** The nearest-rank percentile, computed here without the engine's code. */
    private static long nearestRank(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[rank - 1];
    }

    /** The {@code t=} times of the journal's "done" lines, microseconds. */
    private static long[] journalledTimes(Path runDir) throws IOException {
        List<Long> times = new ArrayList<>();
        for (String line : Files.readAllLines(runDir.resolve("journal.log"))) {
            String[] f = line.split(" ");
            if (f.length > 1 && f[1].equals("done")) {
                for (String token : f) {
                    if (token.startsWith("t=")) {
                        times.add(Long.parseLong(token.substring(2).split(",")[0]));
                    }
                }
            }
        }
        return times.stream().mapToLong(Long::longValue).toArray();
    }

    private Path slowQuery() throws IOException {
        return Files.writeString(tmp.resolve("slow.sql"), "SELECT t1.firm_root_id, t1.firm_name,\n"
                + "  (SELECT 1 FROM pg_sleep(CASE WHEN t1.firm_root_id = " + DemoData.firmId(SLOW_POSITION)
                + " THEN 0.4 ELSE 0 END)) AS slept\n"
                + "FROM firm t1 WHERE t1.firm_root_id IN ({ID_PLACEHOLDER}) ORDER BY t1.firm_root_id");
    }

    /**
     * Chunks timed each on its own ({@code chunks_per_round_trip} 1): chunks sent in one round trip
     * share the group's time ({@link #aGroupSharesItsTimeEqually}).
     */
    private AppConfig config(String... more) {
        List<String> settings = new ArrayList<>(List.of("processing.chunk_size=10", "processing.retry_delay=0.01",
                "processing.max_retries=10", "processing.thread_count=2", "processing.chunks_per_round_trip=1"));
        settings.addAll(List.of(more));
        return TestConfigs.forDatabase(db, tmp, settings.toArray(String[]::new));
    }

    private RunReport run(Path query, Sources sources, boolean keepWork) throws Exception {
        return run(config(), query, sources, keepWork);
    }

    private RunReport run(AppConfig config, Path query, Sources sources, boolean keepWork) throws Exception {
        Path ids = Files.writeString(tmp.resolve("ids.txt"), Stream.iterate(0, i -> i + 1).limit(200)
                .map(i -> Long.toString(DemoData.firmId(i))).collect(Collectors.joining("\n")));
        RunRequest request = setup(config).prepare(
                RunSetup.Choices.of(ids, query.toString(), tmp.resolve("out-" + System.nanoTime()))).withKeepWork(keepWork);
        return EngineRuns.execute(config, db, request, sources, RunListener.NONE);
    }
}
