package dev.firmquery.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed command line: {@code firmquery [command] [--option value | --option=value | --flag]...}.
 * Options are declared per command so that a typo is an error with a suggestion, not silently ignored.
 */
final class Args {
    private final String command;
    private final Map<String, List<String>> values;

    private Args(String command, Map<String, List<String>> values) {
        this.command = command;
        this.values = values;
    }

    /**
     * @param args          the raw arguments, command first (may be absent)
     * @param withValue     options that take a value
     * @param flags         options that take none
     */
    static Args parse(String command, List<String> args, Set<String> withValue, Set<String> flags)
            throws UsageException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--") || a.equals("--")) {
                throw new UsageException("unexpected argument '" + a + "'" + (command == null ? "" : " for '" + command + "'")
                        + "; options start with --");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
            } else if (withValue.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size() || (args.get(i + 1).startsWith("--") && !args.get(i + 1).equals("-"))) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                List<String> known = new ArrayList<>(withValue);
                known.addAll(flags);
                String hint = Suggest.closest(name, known);
                throw new UsageException("unknown option --" + name + (command == null ? "" : " for '" + command + "'")
                        + (hint == null ? "" : "; did you mean --" + hint + "?"));
            }
        }
        return new Args(command, values);
    }

    String command() {
        return command;
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    /** The last value given for {@code name}, or {@code null}. */
    String value(String name) {
        List<String> v = values.get(name);
        return v == null ? null : v.get(v.size() - 1);
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    String required(String name, String example) throws UsageException {
        String v = value(name);
        if (v == null || v.isBlank()) {
            throw new UsageException("missing --" + name + "; for example: " + example);
        }
        return v;
    }

    Integer intValue(String name, int min, int max) throws UsageException {
        String v = value(name);
        if (v == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(v.replace("_", "").replace(",", ""));
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " " + v + ": expected a whole number from " + min + " to " + max);
        }
    }
}
