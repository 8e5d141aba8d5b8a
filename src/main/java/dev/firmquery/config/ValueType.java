package dev.firmquery.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The kind of value a {@link ConfigKey} takes, with its range or choices: it checks a value as written
 * and says what is allowed, for error messages, {@code firmquery config --describe} and
 * {@code docs/configuration.md}. Every check is of one value alone; rules between keys are
 * {@link KeyRule}s.
 *
 * <p>Texts returned by {@link #allowed()} and {@link #emptyMeans()} may put code in backticks (they go
 * into the Markdown reference); {@link #check} messages never do.
 */
public sealed interface ValueType
        permits ValueType.Whole, ValueType.Seconds, ValueType.Flag, ValueType.Choice, ValueType.ChoiceList,
                ValueType.Text, ValueType.Names, ValueType.PathValue, ValueType.Regex, FileNamePattern, FileMode {

    /** The type as the reference's "Type" column names it: {@code whole number}, {@code seconds}, ... */
    String typeName();

    /** What is allowed, e.g. {@code 1 to 10000} or {@code `kerberos`, `password`}; empty when anything is. */
    String allowed();

    /**
     * What an empty value means (e.g. {@code the operating system user name}), or {@code null} when an
     * empty value is an error. A key whose type allows an empty value may be absent from every source.
     */
    default String emptyMeans() {
        return null;
    }

    /** Whether a YAML list (or a comma-separated string) is this type's form. */
    default boolean takesList() {
        return false;
    }

    /**
     * Checks one value.
     *
     * @param value    the value as written, trimmed
     * @param userHome for a leading {@code ~} in paths
     * @return the typed value ({@link Integer}, {@link Duration}, {@link Boolean}, a canonical
     * {@link String}, a {@code Set<String>} of choices or a {@code Set<java.nio.file.attribute.PosixFilePermission>}), or what
     * was expected instead
     */
    Checked check(String value, Path userHome);

    /** The outcome of {@link #check}: a typed value, or an expectation such as {@code expected true or false}. */
    record Checked(Object value, String expectation) {

        static Checked ok(Object value) {
            return new Checked(Objects.requireNonNull(value, "value"), null);
        }

        static Checked bad(String expectation) {
            return new Checked(null, expectation);
        }

        /** Whether the value is usable. */
        public boolean ok() {
            return expectation == null;
        }
    }

    /** The expectation of a key that must not be empty. */
    String NOT_EMPTY = "expected a value, not an empty string";

    // ---- factories, as used in ConfigKey ----

    /** A whole number from {@code min} to {@code max}; {@link Integer#MAX_VALUE} as maximum means "no limit". */
    static Whole whole(int min, int max) {
        return new Whole(min, max);
    }

    /** A duration in decimal seconds from {@code min} to {@code max}. */
    static Seconds seconds(int min, int max) {
        return new Seconds(min, max, null, null);
    }

    /** Like {@link #seconds(int, int)}, with what {@code 0} means (e.g. {@code no limit}). */
    static Seconds seconds(int min, int max, String zeroMeans) {
        return new Seconds(min, max, zeroMeans, null);
    }

    static Flag flag() {
        return new Flag();
    }

    /** One of {@code names}, in the order given (case-insensitive; {@code _} is read as {@code -}). */
    static Choice choice(String... names) {
        return new Choice(List.of(names), null);
    }

    /** One of the constants of {@code type}, written in lower case with {@code -} for {@code _}. */
    static <E extends Enum<E>> Choice choice(Class<E> type) {
        return new Choice(namesOf(type), null);
    }

    /** A non-empty string; {@link Text#orEmpty} allows an empty one, {@link Text#matching} adds a rule. */
    static Text text() {
        return new Text(null, null, null);
    }

    /** A path; {@code what} is {@code directory} or {@code file}, for messages. */
    static PathValue path(String what) {
        return new PathValue(what, null);
    }

    // ---- the types ----

    /** A whole number; {@code _} separators are allowed ({@code 1_000_000}). */
    record Whole(int min, int max) implements ValueType {
        private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d+(_\\d+)*");

        @Override
        public String typeName() {
            return "whole number";
        }

        @Override
        public String allowed() {
            return max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max;
        }

        @Override
        public Checked check(String value, Path userHome) {
            String expected = "expected a whole number from " + min + " to " + max;
            if (!WHOLE_NUMBER.matcher(value).matches()) {
                return Checked.bad(expected);
            }
            BigInteger n = new BigInteger(value.replace("_", ""));
            if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
                return Checked.bad(expected);
            }
            return Checked.ok(n.intValueExact());
        }

        /** Whether {@code n} is in range. */
        public boolean contains(long n) {
            return n >= min && n <= max;
        }
    }

    /** A duration in seconds, decimals allowed ({@code 0.5}); becomes a {@link Duration}. */
    record Seconds(int min, int max, String zeroMeans, String zeroRefused) implements ValueType {

        /** These seconds, where {@code 0} is refused with {@code why} rather than the range's message. */
        public Seconds refusingZero(String why) {
            return new Seconds(min, max, zeroMeans, why);
        }

        @Override
        public String typeName() {
            return "seconds";
        }

        @Override
        public String allowed() {
            return min + " to " + max + ", decimals allowed" + (zeroMeans == null ? "" : "; 0 = " + zeroMeans);
        }

        @Override
        public Checked check(String value, Path userHome) {
            String note = zeroMeans == null ? "" : "; 0 means " + zeroMeans;
            String expected = "expected a number of seconds from " + min + " to " + max
                    + (min == 0 ? " (decimals allowed, e.g. 0.5" + note + ")" : " (decimals allowed" + note + ")");
            BigDecimal n;
            try {
                n = new BigDecimal(value.replace("_", ""));
            } catch (NumberFormatException e) {
                return Checked.bad(expected);
            }
            if (zeroRefused != null && n.signum() == 0) {
                return Checked.bad(zeroRefused);
            }
            if (n.compareTo(BigDecimal.valueOf(min)) < 0 || n.compareTo(BigDecimal.valueOf(max)) > 0) {
                return Checked.bad(expected);
            }
            return Checked.ok(Duration.ofNanos(n.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact()));
        }
    }

    /** {@code true}/{@code false}, {@code yes}/{@code no} or {@code on}/{@code off}, in any case. */
    record Flag() implements ValueType {

        @Override
        public String typeName() {
            return "boolean";
        }

        @Override
        public String allowed() {
            return "`true` or `false` (also `yes`/`no`, `on`/`off`)";
        }

        @Override
        public Checked check(String value, Path userHome) {
            return parse(value).map(Checked::ok).orElseGet(() -> Checked.bad("expected true or false"));
        }

        /** The flag {@code value} spells, if it spells one. */
        static Optional<Boolean> parse(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> Optional.of(true);
                case "false", "no", "off" -> Optional.of(false);
                default -> Optional.empty();
            };
        }
    }

    /** One of a few names; the value is the name as listed. */
    record Choice(List<String> names, String emptyMeans) implements ValueType {
        public Choice {
            names = List.copyOf(names);
        }

        /** This choice, where an empty value is allowed and means {@code meaning}. */
        public Choice orEmpty(String meaning) {
            return new Choice(names, meaning);
        }

        @Override
        public String typeName() {
            return "choice";
        }

        @Override
        public String allowed() {
            return code(names);
        }

        @Override
        public Checked check(String value, Path userHome) {
            if (value.isEmpty() && emptyMeans != null) {
                return Checked.ok("");
            }
            String normalized = value.toLowerCase(Locale.ROOT).replace('_', '-');
            if (names.contains(normalized)) {
                return Checked.ok(normalized);
            }
            return Checked.bad("expected one of: " + String.join(", ", names)
                    + (emptyMeans == null ? "" : " (or empty: " + plain(emptyMeans) + ")"));
        }

        /** The constant of {@code type} that the canonical {@code name} stands for. */
        <E extends Enum<E>> E constant(Class<E> type, String name) {
            return Enum.valueOf(type, name.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /**
     * One or more of a few names, as a YAML list or a comma-separated string; {@code aliases} maps other
     * accepted spellings to a name. The value is the set of names, in the order written.
     *
     * @param noun what one name is, for messages ({@code format})
     */
    record ChoiceList(String noun, List<String> names, Map<String, String> aliases) implements ValueType {
        public ChoiceList {
            names = List.copyOf(names);
            aliases = Map.copyOf(aliases);
        }

        /** The constants of {@code type} in lower case, and {@code aliases}. */
        static <E extends Enum<E>> ChoiceList of(String noun, Class<E> type, Map<String, String> aliases) {
            return new ChoiceList(noun, namesOf(type), aliases);
        }

        @Override
        public String typeName() {
            return "list";
        }

        @Override
        public String allowed() {
            return "one or more of " + code(names) + aliasText(true);
        }

        @Override
        public boolean takesList() {
            return true;
        }

        /** The name {@code written} stands for (a name or an alias, any case). */
        Optional<String> name(String written) {
            String lower = written.strip().toLowerCase(Locale.ROOT);
            return names.contains(lower) ? Optional.of(lower) : Optional.ofNullable(aliases.get(lower));
        }

        @Override
        public Checked check(String value, Path userHome) {
            Set<String> chosen = new LinkedHashSet<>();
            List<String> unknown = new ArrayList<>();
            for (String token : value.split(",")) {
                String t = token.strip().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    name(t).ifPresentOrElse(chosen::add, () -> unknown.add(t));
                }
            }
            StringBuilder map = new StringBuilder("{");
            for (int i = 0; i < names.size(); i++) {
                map.append(i == 0 ? "" : ", ").append(names.get(i)).append(": ").append(i == 0);
            }
            String forms = "a list of " + String.join(", ", names) + aliasText(false)
                    + ", as a YAML list, a comma-separated string or a map such as " + map.append('}');
            if (!unknown.isEmpty()) {
                return Checked.bad("unknown " + noun + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                        + "; expected " + forms);
            }
            if (chosen.isEmpty()) {
                return Checked.bad("expected at least one " + noun + ": " + forms);
            }
            return Checked.ok(Set.copyOf(chosen));
        }

        private String aliasText(boolean markdown) {
            if (aliases.isEmpty()) {
                return "";
            }
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, String> a : new TreeMap<>(aliases).entrySet()) {
                parts.add(markdown ? "`" + a.getKey() + "` = `" + a.getValue() + "`"
                        : a.getKey() + " is accepted for " + a.getValue());
            }
            return " (" + String.join(", ", parts) + ")";
        }
    }

    /**
     * A string, non-empty unless {@code emptyMeans} is set.
     *
     * @param rule        what a non-empty value must satisfy, or null
     * @param expectation the message when it does not, {@code expected ...}
     */
    record Text(Function<String, Optional<String>> rule, String expectation, String emptyMeans) implements ValueType {

        /** This text, where a non-empty value must satisfy {@code rule}; {@code expectation} starts with "expected". */
        public Text matching(Predicate<String> rule, String expectation) {
            return new Text(v -> rule.test(v) ? Optional.empty() : Optional.of(expectation), expectation, emptyMeans);
        }

        /**
         * This text, where {@code problem} says what is wrong with a non-empty value (empty when nothing);
         * {@code expectation} describes what is allowed, for the reference.
         */
        public Text explained(Function<String, Optional<String>> problem, String expectation) {
            return new Text(problem, expectation, emptyMeans);
        }

        /** This text, where an empty value is allowed and means {@code meaning}. */
        public Text orEmpty(String meaning) {
            return new Text(rule, expectation, meaning);
        }

        @Override
        public String typeName() {
            return "string";
        }

        @Override
        public String allowed() {
            if (rule != null) {
                return expectation.replaceFirst("^expected ", "");
            }
            return emptyMeans == null ? "non-empty" : "";
        }

        @Override
        public Checked check(String value, Path userHome) {
            if (value.isEmpty()) {
                return emptyMeans == null ? Checked.bad(NOT_EMPTY) : Checked.ok("");
            }
            if (rule == null) {
                return Checked.ok(value);
            }
            return rule.apply(value).map(Checked::bad).orElseGet(() -> Checked.ok(value));
        }
    }

    /**
     * A list of names, possibly empty, as a YAML list or a comma-separated string; each name must satisfy
     * {@code rule}. The value is the {@code List<String>} of the names in the order written, repeats
     * dropped ({@code policy.locked}, {@code policy.approved_queries}).
     *
     * @param noun        what one name is, for messages ({@code key})
     * @param rule        what is wrong with one name (empty when nothing), given the name as written
     * @param expectation what is allowed, for the reference; starts with "expected"
     * @param emptyMeans  what an empty list means
     */
    record Names(String noun, Function<String, Optional<String>> rule, String expectation, String emptyMeans)
            implements ValueType {

        @Override
        public String typeName() {
            return "list";
        }

        @Override
        public String allowed() {
            return expectation.replaceFirst("^expected ", "");
        }

        @Override
        public boolean takesList() {
            return true;
        }

        @Override
        public Checked check(String value, Path userHome) {
            Set<String> names = new LinkedHashSet<>();
            List<String> problems = new ArrayList<>();
            for (String token : value.split(",")) {
                String name = token.strip();
                if (name.isEmpty()) {
                    continue;
                }
                rule.apply(name).ifPresentOrElse(problems::add, () -> names.add(name));
            }
            if (!problems.isEmpty()) {
                return Checked.bad(String.join("; ", problems));
            }
            return Checked.ok(List.copyOf(names));
        }
    }

    /** A path; a leading {@code ~} or {@code ~/} is the user's home. The value is the expanded path as text. */
    record PathValue(String what, String emptyMeans) implements ValueType {

        /** This path, where an empty value is allowed and means {@code meaning}. */
        public PathValue orEmpty(String meaning) {
            return new PathValue(what, meaning);
        }

        @Override
        public String typeName() {
            return "path";
        }

        @Override
        public String allowed() {
            return (emptyMeans == null ? "non-empty; " : "") + "a leading `~` is the home directory";
        }

        @Override
        public Checked check(String value, Path userHome) {
            if (value.isEmpty()) {
                return emptyMeans == null ? Checked.bad(NOT_EMPTY) : Checked.ok("");
            }
            String expanded = expandHome(value, userHome);
            try {
                Path.of(expanded);
            } catch (InvalidPathException e) {
                return Checked.bad("expected a " + what + " path: " + e.getReason());
            }
            return Checked.ok(expanded);
        }

        /** Expands a leading {@code ~} or {@code ~/} to {@code userHome}; other values are unchanged. */
        static String expandHome(String s, Path userHome) {
            if (s.equals("~")) {
                return userHome.toString();
            }
            if (s.startsWith("~/")) {
                return userHome.resolve(s.substring(2)).toString();
            }
            return s;
        }
    }

    /**
     * A Java regular expression. An empty value passes this check; whether it is allowed depends on
     * other keys ({@link KeyRule#TEXT_IDS_NEED_A_PATTERN}).
     */
    record Regex() implements ValueType {

        @Override
        public String typeName() {
            return "regex";
        }

        @Override
        public String allowed() {
            return "a Java regular expression";
        }

        @Override
        public Checked check(String value, Path userHome) {
            if (value.isEmpty()) {
                return Checked.ok("");
            }
            try {
                Pattern.compile(value);
                return Checked.ok(value);
            } catch (PatternSyntaxException e) {
                return Checked.bad("expected a Java regular expression, but it is invalid: " + e.getDescription()
                        + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
            }
        }
    }

    // ---- helpers ----

    /** {@code text} without the Markdown backticks, for messages and the terminal. */
    static String plain(String text) {
        return text.replace("`", "");
    }

    private static String code(List<String> names) {
        List<String> quoted = new ArrayList<>();
        for (String n : names) {
            quoted.add("`" + n + "`");
        }
        return String.join(", ", quoted);
    }

    private static <E extends Enum<E>> List<String> namesOf(Class<E> type) {
        Map<String, E> names = new LinkedHashMap<>();
        for (E constant : type.getEnumConstants()) {
            names.put(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'), constant);
        }
        return List.copyOf(names.keySet());
    }
}
