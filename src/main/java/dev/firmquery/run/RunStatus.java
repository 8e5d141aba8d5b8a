package dev.firmquery.run;

import dev.firmquery.exit.ExitCode;

import java.util.Locale;

/** How a run ended; the report's {@code status} and the process exit code follow from it. */
public enum RunStatus {
    /** Every chunk succeeded. */
    COMPLETED(ExitCode.COMPLETED),
    /** Some chunks failed after their retries; the rest is written. */
    PARTIAL(ExitCode.PARTIAL),
    /** No chunk succeeded. */
    FAILED(ExitCode.PARTIAL),
    /** The user cancelled (or a signal did); what was finished is written. */
    CANCELLED(ExitCode.INTERRUPTED);

    private final ExitCode exitCode;

    RunStatus(ExitCode exitCode) {
        this.exitCode = exitCode;
    }

    /** How the command that ran the run ends. */
    public ExitCode exitCode() {
        return exitCode;
    }

    /** The lower-case name used in reports and the audit log. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
