package dev.firmquery.db;

/** What a failed statement means for the chunk that ran it. */
public enum ErrorKind {
    /** Worth another try on a fresh connection: serialization failure, deadlock, node drain, lost connection. */
    TRANSIENT,
    /** The statement ran longer than {@code database.query_timeout} and was cancelled. */
    TIMEOUT,
    /** The user cancelled the run; not an error of the chunk. */
    CANCELLED,
    /** Retrying cannot help: a syntax error, a missing table, a division by zero, permissions. */
    PERMANENT
}
