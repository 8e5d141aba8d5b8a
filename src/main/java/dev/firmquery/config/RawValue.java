package dev.firmquery.config;

/**
 * One value as a source wrote it, before validation.
 *
 * @param key    {@code section.key} as written (may be unknown)
 * @param value  the value as text; a YAML list is joined with commas
 * @param list   whether the source gave a YAML list
 * @param source the layer, as shown in {@link Setting#source()}
 * @param origin the layer with the line where known, for messages ({@code user file /x.yaml:12})
 */
record RawValue(String key, String value, boolean list, String source, String origin) {
}
