package dev.firmquery.config;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The limits on configuration values that are checked outside {@code ConfigValidator} too (the UI's
 * session settings form), so that a value accepted there is accepted in a configuration file.
 */
public final class ConfigLimits {

    /** {@code processing.chunk_size}: the fewest IDs per statement. */
    public static final int MIN_CHUNK_SIZE = 1;
    /** {@code processing.chunk_size}: the most IDs per statement. */
    public static final int MAX_CHUNK_SIZE = 10_000;
    /** {@code processing.max_retries}: the fewest retries per chunk. */
    public static final int MIN_RETRIES = 0;
    /** {@code processing.max_retries}: the most retries per chunk. */
    public static final int MAX_RETRIES = 20;
    /** {@code output.filename_pattern}: the longest pattern, in characters. */
    public static final int MAX_FILENAME_PATTERN_LENGTH = 200;

    private static final Pattern SAFE_FILE_NAME = Pattern.compile("[A-Za-z0-9._-]*");
    private static final String TIMESTAMP = "{timestamp}";

    private ConfigLimits() {
    }

    /**
     * Why {@code pattern} is not a usable {@code output.filename_pattern}, as an expectation such as
     * {@code expected only the {timestamp} placeholder}; empty when it is usable. Whether an empty pattern
     * is allowed, and how it is reported, is the caller's rule.
     *
     * @param directoryAdvice how to choose the directory instead, appended to the message for a pattern
     *                        with a path separator, e.g. {@code choose the directory with --out}
     */
    public static Optional<String> filenamePatternProblem(String pattern, String directoryAdvice) {
        String rest = pattern.replace(TIMESTAMP, "");
        if (pattern.indexOf('/') >= 0 || pattern.indexOf('\\') >= 0) {
            return Optional.of("expected a file name without path separators; " + directoryAdvice);
        }
        if (rest.indexOf('{') >= 0 || rest.indexOf('}') >= 0) {
            return Optional.of("expected only the {timestamp} placeholder");
        }
        if (!SAFE_FILE_NAME.matcher(rest).matches()) {
            return Optional.of("expected only letters, digits, '.', '_', '-' and {timestamp}");
        }
        if (pattern.startsWith(".") || pattern.startsWith("-")) {
            return Optional.of("expected a name that does not start with '.' or '-'");
        }
        if (pattern.length() > MAX_FILENAME_PATTERN_LENGTH) {
            return Optional.of("expected at most " + MAX_FILENAME_PATTERN_LENGTH + " characters");
        }
        return Optional.empty();
    }
}
