package dev.firmquery.app;

import dev.firmquery.exit.ExitCode;
import dev.firmquery.exit.FirmqueryException;

/**
 * A {@link DatabaseSession} cannot be opened: the Kerberos login failed, or the connections cannot be
 * set up. The message says which, with the fix ({@code kinit}, the {@code database} section).
 */
public final class SessionException extends FirmqueryException {
    SessionException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@link ExitCode#CONNECT}: without a login or a pool nothing can be run. */
    @Override
    public ExitCode exitCode() {
        return ExitCode.CONNECT;
    }
}
