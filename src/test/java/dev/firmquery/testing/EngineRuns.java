package dev.firmquery.testing;

import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.db.ConnectionSource;
import dev.firmquery.db.Database;
import dev.firmquery.run.RunEngine;
import dev.firmquery.run.RunListener;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunSetup;

import java.sql.SQLException;
import java.time.Clock;
import java.util.SplittableRandom;

/**
 * The engine run in-process against a test database, as the run specs drive it: requests prepared by
 * a {@link RunSetup} over the test home's queries, a pool of the configured size per run, and a seeded
 * jitter so retries back off the same way every time.
 */
public final class EngineRuns {
    private EngineRuns() {
    }

    /** What the engine's connections come through: the pool itself, or a wrapper that injects a fault. */
    @FunctionalInterface
    public interface Sources {
        /** The pool as it is. */
        Sources POOL = pool -> pool;

        /** The connection source the engine gets for {@code pool}. */
        ConnectionSource wrap(ConnectionPool pool);
    }

    /** Prepares requests with {@code config} and the test home's query folders. */
    public static RunSetup setup(AppConfig config) {
        return new RunSetup(config, RunSetup.queryRoots(TestConfigs.home()), Clock.systemDefaultZone());
    }

    /** A pool on {@code db} as {@code config} sizes it; the caller closes it. */
    public static ConnectionPool pool(AppConfig config, TestPostgres.TestDatabase db) throws SQLException {
        return new ConnectionPool(Database.dataSource(config.database(), TestConfigs.environment(db)), config.database());
    }

    /** Runs {@code request} on a pool of its own on {@code db}, through {@code sources}, telling {@code listener}. */
    public static RunReport execute(AppConfig config, TestPostgres.TestDatabase db, RunRequest request, Sources sources,
                                    RunListener listener) throws Exception {
        try (ConnectionPool pool = pool(config, db)) {
            return new RunEngine(sources.wrap(pool), listener, new SplittableRandom(1), Clock.systemUTC())
                    .execute(request);
        }
    }
}
