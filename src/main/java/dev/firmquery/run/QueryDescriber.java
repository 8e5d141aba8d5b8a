package dev.firmquery.run;

import dev.firmquery.chunk.Chunk;
import dev.firmquery.db.Backoff;
import dev.firmquery.db.ConnectionSource;
import dev.firmquery.db.ErrorKind;
import dev.firmquery.db.SqlErrors;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.export.Column;
import dev.firmquery.export.JdbcColumns;
import dev.firmquery.ids.IdList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Learns the result columns and the ID column from the server before any chunk runs, by preparing
 * the first chunk's statement (Parse and Describe, no execution). The describe is the first
 * statement of a run, so a transient failure (a killed backend, a lost connection, a serialization
 * error) is retried as a chunk would be, up to {@code processing.max_retries} times: a failover that
 * a chunk would ride out must not end the run.
 */
final class QueryDescriber {
    // The engine's one logger: its lines read as one component in firmquery.log whichever class logs them.
    private static final Logger log = LoggerFactory.getLogger(RunEngine.class);

    private final ConnectionSource connections;
    private final RandomGenerator jitter;
    private final RunControl control;

    QueryDescriber(ConnectionSource connections, RandomGenerator jitter, RunControl control) {
        this.connections = connections;
        this.jitter = jitter;
        this.control = control;
    }

    /**
     * @throws RunException {@code CONNECT} when the database cannot be reached or does not describe
     *                      the statement within {@code database.query_timeout}, {@code USAGE} when it
     *                      rejects the query or the result has no ID column, the cancelled code when
     *                      the run was cancelled meanwhile
     */
    RunEngine.Described describe(RunRequest request) throws RunException {
        Backoff backoff = Backoff.of(request.settings().retryDelay());
        int maxAttempts = request.settings().maxRetries() + 1;
        for (int attempt = 1; ; attempt++) {
            try {
                return describeOnce(request);
            } catch (TransientDescribeFailure e) {
                if (attempt >= maxAttempts || control.isCancelled()) {
                    throw e.failure;
                }
                Duration delay = backoff.delay(attempt, jitter);
                log.warn("Describing the query {} failed (attempt {}/{}), retrying in {} ms: {}",
                        request.template().name(), attempt, maxAttempts, delay.toMillis(), e.getMessage());
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new RunException("the run was interrupted while the database described the query "
                            + request.template().name() + "; nothing was run", RunStatus.CANCELLED.exitCode(), ie);
                }
            }
        }
    }

    /** A describe failure worth another try; carries the error to report when the tries run out. */
    private static final class TransientDescribeFailure extends Exception {
        final RunException failure;

        TransientDescribeFailure(RunException failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }

    private RunEngine.Described describeOnce(RunRequest request) throws RunException, TransientDescribeFailure {
        Chunk first = request.plan().get(0);
        IdList ids = request.input().ids();
        String sql = request.renderer().sql(ids, first.from(), first.to());
        Duration timeout = request.settings().queryTimeout();
        try (Connection con = connections.getConnection();
             PreparedStatement version = con.prepareStatement("SELECT version()");
             PreparedStatement ps = con.prepareStatement(sql);
             StatementWatch.Watched watched = control.watch().watch(con, ps, timeout, "describing the query")) {
            ResultSetMetaData md;
            DatabaseServer server;
            try {
                if (control.isCancelled()) {
                    throw new SQLException("run cancelled", "57014");
                }
                server = serverOf(version);
                request.renderer().bind(ps, ids, first.from(), first.to());
                // Parse and Describe: bounded by the watch and the session's statement_timeout, and
                // cancellable like any chunk, since a statement can take long to plan.
                md = ps.getMetaData();
            } catch (SQLException e) {
                throw watched.translate(e);
            }
            if (md == null || md.getColumnCount() == 0) {
                throw new RunException("the query " + request.template().name() + " returns no columns; "
                        + "it must be a SELECT whose result includes the ID column", ExitCode.USAGE);
            }
            List<Column> columns = JdbcColumns.columnsOf(md);
            log.info("the server is {} ({}); plan_cache_mode {}", server.label(), server.version(),
                    PlanCacheMode.choose(server, request.settings().genericPlans()).label());
            return new RunEngine.Described(columns, IdColumnCheck.idColumn(request, columns), server);
        } catch (SQLException e) {
            if (control.isCancelled()) {
                throw new RunException("the run was cancelled while the database described the query "
                        + request.template().name() + "; nothing was run", RunStatus.CANCELLED.exitCode(), e);
            }
            ErrorKind kind = SqlErrors.classify(e, false);
            if (kind == ErrorKind.TIMEOUT) {
                throw new RunException("the database did not describe the query " + request.template().name()
                        + " within database.query_timeout (" + timeout.toMillis() / 1000.0 + " s): "
                        + SqlErrors.describe(e) + "; check the database's load, or raise database.query_timeout"
                        + " if planning this statement legitimately takes that long", ExitCode.CONNECT, e);
            }
            String state = SqlErrors.sqlState(e);
            boolean connection = kind == ErrorKind.TRANSIENT || (state != null && state.startsWith("28"));
            if (connection) {
                RunException failure = new RunException("cannot connect to the database: " + SqlErrors.describe(e)
                        + "; check database.host/port/database/user and that the server is reachable "
                        + "(firmquery check diagnoses it)", ExitCode.CONNECT, e);
                if (kind == ErrorKind.TRANSIENT) {
                    throw new TransientDescribeFailure(failure);
                }
                throw failure;
            }
            throw new RunException("the database rejected the query " + request.template().name()
                    + (request.template().source() == null ? "" : " (" + request.template().source() + ")")
                    + ": " + SqlErrors.describe(e) + "; fix the template and run again", ExitCode.USAGE, e);
        }
    }

    /** The server behind the describe's connection, from {@code version()} (one round trip per run). */
    private static DatabaseServer serverOf(PreparedStatement version) throws SQLException {
        try (java.sql.ResultSet rs = version.executeQuery()) {
            return DatabaseServer.parse(rs.next() ? rs.getString(1) : "");
        }
    }
}
