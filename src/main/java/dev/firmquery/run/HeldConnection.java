package dev.firmquery.run;

import dev.firmquery.db.ConnectionSource;
import dev.firmquery.db.SqlErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The pooled connection a worker keeps from one chunk to the next, and its read-only transaction.
 * Checking a connection out of c3p0 and back for every chunk cost about 0.7 s of the 1M-ID
 * benchmark's 12 s (proxies, resets, check-in on c3p0's helper threads).
 *
 * <p>One round trip per chunk: the transaction ({@code BEGIN READ ONLY}, which pgjdbc sends in the
 * same batch as the first statement) and a savepoint are opened once per checkout; every chunk's
 * statement is sent as {@link #UNDO_PREVIOUS_CHUNK} followed by its SELECT, in one Parse/Bind/Execute
 * batch with one Sync. The rollback to the savepoint undoes whatever the chunk before changed in the
 * session ({@code set_config(..., false)}, {@code SET search_path} from a function) as the ROLLBACK
 * per chunk it replaces did, without a round trip of its own (docs/performance.md, "With a network:
 * round trips per chunk"; at 5 ms of round trip, 1M IDs took 28 s instead of 47 s).
 *
 * <p>After any failure the connection goes back to the pool without a rollback (which discards a
 * broken one) and the next attempt takes a fresh one. A healthy one is given back, its transaction
 * rolled back, every {@value #HOLD_CHUNKS} chunks or {@value #HOLD_SECONDS} s, so that the pool's
 * idle test and {@code max_connection_age} still apply and no transaction stays open longer. One
 * worker's: not thread-safe.
 */
final class HeldConnection {
    // The engine's one logger: its lines read as one component in firmquery.log whichever class logs them.
    private static final Logger log = LoggerFactory.getLogger(RunEngine.class);

    static final int HOLD_CHUNKS = 256;
    static final int HOLD_SECONDS = 60;

    /** The savepoint every chunk rolls back to; not CockroachDB's special {@code cockroach_restart}. */
    static final String SAVEPOINT = "firmquery_chunk";

    /** Sent before every chunk's statement, in the same batch: undoes the chunk before's session changes. */
    static final String UNDO_PREVIOUS_CHUNK = "ROLLBACK TO SAVEPOINT " + SAVEPOINT + ";\n";

    private final ConnectionSource connections;
    private final PlanCacheMode planCacheMode;
    /** Shared by the run's workers, so that a server without plan_cache_mode is logged once. */
    private final AtomicBoolean genericPlansUnsupported;
    private Connection connection;
    private int uses;
    private long since;

    HeldConnection(ConnectionSource connections, PlanCacheMode planCacheMode, AtomicBoolean genericPlansUnsupported) {
        this.connections = connections;
        this.planCacheMode = planCacheMode;
        this.genericPlansUnsupported = genericPlansUnsupported;
    }

    /** The held connection, or a fresh one (read-only, outside autocommit) when there is none or it is due back. */
    Connection get() throws SQLException {
        return get(1);
    }

    /** {@link #get()} for a statement that runs {@code chunks} chunks ({@link GroupFetch}): each counts as a use. */
    Connection get(int chunks) throws SQLException {
        if (connection != null && (uses >= HOLD_CHUNKS
                || System.nanoTime() - since > TimeUnit.SECONDS.toNanos(HOLD_SECONDS))) {
            release();
        }
        if (connection == null) {
            Connection c = connections.getConnection();
            try {
                if (planCacheMode != PlanCacheMode.SERVER_DEFAULT) {
                    preferGenericPlans(c);
                }
                c.setAutoCommit(false); // pgjdbc streams with a cursor (fetch size) only outside autocommit
                c.setReadOnly(true);    // read-only, allow_writes or not (docs/decisions.md)
                try (Statement st = c.createStatement()) {
                    st.execute("SAVEPOINT " + SAVEPOINT); // with pgjdbc's BEGIN READ ONLY: one round trip
                }
            } catch (SQLException | RuntimeException e) {
                closeQuietly(c);
                throw e;
            }
            connection = c;
            uses = 0;
            since = System.nanoTime();
        }
        uses += chunks;
        return connection;
    }

    /**
     * {@code processing.generic_plans}: the chunk statement is the same text for every full chunk
     * and server-prepared by pgjdbc; {@link PlanCacheMode} says what to set on which server and why.
     * Session-wide, in autocommit, before the first chunk.
     */
    private void preferGenericPlans(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(planCacheMode.setStatement());
        } catch (SQLException e) {
            if (SqlErrors.isConnectionBroken(e)) {
                throw e;
            }
            if (genericPlansUnsupported.compareAndSet(false, true)) {
                log.info("the server does not accept plan_cache_mode ({}); chunks are planned as it decides",
                        SqlErrors.describe(e));
            }
        }
    }

    /**
     * Gives a healthy connection back to the pool, its transaction rolled back (one round trip per
     * {@value #HOLD_CHUNKS} chunks, so that no transaction is left to the pool's check-in); the next
     * chunk takes another.
     */
    void release() {
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException | RuntimeException e) {
                log.debug("rolling back a connection's transaction failed (it may be broken)", e);
            }
            closeQuietly(connection);
            connection = null;
        }
    }

    /**
     * Gives the connection back to the pool after a failure, without a rollback (on a connection
     * that stopped answering it would wait for the socket timeout): the pool rolls back or discards it.
     */
    void abandon() {
        if (connection != null) {
            closeQuietly(connection);
            connection = null;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            log.debug("giving a connection back to the pool failed (it may be broken)", e);
        }
    }
}
