package dev.firmquery.config;

import dev.firmquery.exit.ExitCode;
import dev.firmquery.exit.FirmqueryException;

import java.util.List;

/**
 * The configuration cannot be used. Carries every problem found, each naming key, value, source and fix,
 * and the warnings gathered before the problems were found (an unknown-key warning often explains an
 * error, e.g. a misspelt key that left a default in place).
 */
public class ConfigException extends FirmqueryException {
    private final List<String> problems;
    private final List<String> warnings;

    public ConfigException(List<String> problems) {
        this(problems, List.of());
    }

    public ConfigException(List<String> problems, List<String> warnings) {
        super(format(problems, warnings));
        this.problems = List.copyOf(problems);
        this.warnings = List.copyOf(warnings);
    }

    public List<String> problems() {
        return problems;
    }

    /** Warnings found while loading; empty when the exception was not thrown by a full load. */
    public List<String> warnings() {
        return warnings;
    }

    private static String format(List<String> problems, List<String> warnings) {
        StringBuilder sb = new StringBuilder();
        if (problems.size() == 1) {
            sb.append("configuration error: ").append(problems.get(0));
        } else {
            sb.append(problems.size()).append(" configuration errors:");
            for (String p : problems) {
                sb.append("\n  - ").append(p);
            }
        }
        if (warnings.size() == 1) {
            sb.append("\nwarning: ").append(warnings.get(0));
        } else if (!warnings.isEmpty()) {
            sb.append('\n').append(warnings.size()).append(" warnings:");
            for (String w : warnings) {
                sb.append("\n  - ").append(w);
            }
        }
        return sb.toString();
    }

    /** {@link ExitCode#USAGE}: fix the configuration and run again. */
    @Override
    public ExitCode exitCode() {
        return ExitCode.USAGE;
    }
}
