package dev.firmquery.run.store;

import dev.firmquery.exit.ExitCode;
import dev.firmquery.exit.FirmqueryException;

/**
 * A run folder cannot be used: it is not one, it is damaged or was modified, it was written by
 * another firmquery version, another process is running it, or it cannot be created or locked. The
 * message names the folder, says what is wrong and how to go on; the engine turns it into the
 * command's outcome.
 */
public final class RunStoreException extends FirmqueryException {

    /** A problem found in the folder itself. */
    public RunStoreException(String message) {
        super(message);
    }

    /** A problem caused by {@code cause} (an I/O error, an unreadable value). */
    public RunStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@link ExitCode#USAGE}: the folder given (or found) cannot be used as it is. */
    @Override
    public ExitCode exitCode() {
        return ExitCode.USAGE;
    }
}
