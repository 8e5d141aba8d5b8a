package dev.firmquery.db;

import java.sql.SQLException;

/**
 * No connection can be had for a reason that retrying chunks cannot fix, but that the user can (the
 * Kerberos ticket expired and was not renewed in time: docs/kerberos.md, "The ticket during a run").
 * The engine does not fail the chunk: it stops the run, keeps everything finished, and ends it as a
 * partial run that can be resumed.
 */
public class RunStoppingException extends SQLException {
    public RunStoppingException(String message, String sqlState, Throwable cause) {
        super(message, sqlState, cause);
    }
}
