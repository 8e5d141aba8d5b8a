package dev.firmquery.ids;

/** How input values are validated and how they reach SQL ({@code processing.id_type}). */
public enum IdType {
    /** Digits only, at most 19 digits and at most {@link Long#MAX_VALUE}; stored as primitive longs. */
    INTEGER,
    /** Any value matching {@code processing.id_pattern}; always bound as a parameter, never inlined. */
    TEXT
}
