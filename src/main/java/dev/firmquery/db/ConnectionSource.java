package dev.firmquery.db;

import java.sql.Connection;
import java.sql.SQLException;

/** Where the engine's workers get their connections: the pool in production, anything in tests. */
@FunctionalInterface
public interface ConnectionSource {
    /** A usable connection; the caller closes it. */
    Connection getConnection() throws SQLException;
}
