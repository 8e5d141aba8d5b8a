package dev.firmquery.ids;

/**
 * Counts from cleaning an ID input.
 *
 * @param lines      physical lines read (header row included)
 * @param values     non-blank values seen (valid + duplicates + invalid)
 * @param valid      distinct valid IDs kept
 * @param duplicates valid values dropped because they were seen before
 * @param invalid    values rejected
 * @param blank      blank values ignored (empty fields, empty lines)
 */
public record IdStats(long lines, long values, int valid, long duplicates, long invalid, long blank) {
}
