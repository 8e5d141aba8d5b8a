package dev.firmquery.config;

/**
 * One effective configuration value as the user wrote it, and where it came from; shown by
 * {@code firmquery config} and the UI's configuration window.
 *
 * @param key    {@code section.key}, e.g. {@code processing.chunk_size}
 * @param value  the raw value of the winning source (lists joined with commas); for
 *               {@code database.user} and {@code database.ssl_mode} left empty, the value they resolve to
 * @param source the layer that set it: {@code default}, {@code user file /x/y.yaml},
 *               {@code environment overlay dev (...)}, {@code environment variable FIRMQUERY_...} or
 *               {@code --set}
 */
public record Setting(String key, String value, String source) {
}
