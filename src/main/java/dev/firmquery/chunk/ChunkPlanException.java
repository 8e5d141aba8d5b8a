package dev.firmquery.chunk;

import dev.firmquery.exit.ExitCode;
import dev.firmquery.exit.FirmqueryException;

/** The IDs cannot be cut into statements within the configured limits; the message says which limit to raise. */
public class ChunkPlanException extends FirmqueryException {
    public ChunkPlanException(String message) {
        super(message);
    }

    /** {@link ExitCode#USAGE}: a limit in the configuration must be raised. */
    @Override
    public ExitCode exitCode() {
        return ExitCode.USAGE;
    }
}
