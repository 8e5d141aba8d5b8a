package dev.firmquery.config;

import java.nio.file.Path;
import java.util.List;

/**
 * What the command line asked of the configuration: {@code --config FILE}, {@code --env NAME} and the
 * repeatable {@code --set section.key=value}. Every part is optional.
 *
 * @param userFile    {@code --config FILE}, or {@code null} to use {@code ~/.config/firmquery/config.yaml}
 *                    when it exists
 * @param environment {@code --env NAME}, or {@code null}/blank for no environment overlay
 * @param overrides   {@code --set} arguments in command-line order, each {@code section.key=value};
 *                    {@code null} means none
 */
public record ConfigRequest(Path userFile, String environment, List<String> overrides) {

    public ConfigRequest {
        environment = environment == null || environment.isBlank() ? null : environment.strip();
        overrides = overrides == null ? List.of() : List.copyOf(overrides);
    }

    /** No {@code --config}, no {@code --env}, no {@code --set}: defaults, user file and environment variables. */
    public static ConfigRequest none() {
        return new ConfigRequest(null, null, List.of());
    }
}
