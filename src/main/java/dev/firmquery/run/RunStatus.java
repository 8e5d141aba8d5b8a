package dev.firmquery.run;

import java.util.Locale;

/** How a run ended; the report's {@code status} and the process exit code follow from it. */
public enum RunStatus {
    /** Every chunk succeeded. Exit 0. */
    COMPLETED(0),
    /** Some chunks failed after their retries; the rest is written. Exit 1. */
    PARTIAL(1),
    /** No chunk succeeded. Exit 1. */
    FAILED(1),
    /** The user cancelled; what was finished is written. Exit 130. */
    CANCELLED(130),
    /**
     * An unexpected error (a bug in firmquery, or the JVM failing) stopped the run; the chunks
     * finished before it are kept and the run can be resumed. Exit 70, {@code EX_SOFTWARE} of
     * sysexits(3), so that scripts tell it from a partial run (1) whose chunks failed.
     */
    INTERNAL_ERROR(70);

    private final int exitCode;

    RunStatus(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The lower-case name used in reports and the audit log. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
