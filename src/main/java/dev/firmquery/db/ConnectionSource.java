package dev.firmquery.db;

import java.sql.Connection;
import java.sql.SQLException;

/** Where the engine's workers get their connections: the pool in production, anything in tests. */
@FunctionalInterface
public interface ConnectionSource {
    /** A usable connection; the caller closes it. */
    Connection getConnection() throws SQLException;

    /**
     * Called before every chunk attempt, also when the worker goes on with a connection it already
     * holds: a source that guards something per chunk (the Kerberos ticket) checks it here, so that
     * holding a connection never skips the check. Does nothing by default.
     */
    default void beforeChunk() throws SQLException {
    }
}
