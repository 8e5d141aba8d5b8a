package dev.firmquery.run;

import dev.firmquery.config.AppConfig;
import dev.firmquery.demo.DemoData;
import dev.firmquery.testing.EngineRuns;
import dev.firmquery.testing.RoundTripCounter;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a chunk costs on the network (docs/performance.md, "Round trips"): in the steady state one
 * round trip per chunk on its connection, or per group of {@code processing.chunks_per_round_trip}, counted at a proxy as the Sync and Query messages the
 * client waits on. The cost of a run's set-up (describe, ID checks, opening the connection and its
 * transaction) is taken out by comparing a run of few chunks with a run of many.
 */
@DisplayName("Round trips per chunk on a real PostgreSQL")
class ChunkRoundTripTest {
    private static final int FIRMS = 200;
    private static TestPostgres.TestDatabase db;
    private static RoundTripCounter counter;

    @TempDir
    Path tmp;

    @BeforeAll
    static void database() throws Exception {
        db = TestPostgres.freshDatabase("chunk_round_trips");
        try (Connection c = db.connect()) {
            DemoData.create(c, FIRMS, 3);
        }
        counter = new RoundTripCounter(db.host(), db.port());
    }

    @AfterAll
    static void stop() throws Exception {
        counter.close();
    }

    /** Every chunk sent on its own. */
    private static final String ALONE = "processing.chunks_per_round_trip=1";

    /** The round trips of a run of {@code ids} IDs, five per chunk, on one connection through the counter. */
    private long roundTrips(int ids, String... settings) throws Exception {
        List<String> all = new ArrayList<>(List.of("processing.thread_count=1", "database.max_connections=1",
                "processing.chunk_size=5", "output.formats=csv", "database.port=" + counter.port()));
        all.addAll(List.of(settings));
        AppConfig config = TestConfigs.forDatabase(db, tmp, all.toArray(String[]::new));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < ids; i++) {
            lines.add(Long.toString(DemoData.firmId(i)));
        }
        Path idFile = Files.writeString(tmp.resolve("ids-" + ids + ".txt"), String.join("\n", lines));
        Path template = Files.writeString(tmp.resolve("plain.sql"),
                "SELECT t1.firm_root_id, t1.firm_name, copy FROM firm t1 CROSS JOIN generate_series(1, 3) AS copy"
                        + " WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})");
        RunRequest request = EngineRuns.setup(config)
                .prepare(RunSetup.Choices.of(idFile, template.toString(), tmp.resolve("out-" + ids)));
        long before = counter.roundTrips();
        RunReport r = EngineRuns.execute(config, db, request, EngineRuns.Sources.POOL, RunListener.NONE);
        assertEquals(RunStatus.COMPLETED, r.status(), String.valueOf(r.outputs().failures()));
        return counter.roundTrips() - before;
    }

    @Test
    @DisplayName("a chunk sent on its own whose rows fit in one fetch costs one round trip: no COMMIT, ROLLBACK or SET of its own")
    void aChunkCostsOneRoundTrip() throws Exception {
        // 4 chunks against 16: the 12 chunks more cost 12 round trips more, generic plans or not.
        assertEquals(12, roundTrips(80, ALONE) - roundTrips(20, ALONE));
        assertEquals(12, roundTrips(80, ALONE, "processing.generic_plans=false")
                - roundTrips(20, ALONE, "processing.generic_plans=false"));
    }

    @Test
    @DisplayName("chunks sent together cost one round trip per group: 32 chunks more in groups of 8 cost 4 more")
    void chunksSentTogetherCostOneRoundTripPerGroup() throws Exception {
        // 8 chunks (one group) against 40 (five): the default processing.chunks_per_round_trip is 8.
        assertEquals(4, roundTrips(200) - roundTrips(40));
        assertEquals(8, roundTrips(200, "processing.chunks_per_round_trip=4")
                - roundTrips(40, "processing.chunks_per_round_trip=4"));
        assertEquals(4, roundTrips(200, "processing.generic_plans=false") - roundTrips(40, "processing.generic_plans=false"));
    }

    @Test
    @DisplayName("a chunk's rows still stream in fetch_size pieces, one round trip each")
    void rowsStillStreamInFetchSizePieces() throws Exception {
        // Five firms, three rows each: 15 rows per chunk, fetched 4 at a time in 4 round trips
        // (the statement with its first 4 rows, then 3 more fetches). A result read whole would cost 1.
        assertEquals(12 * 4, roundTrips(80, ALONE, "processing.fetch_size=4")
                - roundTrips(20, ALONE, "processing.fetch_size=4"));
    }

    @Test
    @DisplayName("a group whose chunk returns fetch_size rows costs one round trip more, then its chunks go one by one")
    void aGroupWithTooManyRowsFallsBackToChunksOnTheirOwn() throws Exception {
        // 15 rows per chunk, fetch_size 15: the first group (8 chunks) comes back with 15 rows for each, maybe
        // more, so each runs again on its own and the worker sends its next chunks on their own too. On its
        // own a chunk costs 2 (its 15 rows fill the fetch, a second fetch finds the end): 16 chunks cost
        // 1 + 8 * 2 + 8 * 2 round trips, 4 chunks 1 + 4 * 2.
        assertEquals(33 - 9, roundTrips(80, "processing.fetch_size=15") - roundTrips(20, "processing.fetch_size=15"));
    }
}
