package dev.firmquery.run;

/**
 * A run could not start or could not finish its files. The message says what, where and how to fix
 * it; {@link #exitCode()} is the process exit code the CLI uses (2: input, template or output
 * problem; 3: cannot connect or authenticate).
 */
public class RunException extends Exception {
    private final int exitCode;

    public RunException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public RunException(String message, int exitCode) {
        this(message, exitCode, null);
    }

    public int exitCode() {
        return exitCode;
    }
}
