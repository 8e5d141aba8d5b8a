package dev.firmquery.config;

import java.util.List;

/** The configuration cannot be used. Carries every problem found, each naming key, value, source and fix. */
public class ConfigException extends Exception {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        if (problems.size() == 1) {
            return "configuration error: " + problems.get(0);
        }
        StringBuilder sb = new StringBuilder(problems.size() + " configuration errors:");
        for (String p : problems) {
            sb.append("\n  - ").append(p);
        }
        return sb.toString();
    }
}
