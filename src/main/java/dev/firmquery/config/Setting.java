package dev.firmquery.config;

/**
 * One effective configuration value as the user wrote it, and where it came from; shown by
 * {@code firmquery config} and the UI's configuration window.
 *
 * @param key    {@code section.key}, e.g. {@code processing.chunk_size}
 * @param value  the raw value of the winning source (lists joined with commas); for
 *               {@code database.user} and {@code database.ssl_mode} left empty, the value they resolve to
 * @param source the layer that set it: {@code default}, {@code user file /x/y.yaml},
 *               {@code system file /etc/firmquery/config.yaml:3}, {@code environment overlay dev (...)},
 *               {@code environment variable FIRMQUERY_...} or {@code --set}
 * @param locked whether the administrator's policy locks it ({@code policy.locked}): no user layer may
 *               change it, and the UI shows it read-only
 */
public record Setting(String key, String value, String source, boolean locked) {

    /** A setting the policy does not lock. */
    public Setting(String key, String value, String source) {
        this(key, value, source, false);
    }
}
