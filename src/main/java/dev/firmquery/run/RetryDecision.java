package dev.firmquery.run;

/** What a worker does with a chunk whose statement failed, as {@link RetryPolicy} decides it. */
enum RetryDecision {
    /** The user cancelled: the chunk stays not run, for a resume. */
    NOT_RUN,
    /** The database stayed unreachable for longer than {@code processing.outage_wait}: stop the run, resumable. */
    STOP_RUN,
    /** The database answers again after an outage: try again at once, without using up a retry. */
    RETRY_AFTER_OUTAGE,
    /** The statement ran longer than {@code database.query_timeout}: try once more in two halves, not counted. */
    SPLIT,
    /** A transient error with retries left: try again after the backoff delay. */
    RETRY,
    /** Retrying cannot help, or the retries are used up: the chunk failed. */
    FAIL
}
