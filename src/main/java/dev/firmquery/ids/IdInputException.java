package dev.firmquery.ids;

import dev.firmquery.exit.ExitCode;
import dev.firmquery.exit.FirmqueryException;

/**
 * The ID input cannot be used at all (unreadable, no ID column, too many IDs...). The message says
 * what, where and how to fix it. Individual bad values are not exceptions: they are counted invalid.
 */
public class IdInputException extends FirmqueryException {
    public IdInputException(String message) {
        super(message);
    }

    public IdInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@link ExitCode#USAGE}: the ID input must be fixed. */
    @Override
    public ExitCode exitCode() {
        return ExitCode.USAGE;
    }
}
