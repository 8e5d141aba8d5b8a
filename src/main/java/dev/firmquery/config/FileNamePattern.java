package dev.firmquery.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The base name of output files: a safe file name with an optional {@code {timestamp}}. */
public record FileNamePattern(int maxLength) implements ValueType {
    private static final Pattern SAFE_FILE_NAME = Pattern.compile("[A-Za-z0-9._-]*");
    private static final Pattern TOKEN = Pattern.compile("\\{([^{}]*)}");
    /**
     * The placeholders, in the order the reference lists them; {@code run.OutputName} expands them
     * and checks what they expand to.
     */
    public static final List<String> TOKENS = List.of("timestamp", "date", "query", "user", "input");

    @Override
    public String typeName() {
        return "file name";
    }

    @Override
    public String allowed() {
        return "letters, digits, `.`, `_`, `-` and the placeholders `{timestamp}` (`yyyyMMdd_HHmmss`), `{date}` "
                + "(`yyyy-MM-dd`), `{query}` (the query's name), `{user}` (the operating system user) and "
                + "`{input}` (the ID file's name without its extension); no `/` or `\\`; not starting with `.` "
                + "or `-`; at most " + maxLength + " characters";
    }

    @Override
    public ValueType.Checked check(String value, Path userHome) {
        if (value.isEmpty()) {
            return ValueType.Checked.bad(ValueType.NOT_EMPTY);
        }
        return problem(value, "choose the directory with output.default_directory or --out")
                .map(ValueType.Checked::bad).orElseGet(() -> ValueType.Checked.ok(value));
    }

    /**
     * Why a non-empty {@code pattern} is not usable, as an expectation such as
     * {@code expected only the {timestamp} placeholder}; empty when it is usable.
     *
     * @param directoryAdvice how to choose the directory instead, appended to the message for a pattern
     *                        with a path separator, e.g. {@code choose the directory with --out}
     */
    public Optional<String> problem(String pattern, String directoryAdvice) {
        if (pattern.indexOf('/') >= 0 || pattern.indexOf('\\') >= 0) {
            return Optional.of("expected a file name without path separators; " + directoryAdvice);
        }
        java.util.regex.Matcher m = TOKEN.matcher(pattern);
        StringBuilder rest = new StringBuilder();
        while (m.find()) {
            if (!TOKENS.contains(m.group(1))) {
                return Optional.of("expected only the placeholders " + placeholders() + "; " + m.group()
                        + " is not one");
            }
            m.appendReplacement(rest, "");
        }
        m.appendTail(rest);
        if (rest.indexOf("{") >= 0 || rest.indexOf("}") >= 0) {
            return Optional.of("expected only the placeholders " + placeholders() + ", each in one pair of "
                    + "braces");
        }
        if (!SAFE_FILE_NAME.matcher(rest).matches()) {
            return Optional.of("expected only letters, digits, '.', '_', '-' and the placeholders "
                    + placeholders());
        }
        if (pattern.startsWith(".") || pattern.startsWith("-")) {
            return Optional.of("expected a name that does not start with '.' or '-'");
        }
        if (pattern.length() > maxLength) {
            return Optional.of("expected at most " + maxLength + " characters");
        }
        return Optional.empty();
    }

    private static String placeholders() {
        return String.join(", ", TOKENS.stream().map(t -> "{" + t + "}").toList());
    }
}
