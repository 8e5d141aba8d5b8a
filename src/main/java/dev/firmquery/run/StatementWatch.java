package dev.firmquery.run;

import dev.firmquery.threads.NamedThreads;
import dev.firmquery.db.Database;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Bounds and cancels the engine's work on the database: the describe step and every chunk statement,
 * from its execute to its last streamed row (docs/reliability.md, "Shared host").
 *
 * <p>JDBC's {@code setQueryTimeout} stops at {@code executeQuery}: pgjdbc's {@code Statement.cancel()}
 * does nothing once execute has returned, so rows streamed by cursor fetches, and the describe, could
 * not be timed out or cancelled at all. This watch cancels through the connection instead
 * ({@link PGConnection#cancelQuery()}, the protocol's cancel request), which stops whatever the backend
 * is running for us; the server's own {@code statement_timeout} ({@link Database}) bounds each round
 * trip as well, should this process be the slow one.
 *
 * <p>A cancel is only ever sent while the {@link Watched} it belongs to is open, and closing it waits
 * for a cancel in flight: a late cancel must not hit the next chunk on the same connection.
 */
final class StatementWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatementWatch.class);
    /** How often deadlines are checked: a timeout is reported within this of the deadline. */
    private static final long TICK_MILLIS = 100;
    /** A timed-out statement whose cancel met an idle backend is cancelled again this often. */
    private static final long RECANCEL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Set<Watched> open = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean closed;

    StatementWatch() {
        thread = NamedThreads.single("firmquery-statement-watch").newThread(this::loop);
        thread.start();
    }

    /**
     * Starts watching work on {@code connection} that must end within {@code timeout}; close the result
     * when the work is over (before anything else runs on the connection).
     *
     * @param statement the statement, cancelled directly when the connection is not pgjdbc's
     * @param what      for messages, e.g. "chunk 12/4000"
     */
    Watched watch(Connection connection, Statement statement, Duration timeout, String what) {
        PGConnection pg = null;
        try {
            // Unwrapped here, on the worker: the pool's proxy locks itself while the worker waits in a call.
            if (connection.isWrapperFor(PGConnection.class)) {
                pg = connection.unwrap(PGConnection.class);
            }
        } catch (SQLException e) {
            log.debug("cannot unwrap the pgjdbc connection; cancelling through the statement", e);
        }
        Watched w = new Watched(pg, statement, System.nanoTime() + timeout.toNanos(), timeout, what);
        open.add(w);
        return w;
    }

    /** Cancels everything being watched (the run was cancelled); each call fails with 57014. */
    void cancelAll() {
        for (Watched w : open) {
            w.cancel();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
                Thread.currentThread().interrupt();
                return;
            }
            long now = System.nanoTime();
            for (Watched w : open) {
                if (now - w.deadline > 0 && (!w.timedOut || now - w.lastCancel > RECANCEL_NANOS)) {
                    if (!w.timedOut) {
                        log.warn("{} still running after database.query_timeout ({} s): cancelling it", w.what,
                                w.timeout.toMillis() / 1000.0);
                    }
                    w.timedOut = true;
                    w.cancel();
                }
            }
        }
    }

    /** One piece of watched work; see {@link #watch}. */
    final class Watched implements AutoCloseable {
        private final PGConnection pg;
        private final Statement statement;
        private final long deadline;
        private final Duration timeout;
        private final String what;
        private final Object lock = new Object();
        private boolean isOpen = true;
        private volatile boolean timedOut;
        private volatile long lastCancel;

        private Watched(PGConnection pg, Statement statement, long deadline, Duration timeout, String what) {
            this.pg = pg;
            this.statement = statement;
            this.deadline = deadline;
            this.timeout = timeout;
            this.what = what;
        }

        /** Whether the deadline passed; the work must then stop (checked for every streamed row). */
        boolean timedOut() {
            return timedOut;
        }

        /** @throws SQLException with SQLState 57014 once the deadline has passed */
        void checkDeadline() throws SQLException {
            if (timedOut || System.nanoTime() - deadline > 0) {
                timedOut = true;
                throw timeoutException(null);
            }
        }

        /**
         * {@code e} as the timeout it is when this work timed out (the cancel's "canceling statement due
         * to user request" would read as if someone had cancelled it), else {@code e} itself.
         */
        SQLException translate(SQLException e) {
            return timedOut ? timeoutException(e) : e;
        }

        private SQLException timeoutException(SQLException cause) {
            return new SQLException(what + " ran longer than database.query_timeout (" + seconds(timeout)
                    + ") and was cancelled", "57014", cause);
        }

        private void cancel() {
            synchronized (lock) {
                if (!isOpen) {
                    return;
                }
                lastCancel = System.nanoTime();
                try {
                    if (pg != null) {
                        pg.cancelQuery();
                    } else if (statement != null) {
                        statement.cancel();
                    }
                } catch (SQLException | RuntimeException e) {
                    log.debug("cancel of {} failed (it may have just finished)", what, e);
                }
            }
        }

        @Override
        public void close() {
            synchronized (lock) {
                isOpen = false;
            }
            open.remove(this);
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(java.util.Locale.ROOT, "%.1f s",
                d.toMillis() / 1000.0);
    }
}
