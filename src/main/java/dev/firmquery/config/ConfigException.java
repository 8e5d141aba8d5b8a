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
    private final List<LockRefusal> refusedLocks;

    /**
     * A value a user layer gave a key the administrator's policy locks; the load refused it (one of the
     * {@link #problems()} says so with the fix).
     *
     * @param key    {@code section.key}
     * @param value  the value that layer tried to set
     * @param origin where, with the line when known: {@code environment overlay dev (/x/dev.yaml:12)}
     */
    public record LockRefusal(String key, String value, String origin) {
    }

    public ConfigException(List<String> problems) {
        this(problems, List.of());
    }

    public ConfigException(List<String> problems, List<String> warnings) {
        this(problems, warnings, List.of());
    }

    /** As {@link #ConfigException(List, List)}, with the locked keys a user layer tried to set. */
    public ConfigException(List<String> problems, List<String> warnings, List<LockRefusal> refusedLocks) {
        super(format(problems, warnings));
        this.problems = List.copyOf(problems);
        this.warnings = List.copyOf(warnings);
        this.refusedLocks = List.copyOf(refusedLocks);
    }

    /** The values refused because the policy locks their key, in reading order; empty for other problems. */
    public List<LockRefusal> refusedLocks() {
        return refusedLocks;
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
