package dev.firmquery.cli;

import dev.firmquery.exit.ExitCode;
import dev.firmquery.exit.FirmqueryException;

/** The command line cannot be understood: {@link ExitCode#USAGE}, with the message and a pointer to --help. */
final class UsageException extends FirmqueryException {
    UsageException(String message) {
        super(message);
    }

    /** {@link ExitCode#USAGE}: the command line must be fixed. */
    @Override
    public ExitCode exitCode() {
        return ExitCode.USAGE;
    }
}
