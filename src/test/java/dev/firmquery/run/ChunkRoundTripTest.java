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
 * round trip per chunk on its connection, counted at a proxy as the Sync and Query messages the
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
    @DisplayName("a chunk whose rows fit in one fetch costs one round trip: no COMMIT, ROLLBACK or SET of its own")
    void aChunkCostsOneRoundTrip() throws Exception {
        // 4 chunks against 16: the 12 chunks more cost 12 round trips more, generic plans or not.
        assertEquals(12, roundTrips(80) - roundTrips(20));
        assertEquals(12, roundTrips(80, "processing.generic_plans=false")
                - roundTrips(20, "processing.generic_plans=false"));
    }

    @Test
    @DisplayName("a chunk's rows still stream in fetch_size pieces, one round trip each")
    void rowsStillStreamInFetchSizePieces() throws Exception {
        // Five firms, three rows each: 15 rows per chunk, fetched 4 at a time in 4 round trips
        // (the statement with its first 4 rows, then 3 more fetches). A result read whole would cost 1.
        assertEquals(12 * 4, roundTrips(80, "processing.fetch_size=4") - roundTrips(20, "processing.fetch_size=4"));
    }
}
