package dev.firmquery.ids;

/**
 * One rejected input value, kept as an example for the preview and the report.
 *
 * @param line   1-based line number in the input
 * @param value  the raw value as read (shortened to at most 80 characters for display)
 * @param reason why it was rejected and, where it helps, how to fix it
 */
public record InvalidValue(long line, String value, String reason) {
}
