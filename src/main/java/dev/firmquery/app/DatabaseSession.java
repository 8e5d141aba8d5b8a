package dev.firmquery.app;

import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.db.ConnectionSource;
import dev.firmquery.db.Database;
import dev.firmquery.db.PasswordCommand;
import dev.firmquery.kerberos.ExpiredTicketHandler;
import dev.firmquery.kerberos.KerberosException;
import dev.firmquery.kerberos.KerberosSession;
import dev.firmquery.kerberos.TicketGuard;
import dev.firmquery.run.ChunkExplainer;
import dev.firmquery.run.RunEngine;
import dev.firmquery.run.RunException;
import dev.firmquery.run.RunListener;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Everything a front end needs to run queries against the configured database, opened once per
 * command (a headless run) or per UI session: the Kerberos login when {@code database.auth} is
 * {@code kerberos}, the unpooled {@link DataSource} (inside the login's Subject), and the
 * {@link ConnectionPool} of {@code database.max_connections}. Each run gets its engine from
 * {@link #create}: with Kerberos behind a {@link TicketGuard}, which renews the ticket before every
 * chunk and lets the run wait for {@code kinit} when it expired for good.
 *
 * <pre>
 * try (DatabaseSession db = DatabaseSession.open(config, env)) {
 *     RunExecutor run = db.create(listener, tickets);
 *     RunReport report = run.execute(request);   // run.cancel() from a signal handler
 * }
 * </pre>
 *
 * <p>{@link #close()} undoes the opening in reverse: runs still executing are cancelled (their ticket
 * waits abandoned first), then the pool is closed, then the login is logged out. Thread-safe.
 */
public final class DatabaseSession implements RunExecutor.Factory, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DatabaseSession.class);

    /** How a session makes the executor of one run; the real one is {@link #engine}. */
    @FunctionalInterface
    interface Engines {
        RunExecutor create(ConnectionSource connections, KerberosSession kerberos, RunListener listener,
                           ExpiredTicketHandler tickets);
    }

    /** Builds the pool on the unpooled data source (a seam for the close-order tests). */
    @FunctionalInterface
    interface Pools {
        ConnectionPool open(DataSource unpooled) throws SQLException;
    }

    private final KerberosSession kerberos;
    private final ConnectionPool pool;
    private final Engines engines;
    private final Set<RunExecutor> executing = ConcurrentHashMap.newKeySet();

    DatabaseSession(KerberosSession kerberos, ConnectionPool pool, Engines engines) {
        this.kerberos = kerberos;
        this.pool = Objects.requireNonNull(pool, "pool");
        this.engines = engines;
    }

    /**
     * Logs in if {@code database.auth} is {@code kerberos} and sets up the pool. No connection is opened
     * yet: an unreachable database shows at the run's first statement, with the run's own message.
     *
     * @param environment the process environment: the password variables, {@code KRB5CCNAME}, {@code KRB5_CONFIG}
     * @throws SessionException the login failed (the cause and the fix, e.g. run {@code kinit}) or the
     *                          pool cannot be built (a driver or configuration problem); nothing stays open
     */
    public static DatabaseSession open(AppConfig config, Map<String, String> environment) throws SessionException {
        AppConfig.Database db = config.database();
        KerberosSession kerberos = null;
        if (db.auth() == AppConfig.AuthMode.KERBEROS) {
            try {
                kerberos = KerberosSession.login(config, environment);
            } catch (KerberosException e) {
                throw new SessionException("Kerberos login failed: " + e.getMessage(), e);
            }
        }
        if (kerberos == null) {
            Optional<String> password = password(db, environment);
            return open(null, () -> Database.dataSource(db, password), unpooled -> new ConnectionPool(unpooled, db), db);
        }
        KerberosSession login = kerberos;
        return open(login, () -> login.dataSource(db, environment), unpooled -> new ConnectionPool(unpooled, db), db);
    }

    /** The password of password authentication ({@link Database#password}); a failed command cannot connect. */
    private static Optional<String> password(AppConfig.Database db, Map<String, String> environment)
            throws SessionException {
        try {
            return Database.password(db, environment);
        } catch (PasswordCommand.Failure e) {
            throw new SessionException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionException("interrupted while database.password_command ran; it was stopped", e);
        }
    }

    /**
     * The steps after the login: data source, then pool; if either fails the login is logged out again.
     */
    static DatabaseSession open(KerberosSession kerberos, Supplier<DataSource> unpooled,
                                Pools pools, AppConfig.Database db) throws SessionException {
        try {
            return new DatabaseSession(kerberos, pools.open(unpooled.get()), DatabaseSession::engine);
        } catch (SQLException e) {
            closeLogin(kerberos);
            throw new SessionException("cannot set up connections to " + Database.describe(db) + ": "
                    + e.getMessage() + "; check the database section of the configuration", e);
        } catch (RuntimeException | Error e) {
            closeLogin(kerberos);
            throw e;
        }
    }

    /**
     * The executors of runs on {@code connections} without Kerberos, for a pool the caller owns and
     * closes (tests, benchmarks). The same engine wiring as a session's.
     */
    public static RunExecutor.Factory engines(ConnectionSource connections) {
        return (listener, tickets) -> engine(connections, null, listener, tickets);
    }

    /**
     * The engine of one run: behind a {@link TicketGuard} when there is a Kerberos login. This is the
     * one place the cancel path is decided: abandon the ticket waits, then cancel the engine, so a worker
     * that waits for {@code kinit} stops waiting and the run ends as cancelled, not as a Kerberos stop.
     */
    static RunExecutor engine(ConnectionSource connections, KerberosSession kerberos, RunListener listener,
                              ExpiredTicketHandler tickets) {
        TicketGuard guard = kerberos == null ? null : new TicketGuard(connections, kerberos, tickets);
        RunEngine engine = new RunEngine(guard == null ? connections : guard, listener, new SplittableRandom(),
                Clock.systemUTC());
        return new RunExecutor() {
            @Override
            public RunReport execute(RunRequest request) throws RunException, InterruptedException {
                return engine.execute(request);
            }

            @Override
            public void cancel() {
                if (guard != null) {
                    guard.abandonWaits();
                }
                engine.cancel();
            }
        };
    }

    @Override
    public RunExecutor create(RunListener listener, ExpiredTicketHandler tickets) {
        RunExecutor run = engines.create(pool, kerberos, listener, tickets);
        return new RunExecutor() {
            @Override
            public RunReport execute(RunRequest request) throws RunException, InterruptedException {
                executing.add(run);
                try {
                    return run.execute(request);
                } finally {
                    executing.remove(run);
                }
            }

            @Override
            public void cancel() {
                run.cancel();
            }
        };
    }

    /** The Kerberos login, when {@code database.auth} is {@code kerberos}. */
    public Optional<KerberosSession> kerberos() {
        return Optional.ofNullable(kerberos);
    }

    /** Explains the chunk on one of the session's connections (behind the ticket guard with Kerberos). */
    @Override
    public ChunkExplainer.Explained explain(RunRequest request, int index) throws SQLException {
        try (java.sql.Connection c = connections().getConnection()) {
            return ChunkExplainer.explain(c, request, index);
        }
    }

    /** The session's pool, for a command that queries it itself ({@code firmquery explain}). */
    public ConnectionSource connections() {
        return pool;
    }

    /** The pool's connection counts now (the UI's status bar polls it). */
    public ConnectionPool.PoolState poolState() {
        return pool.snapshot();
    }

    /**
     * Cancels the runs still executing, closes the pool, then logs out; each step runs even if one
     * before it failed.
     */
    @Override
    public void close() {
        List<RunExecutor> left = List.copyOf(executing);
        if (!left.isEmpty()) {
            log.warn("closing the database session with {} run(s) still executing: cancelling them", left.size());
        }
        for (RunExecutor run : left) {
            try {
                run.cancel();
            } catch (RuntimeException e) {
                log.warn("cancelling a run while closing the session failed", e);
            }
        }
        try {
            pool.close();
        } finally {
            closeLogin(kerberos);
        }
    }

    private static void closeLogin(KerberosSession kerberos) {
        if (kerberos != null) {
            kerberos.close();
        }
    }
}
