package dev.firmquery.sql;

/** How {@code {ID_PLACEHOLDER}} becomes SQL ({@code processing.id_binding}). */
public enum IdBinding {
    /** {@code ?, ?, ...}: one bound parameter per ID (default). */
    BIND,
    /** IDs inlined as literals; integer IDs only (the original design's behaviour). */
    LITERAL,
    /** {@code IN ({ID_PLACEHOLDER})} rewritten to {@code = ANY(?)} with one array parameter. */
    ARRAY
}
