package dev.firmquery.exit;

/**
 * A failure that ends a command, with the {@link ExitCode} the process ends with. Every checked
 * exception a command can end with extends it (configuration, ID input, template, chunk plan, run,
 * Kerberos, connection, local server...), so {@code cli.Main} catches exactly this type, prints the
 * message (which says what failed, where and the fix) and exits with {@link #exitCode()}; anything else
 * is an {@link ExitCode#INTERNAL} error.
 */
public abstract class FirmqueryException extends Exception {
    protected FirmqueryException(String message) {
        super(message);
    }

    protected FirmqueryException(String message, Throwable cause) {
        super(message, cause);
    }

    /** How the process ends because of this failure. */
    public abstract ExitCode exitCode();
}
