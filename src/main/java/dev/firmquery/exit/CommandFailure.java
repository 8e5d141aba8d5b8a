package dev.firmquery.exit;

import java.util.Objects;

/**
 * A command cannot go on for a reason no narrower type describes (no terminal for the UI, the demo's
 * data cannot be written, the run thread was interrupted); it carries its {@link ExitCode} like every
 * {@link FirmqueryException}.
 */
public final class CommandFailure extends FirmqueryException {
    private final ExitCode exitCode;

    public CommandFailure(String message, ExitCode exitCode) {
        this(message, exitCode, null);
    }

    public CommandFailure(String message, ExitCode exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = Objects.requireNonNull(exitCode, "exitCode");
    }

    @Override
    public ExitCode exitCode() {
        return exitCode;
    }
}
