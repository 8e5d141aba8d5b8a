package dev.firmquery.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The result of {@link ConfigLoader#load(ConfigRequest)}.
 *
 * @param config   the validated, typed configuration
 * @param warnings things the user should know but that do not stop the program (unknown keys with a
 *                 "did you mean", unknown {@code FIRMQUERY_} variables, ignored values)
 * @param settings every known key's effective raw value and source, sorted by key
 */
public record LoadedConfig(AppConfig config, List<String> warnings, Map<String, Setting> settings) {

    public LoadedConfig {
        warnings = List.copyOf(warnings);
        settings = Collections.unmodifiableSortedMap(new TreeMap<>(settings));
    }
}
