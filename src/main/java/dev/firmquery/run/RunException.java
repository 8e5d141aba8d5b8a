package dev.firmquery.run;

import dev.firmquery.exit.ExitCode;
import dev.firmquery.exit.FirmqueryException;

import java.util.Objects;

/**
 * A run could not start or could not finish its files. The message says what, where and how to fix
 * it; {@link #exitCode()} says how the command ends: {@link ExitCode#USAGE} for an input, template or
 * output problem, {@link ExitCode#CONNECT} when the database cannot be reached or refuses the login.
 */
public class RunException extends FirmqueryException {
    private final ExitCode exitCode;

    public RunException(String message, ExitCode exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = Objects.requireNonNull(exitCode, "exitCode");
    }

    public RunException(String message, ExitCode exitCode) {
        this(message, exitCode, null);
    }

    @Override
    public ExitCode exitCode() {
        return exitCode;
    }
}
