package dev.firmquery.run.store;

/**
 * How the journal's "finished" line says a run ended: the journal's own vocabulary, so that the
 * store does not depend on the engine. The engine maps its run status onto it when the run ends.
 */
public enum RunEnd {
    /** Every chunk succeeded; the run folder is normally deleted right after. */
    COMPLETED,
    /** Some chunks failed after their retries, or the run was stopped (ticket, outage, disk). */
    PARTIAL,
    /** No chunk succeeded. */
    FAILED,
    /** The user cancelled. */
    CANCELLED
}
