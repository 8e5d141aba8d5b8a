package dev.firmquery.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The text of {@code firmquery config}: every effective value with the layer it came from, and with
 * {@code --describe} what each key does, what it allows, its default and its environment variable,
 * from the {@link ConfigKey} table.
 */
public final class ConfigListing {
    private static final String INDENT = "    ";

    private ConfigListing() {
    }

    /**
     * The lines to print, one per setting ({@code key = value  (source)}), in the order of {@code settings};
     * a key the administrator's policy locks ends with {@code [locked by policy]}.
     *
     * @param describe add two indented lines per key: its description, then what is allowed, the default
     *                 and the environment variable
     */
    public static List<String> lines(Map<String, Setting> settings, boolean describe) {
        int width = 0;
        for (String k : settings.keySet()) {
            width = Math.max(width, k.length());
        }
        List<String> lines = new ArrayList<>();
        for (Setting s : settings.values()) {
            lines.add(String.format(Locale.ROOT, "%-" + width + "s = %-28s  (%s)%s", s.key(), s.value(), s.source(),
                    s.locked() ? "  [locked by policy]" : ""));
            Optional<ConfigKey> key = ConfigKey.of(s.key());
            if (describe && key.isPresent()) {
                lines.addAll(description(key.get()));
            }
        }
        return lines;
    }

    /** {@code key}'s description and its allowed values, default and variable, indented. */
    static List<String> description(ConfigKey key) {
        String allowed = key.plainAllowed();
        return List.of(INDENT + key.plainDescription(),
                INDENT + (allowed.isEmpty() ? "" : "allowed: " + allowed + "; ") + "default: "
                        + shownDefault(key) + "; variable: " + key.environmentVariable());
    }

    /** The default as a user would write it: {@code ""} for an empty one. */
    static String shownDefault(ConfigKey key) {
        return key.defaultValue().isEmpty() ? "\"\"" : key.defaultValue();
    }
}
