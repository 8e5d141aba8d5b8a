package dev.firmquery.run;

import dev.firmquery.config.FileNamePattern;
import dev.firmquery.exit.ExitCode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands the placeholders of {@code output.filename_pattern} into a run's base file name, and makes sure
 * the name stays a plain name inside the output folder whatever the placeholders bring in.
 *
 * <p>The pattern itself was checked by the configuration ({@link FileNamePattern}); the values
 * come from outside it: {@code {input}} from an ID file's name, {@code {query}} from a template's,
 * {@code {user}} from the operating system. A value holding a path separator, {@code ..}, NUL, a control
 * character or an invisible format character (U+202E RIGHT-TO-LEFT OVERRIDE makes
 * {@code x_\u202Evsc.exe} look like {@code x_exe.csv} in a listing), or a name that would start with
 * {@code .} or {@code -} or be too long, is refused, naming the placeholder and its value, never cleaned
 * up silently: a file name that differs from what the user expects is as bad as a refused one.
 */
public final class OutputName {
    /** The base name's limit in UTF-8 bytes: ext4's 255, less the temporary name's {@code .} and {@code .tmp-} plus
     * 19 random digits, and the longest suffix {@code _report.json}. */
    static final int MAX_NAME_BYTES = 200;

    private static final Pattern TOKEN = Pattern.compile("\\{([a-z]+)}");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");

    /**
     * What the placeholders stand for in one run.
     *
     * @param now   the run's start, for {@code {timestamp}} and {@code {date}}
     * @param query the query's name, for {@code {query}}
     * @param user  the operating system user, for {@code {user}}
     * @param input the ID file's name without its extension ({@code stdin}, {@code pasted} for IDs not from
     *              a file), for {@code {input}}
     */
    public record Values(LocalDateTime now, String query, String user, String input) {
    }

    private OutputName() {
    }

    /** The ID file's name without its last extension: {@code firms.xlsx} is {@code firms}. */
    public static String inputName(Path ids) {
        Path name = ids.getFileName();
        String s = name == null ? "" : name.toString();
        int dot = s.lastIndexOf('.');
        return dot > 0 ? s.substring(0, dot) : s;
    }

    /**
     * The base name {@code pattern} gives with {@code values}.
     *
     * @throws RunException ({@link ExitCode#USAGE}) naming the placeholder and value that would make the
     *                      name unsafe, and the fix
     */
    public static String expand(String pattern, Values values) throws RunException {
        Matcher m = TOKEN.matcher(pattern);
        StringBuilder name = new StringBuilder();
        while (m.find()) {
            String token = m.group(1);
            String value = switch (token) {
                case "timestamp" -> TIMESTAMP.format(values.now());
                case "date" -> DATE.format(values.now());
                case "query" -> checked(pattern, token, values.query(), "the query's name");
                case "user" -> checked(pattern, token, values.user(), "the operating system user");
                case "input" -> checked(pattern, token, values.input(), "the ID file's name without its extension");
                default -> throw new IllegalStateException("output.filename_pattern " + pattern + " passed the "
                        + "configuration with the unknown placeholder {" + token + "}; the placeholders are "
                        + FileNamePattern.TOKENS);
            };
            m.appendReplacement(name, Matcher.quoteReplacement(value));
        }
        m.appendTail(name);
        String result = name.toString();
        if (result.startsWith(".") || result.startsWith("-")) {
            throw refused(pattern, "expands to '" + shown(result) + "', which starts with '" + result.charAt(0)
                    + "' (a hidden file, or one a command would take for an option)", "put a letter first in "
                    + "output.filename_pattern, e.g. firm_{input}");
        }
        int bytes = result.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES) {
            throw refused(pattern, String.format(Locale.ROOT, "expands to a name of %d bytes; at most %d fit the "
                    + "file system with the suffixes", bytes, MAX_NAME_BYTES), "shorten output.filename_pattern, or "
                    + "the name its placeholders bring in");
        }
        return result;
    }

    /**
     * Checks that {@code name} resolves to a file directly inside {@code directory}: the last guard
     * before a file is created, whatever {@link #expand} let through.
     */
    static void checkInside(Path directory, String name) throws RunException {
        Path resolved = directory.resolve(name).normalize();
        if (!directory.normalize().equals(resolved.getParent()) || !name.equals(String.valueOf(resolved.getFileName()))) {
            throw new RunException("output file name '" + shown(name) + "' would not be a file directly in " + directory
                    + "; check output.filename_pattern", ExitCode.USAGE);
        }
    }

    private static String checked(String pattern, String token, String value, String what) throws RunException {
        String fix = switch (token) {
            case "input" -> "rename the ID file, or take {input} out of output.filename_pattern";
            case "query" -> "rename the query file, or take {query} out of output.filename_pattern";
            default -> "take {" + token + "} out of output.filename_pattern";
        };
        if (value == null || value.isEmpty()) {
            throw refused(pattern, "{" + token + "} (" + what + ") is empty here", fix);
        }
        String problem = problem(value);
        if (problem != null) {
            throw refused(pattern, "{" + token + "} is '" + shown(value) + "' (" + what + "), which " + problem
                    + "; a file name must stay a plain name inside the output folder", fix);
        }
        return value;
    }

    /** Why {@code value} cannot be part of a file name, or null. */
    static String problem(String value) {
        if (value.contains("..")) {
            return "contains '..'";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '\\') {
                return "contains the path separator '" + c + "'";
            }
            if (c == 0) {
                return "contains a NUL character (U+0000)";
            }
            if (Character.isISOControl(c)) {
                return String.format(Locale.ROOT, "contains the control character U+%04X", (int) c);
            }
            if (Character.getType(c) == Character.FORMAT) {
                return String.format(Locale.ROOT, "contains the invisible format character U+%04X", (int) c);
            }
        }
        return null;
    }

    /** A value as messages show it: control and format characters as {@code \\uXXXX}, at most 80 characters. */
    static String shown(String value) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.length() && sb.length() < 80; i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                sb.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.length() >= 80 && value.length() > sb.length() ? sb + "..." : sb.toString();
    }

    private static RunException refused(String pattern, String why, String fix) {
        return new RunException("output.filename_pattern '" + pattern + "': " + why + ". To fix: " + fix,
                ExitCode.USAGE);
    }
}
