package dev.firmquery.db;

import com.mchange.v2.c3p0.DataSources;
import com.mchange.v2.c3p0.PooledDataSource;
import dev.firmquery.config.AppConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The c3p0 pool of exactly {@code database.max_connections} connections that the workers share.
 *
 * <p>Connections are not tested on checkout (a round trip per chunk; see the constructor): one that
 * died while pooled fails its chunk's statement with a connection error, and connections that failed
 * with a class-08 error are marked broken by c3p0 and never handed out again, so the retry gets a
 * fresh one (docs/reliability.md, "Faults and what happens"). Idle connections are tested every minute.
 */
public final class ConnectionPool implements ConnectionSource, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectionPool.class);

    private final PooledDataSource pool;
    private final String target;

    /**
     * @param unpooled where physical connections come from
     * @param db       the {@code database} section (pool size, timeouts)
     */
    public ConnectionPool(DataSource unpooled, AppConfig.Database db) throws SQLException {
        this.target = Database.describe(db);
        Map<String, Object> props = new HashMap<>();
        props.put("dataSourceName", "firmquery");
        props.put("minPoolSize", 0);
        props.put("initialPoolSize", 0);
        props.put("maxPoolSize", db.maxConnections());
        props.put("acquireIncrement", 1);
        // One acquisition attempt per checkout: the driver's own connect timeout bounds it, and an
        // unreachable database must fail within connection_timeout, not after c3p0's 30 silent retries.
        props.put("acquireRetryAttempts", 1);
        props.put("acquireRetryDelay", 500);
        props.put("breakAfterAcquireFailure", false);
        props.put("checkoutTimeout", (int) Math.max(1000, db.connectionTimeout().toMillis()));
        // No test on checkout: it cost a round trip per chunk (4,000 in the 1M-ID benchmark, about 1 s of
        // CPU). A connection that died while pooled fails its chunk's statement with a connection error
        // instead, which c3p0 answers by discarding the connection and the engine by retrying the chunk
        // on a fresh one (ReliabilityTest: server restart, killed backends). Idle connections are still
        // tested every minute, so a run rarely meets a dead one at all.
        props.put("testConnectionOnCheckout", false);
        props.put("idleConnectionTestPeriod", 60);
        props.put("maxConnectionAge", (int) Math.max(0, db.maxConnectionAge().toSeconds()));
        props.put("maxIdleTime", 600);
        props.put("numHelperThreads", 2);
        this.pool = (PooledDataSource) DataSources.pooledDataSource(unpooled, props);
    }

    /**
     * A pooled connection (not tested on checkout: see the constructor); the caller closes it to give it back.
     *
     * @throws SQLException with the pool state in the message when none became free in time
     */
    @Override
    public Connection getConnection() throws SQLException {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            // The SQLState is kept as the exception's own; the message carries the cause's text only, so
            // that callers adding their hint do not repeat it.
            SQLException root = rootSql(e);
            String cause = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().strip();
            int nl = cause.indexOf('\n');
            throw new SQLException("could not get a connection to " + target + " within database.connection_timeout"
                    + " (pool " + state() + "): " + (nl > 0 ? cause.substring(0, nl) : cause),
                    SqlErrors.sqlState(e) == null ? "08001" : SqlErrors.sqlState(e), e);
        }
    }

    /** The pool as a {@link DataSource}, for code that takes one. */
    public DataSource asDataSource() {
        return pool;
    }

    /** A snapshot of the pool for the status bar and error messages. */
    public PoolState snapshot() {
        try {
            return new PoolState(pool.getNumConnectionsDefaultUser(), pool.getNumBusyConnectionsDefaultUser(),
                    pool.getNumIdleConnectionsDefaultUser(), pool.getNumThreadsAwaitingCheckoutDefaultUser());
        } catch (SQLException e) {
            return new PoolState(-1, -1, -1, -1);
        }
    }

    /** HikariCP-style one-line pool state: {@code total=2, active=2, idle=0, waiting=1}. */
    public String state() {
        PoolState s = snapshot();
        return "total=" + s.total() + ", active=" + s.active() + ", idle=" + s.idle() + ", waiting=" + s.waiting();
    }

    /** Closes every connection; a failure to close is logged, since there is nothing left to do about it. */
    @Override
    public void close() {
        try {
            DataSources.destroy(pool);
        } catch (SQLException e) {
            log.warn("closing the connection pool for {} failed", target, e);
        }
    }

    private static SQLException rootSql(SQLException e) {
        SQLException deepest = e;
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                deepest = s;
            }
        }
        return deepest;
    }

    /** Connection counts of the pool at one moment. */
    public record PoolState(int total, int active, int idle, int waiting) {
    }
}
