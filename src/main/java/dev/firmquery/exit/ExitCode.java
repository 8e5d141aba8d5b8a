package dev.firmquery.exit;

import java.util.Locale;

/**
 * How a {@code firmquery} command ends, and the process exit status that says so to a script. The
 * numbers are the contract documented in README.md ("Exit codes") and printed by {@code --help}; this
 * enum is the only place that knows them. A command ends either by returning one of these (a run's
 * {@code RunStatus} maps onto them) or by throwing a {@link FirmqueryException}, which carries one;
 * {@code cli.Main} alone turns the value into the process's exit.
 */
public enum ExitCode {
    /** The command did all it was asked: every chunk succeeded, every check passed. */
    COMPLETED(0, "completed"),
    /** A run ended with failed chunks (their IDs are in {@code _failed.csv}); the rest is written. */
    PARTIAL(1, "partial: some chunks failed after their retries"),
    /** The command line, configuration, ID input or query template cannot be used; nothing was run. */
    USAGE(2, "usage, configuration, input or template error"),
    /** The database cannot be reached, or Kerberos or the password does not let us in. */
    CONNECT(3, "cannot connect or authenticate"),
    /**
     * A bug in firmquery: an unexpected exception ended the command. 70 is {@code EX_SOFTWARE} of BSD's
     * sysexits.h ("internal software error"), so a script can tell it from the user-fixable codes.
     */
    INTERNAL(70, "internal error (a bug; the log has the stack trace)"),
    /** Cancelled by Ctrl-C, SIGTERM or SIGHUP (128 + SIGINT, as shells report it); finished chunks are written. */
    INTERRUPTED(130, "interrupted; what finished is written and --resume finishes the rest");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The process exit status. */
    public int code() {
        return code;
    }

    /** One line for help texts and docs, e.g. "cannot connect or authenticate". */
    public String meaning() {
        return meaning;
    }

    /**
     * The worse of this and {@code other}, for a command that runs several jobs (a batch ends with its
     * worst job's status). Worst first: internal error, interrupted, cannot connect, usage, partial,
     * completed - a bug outranks everything, and a cancelled batch must say so even when an earlier job
     * only failed chunks, since {@code --resume} is then what finishes it.
     */
    public ExitCode worst(ExitCode other) {
        return rank(other) > rank(this) ? other : this;
    }

    private static int rank(ExitCode c) {
        return switch (c) {
            case COMPLETED -> 0;
            case PARTIAL -> 1;
            case USAGE -> 2;
            case CONNECT -> 3;
            case INTERRUPTED -> 4;
            case INTERNAL -> 5;
        };
    }

    /**
     * Ends the process at once with this status, skipping shutdown hooks: only for a second Ctrl-C or
     * SIGTERM, when the user wants out now rather than the files finished. Every normal end goes
     * through {@code cli.Main}.
     */
    public void haltNow() {
        Runtime.getRuntime().halt(code);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT) + " (" + code + ")";
    }
}
