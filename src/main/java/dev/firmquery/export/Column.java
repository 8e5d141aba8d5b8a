package dev.firmquery.export;

/**
 * One result column.
 *
 * @param label    the column label from the query, used as the header
 * @param typeName the database type name as reported by the driver (for the report and docs)
 * @param kind     how values are carried and written
 */
public record Column(String label, String typeName, ColumnKind kind) {
}
