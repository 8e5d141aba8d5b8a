package dev.firmquery.localpg;

import dev.firmquery.exit.ExitCode;
import dev.firmquery.exit.FirmqueryException;

/**
 * A throwaway PostgreSQL server could not be started (or a database on it could not be created).
 * The message says what failed, where (binary, directory, port) and what to install or change; when
 * the server itself complained, the message ends with the tail of its log.
 */
public class PostgresServerException extends FirmqueryException {
    public PostgresServerException(String message) {
        super(message);
    }

    /**
     * @param message what failed, where, and what to install or change
     * @param cause   the underlying failure
     */
    public PostgresServerException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@link ExitCode#USAGE}: the local installation must be fixed (binaries, directory, port). */
    @Override
    public ExitCode exitCode() {
        return ExitCode.USAGE;
    }
}
