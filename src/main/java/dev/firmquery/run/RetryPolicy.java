package dev.firmquery.run;

import dev.firmquery.db.ErrorKind;

/**
 * The rules for a chunk whose statement failed, as a pure function: the engine classifies the error
 * ({@link dev.firmquery.db.SqlErrors#classify}), asks the {@link OutageGuard} when the connection was
 * lost, and then does what {@link #decide} says. In order:
 * <ol>
 *   <li>the user's cancel leaves the chunk not run;</li>
 *   <li>a transient error that lost the connection goes to the outage guard first: if it found an outage,
 *       its verdict decides (stop the run, or retry without counting the attempt);</li>
 *   <li>a transient error is retried after a backoff while attempts are left:
 *       {@code processing.max_retries} retries after the first attempt;</li>
 *   <li>a timeout is retried once, split in two halves, without counting the attempt;</li>
 *   <li>anything else (a permanent error, a split chunk timing out again, the retries used up) fails it.</li>
 * </ol>
 *
 * @param maxRetries {@code processing.max_retries}: counted attempts after the first one
 */
record RetryPolicy(int maxRetries) {

    RetryPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be 0 or more, got " + maxRetries);
        }
    }

    /** Counted attempts a chunk gets: the first one and its retries. */
    int maxAttempts() {
        return maxRetries + 1;
    }

    /**
     * Whether a failure goes to the outage guard before {@link #decide}: a transient error on a
     * connection that is lost (class 08, 57P, an I/O error), which may be one of many in an outage.
     */
    static boolean asksOutageGuard(ErrorKind kind, boolean connectionLost) {
        return kind == ErrorKind.TRANSIENT && connectionLost;
    }

    /**
     * @param kind    what the error means
     * @param outage  the outage guard's verdict if it was asked ({@link #asksOutageGuard}), else
     *                {@link OutageGuard.Verdict#NO_OUTAGE}
     * @param split   whether the chunk already runs in two halves
     * @param attempt the chunk's counted attempt that failed, from 1 (outage and split retries are not counted)
     * @throws IllegalArgumentException if there is an outage verdict for an error that does not ask for one
     */
    RetryDecision decide(ErrorKind kind, OutageGuard.Verdict outage, boolean split, int attempt) {
        if (outage != OutageGuard.Verdict.NO_OUTAGE && kind != ErrorKind.TRANSIENT) {
            throw new IllegalArgumentException("an outage verdict (" + outage + ") for a " + kind
                    + " error: only transient errors that lost the connection ask the outage guard");
        }
        return switch (kind) {
            case CANCELLED -> RetryDecision.NOT_RUN;
            case TRANSIENT -> switch (outage) {
                case GIVE_UP -> RetryDecision.STOP_RUN;
                case RESUMED -> RetryDecision.RETRY_AFTER_OUTAGE;
                case NO_OUTAGE -> attempt < maxAttempts() ? RetryDecision.RETRY : RetryDecision.FAIL;
            };
            case TIMEOUT -> split ? RetryDecision.FAIL : RetryDecision.SPLIT;
            case PERMANENT -> RetryDecision.FAIL;
        };
    }
}
