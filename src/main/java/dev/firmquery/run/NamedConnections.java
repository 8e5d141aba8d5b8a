package dev.firmquery.run;

import dev.firmquery.db.ConnectionSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The run's connections, each named {@code firmquery/<version> <run-id>} in {@code application_name}, so
 * that {@code pg_stat_activity} and CockroachDB's {@code SHOW QUERIES} say whose run a session is
 * (docs/operations.md, "Finding a run from the database"). pgjdbc sends the {@code SET} only when the
 * name differs from the session's ({@code PgConnection.setClientInfo}): once per pooled connection and
 * run, in autocommit as the pool hands it out, so no rollback of a chunk undoes it.
 */
final class NamedConnections implements ConnectionSource {
    // The engine's one logger: its lines read as one component in firmquery.log whichever class logs them.
    private static final Logger log = LoggerFactory.getLogger(RunEngine.class);

    /** PostgreSQL keeps the first 63 bytes of application_name (NAMEDATALEN - 1). */
    static final int MAX_LENGTH = 63;

    private final ConnectionSource connections;
    private final String name;

    NamedConnections(ConnectionSource connections, String runId) {
        this.connections = connections;
        this.name = applicationName(runId);
    }

    /** {@code firmquery/<version> <run-id>}, cut to what PostgreSQL keeps. */
    static String applicationName(String runId) {
        String n = "firmquery/" + Version.current() + " " + runId;
        return n.length() > MAX_LENGTH ? n.substring(0, MAX_LENGTH) : n;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c = connections.getConnection();
        try {
            c.setClientInfo("ApplicationName", name);
        } catch (SQLException e) {
            // A name is for the DBA's eyes only; a server that refuses it must not fail the chunk.
            log.debug("could not set application_name to '{}': {}", name, e.getMessage());
        }
        return c;
    }

    @Override
    public void beforeChunk() throws SQLException {
        connections.beforeChunk();
    }
}
