package dev.firmquery.config;

import dev.firmquery.config.AppConfig.AuthMode;
import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.ids.IdType;
import dev.firmquery.sql.IdBinding;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns the merged raw values into a typed {@link AppConfig}, collecting every problem instead of
 * stopping at the first. Each problem names the key, the value, the source and what is allowed.
 */
final class ConfigValidator {

    static final long MAX_INPUT_IDS_LIMIT = 10_000_000;
    static final String DEFAULT_ID_PATTERN = "[A-Za-z0-9_.:-]{1,64}";

    static final List<String> SSL_MODES =
            List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    static final List<String> KERBEROS_MODES = List.of("ticket-cache", "keytab", "native", "jaas");

    /** Format names as written, including the original design's {@code excel}. */
    static final Map<String, Format> FORMAT_NAMES = Map.of("csv", Format.CSV, "xlsx", Format.XLSX, "excel", Format.XLSX);

    /** {@code service}, {@code service/host} or either with {@code @REALM}. */
    private static final Pattern SPN = Pattern.compile("[^\\s/@]+(/[^\\s/@]+)?(@[^\\s/@]+)?");
    /** {@code name} or {@code name@REALM}; a name may have instance parts ({@code alice/admin}). */
    private static final Pattern PRINCIPAL = Pattern.compile("[^\\s@]+(@[^\\s@]+)?");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d+(_\\d+)*");

    private final Map<String, RawValue> values;
    private final Path userHome;
    private final String osUserName;
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Set<String> invalidKeys = new HashSet<>();

    /**
     * @param values     the effective value of each known key (absent optional keys may be missing)
     * @param userHome   for expanding a leading {@code ~}
     * @param osUserName the user name used when {@code database.user} is empty; may be null
     */
    ConfigValidator(Map<String, RawValue> values, Path userHome, String osUserName) {
        this.values = values;
        this.userHome = userHome;
        this.osUserName = osUserName;
    }

    List<String> problems() {
        return problems;
    }

    List<String> warnings() {
        return warnings;
    }

    /**
     * Validates everything.
     *
     * @param crossChecks whether to check rules between keys; off when a source could not be read, since
     *                    its values might have satisfied them
     * @return the configuration, or {@code null} when {@link #problems()} is not empty
     */
    AppConfig validate(boolean crossChecks) {
        AppConfig.Application application = application(crossChecks);
        AppConfig.Database database = database();
        AppConfig.Kerberos kerberos = kerberos(database.auth(), userLeftEmpty());
        AppConfig.Processing processing = processing(database.maxConnections(), crossChecks);
        AppConfig.Output output = output();
        AppConfig.Logging logging = new AppConfig.Logging(path("logging.directory"));
        return problems.isEmpty()
                ? new AppConfig(application, database, kerberos, processing, output, logging)
                : null;
    }

    /** Whether {@code database.user} is empty in every source (so it is worked out, not configured). */
    private boolean userLeftEmpty() {
        RawValue user = values.get("database.user");
        return user == null || user.value().isBlank();
    }

    /** The {@code database.ssl_mode} used when it is left empty. */
    static String automaticSslMode(AuthMode auth) {
        return auth == AuthMode.KERBEROS ? "verify-full" : "prefer";
    }

    private AppConfig.Application application(boolean crossChecks) {
        int maxInputIds = whole("application.max_input_ids", 1, MAX_INPUT_IDS_LIMIT, 1);
        int warningThreshold = whole("application.warning_threshold", 1, MAX_INPUT_IDS_LIMIT, 1);
        if (crossChecks && isValid("application.max_input_ids") && isValid("application.warning_threshold")
                && warningThreshold > maxInputIds) {
            problems.add(show("application.warning_threshold") + " is greater than "
                    + show("application.max_input_ids")
                    + ": the warning would never be seen; lower application.warning_threshold or raise application.max_input_ids");
        }
        return new AppConfig.Application(maxInputIds, warningThreshold);
    }

    private AppConfig.Database database() {
        String host = text("database.host", true);
        if (host != null && !host.isEmpty() && host.chars().anyMatch(Character::isWhitespace)) {
            fail("database.host", "expected a host name or IP address without spaces");
        }
        int port = whole("database.port", 1, 65_535, 1);
        String database = text("database.database", true);
        String user = text("database.user", false);
        if (user != null && user.isEmpty()) {
            if (osUserName == null || osUserName.isBlank()) {
                fail("database.user", "expected a user name: it is empty and the operating "
                        + "system user name is unknown; set database.user");
            } else {
                user = osUserName;
            }
        }
        AuthMode auth = choice("database.auth",
                enumMap(List.of("kerberos", "password"), List.of(AuthMode.KERBEROS, AuthMode.PASSWORD)),
                AuthMode.KERBEROS);
        String sslMode = text("database.ssl_mode", false);
        if (sslMode != null && sslMode.isEmpty()) {
            sslMode = automaticSslMode(auth);
        } else if (sslMode != null) {
            String normalized = sslMode.toLowerCase(Locale.ROOT).replace('_', '-');
            if (SSL_MODES.contains(normalized)) {
                sslMode = normalized;
            } else {
                fail("database.ssl_mode", "expected one of: " + String.join(", ", SSL_MODES)
                        + " (or empty: verify-full with Kerberos, prefer with password authentication)");
            }
        }
        Duration connectionTimeout = seconds("database.connection_timeout", 1, 3_600, "");
        Duration queryTimeout = seconds("database.query_timeout", 0, 86_400, "; 0 means no limit");
        int maxConnections = whole("database.max_connections", 1, 64, 1);
        Duration maxConnectionAge = seconds("database.max_connection_age", 0, 86_400, "; 0 means no limit");
        return new AppConfig.Database(host, port, database, user, auth, sslMode, connectionTimeout, queryTimeout,
                maxConnections, maxConnectionAge);
    }

    private AppConfig.Kerberos kerberos(AuthMode auth, boolean userFromPrincipal) {
        String mode = text("kerberos.mode", true);
        if (mode != null) {
            String normalized = mode.toLowerCase(Locale.ROOT).replace('_', '-');
            if (KERBEROS_MODES.contains(normalized)) {
                mode = normalized;
            } else {
                fail("kerberos.mode", "expected one of: " + String.join(", ", KERBEROS_MODES));
            }
        }
        String keytab = homeExpanded(text("kerberos.keytab", false));
        if (auth == AuthMode.KERBEROS && "keytab".equals(mode) && keytab != null && keytab.isEmpty()) {
            problems.add(show("kerberos.mode") + " needs kerberos.keytab, which is empty: set kerberos.keytab "
                    + "to the keytab file, or use kerberos.mode ticket-cache after running kinit");
        }
        String jaasConf = homeExpanded(text("kerberos.jaas_conf", false));
        if (auth == AuthMode.KERBEROS && "jaas".equals(mode) && jaasConf != null && jaasConf.isEmpty()) {
            problems.add(show("kerberos.mode") + " needs kerberos.jaas_conf, which is empty: set kerberos.jaas_conf "
                    + "to your JAAS configuration file (and kerberos.jaas_entry to its entry), or use kerberos.mode "
                    + "ticket-cache, which needs no file");
        }
        String spn = text("kerberos.spn", false);
        if (spn != null && !spn.isEmpty() && !SPN.matcher(spn).matches()) {
            fail("kerberos.spn", "expected a service name such as postgres or cockroachdb, or a full service "
                    + "principal such as cockroachdb/db1.example.com@EXAMPLE.COM (no spaces, one '/' and at most "
                    + "one '@')");
        }
        String principal = text("kerberos.principal", false);
        if (principal != null && !principal.isEmpty() && !PRINCIPAL.matcher(principal).matches()) {
            fail("kerberos.principal", "expected a Kerberos principal such as alice@EXAMPLE.COM or alice "
                    + "(no spaces, at most one '@')");
        }
        Duration expiredWait = seconds("kerberos.expired_wait", 0, 86_400, "; 0 means stop at once");
        boolean renew = bool("kerberos.renew");
        return new AppConfig.Kerberos(mode,
                spn,
                homeExpanded(text("kerberos.krb5_conf", false)),
                jaasConf,
                text("kerberos.jaas_entry", false),
                homeExpanded(text("kerberos.ticket_cache", false)),
                keytab,
                principal,
                expiredWait,
                renew,
                userFromPrincipal);
    }

    private AppConfig.Processing processing(int maxConnections, boolean crossChecks) {
        int chunkSize = whole("processing.chunk_size", ConfigLimits.MIN_CHUNK_SIZE, ConfigLimits.MAX_CHUNK_SIZE,
                ConfigLimits.MIN_CHUNK_SIZE);
        int maxQueryLength = whole("processing.max_query_length", 100, Integer.MAX_VALUE, 100);
        int maxRetries = whole("processing.max_retries", ConfigLimits.MIN_RETRIES, ConfigLimits.MAX_RETRIES,
                ConfigLimits.MIN_RETRIES);
        Duration retryDelay = seconds("processing.retry_delay", 0, 3_600, "");
        int threadCount = whole("processing.thread_count", 1, 16, 1);
        if (crossChecks && isValid("processing.thread_count") && isValid("database.max_connections")
                && threadCount > maxConnections) {
            problems.add(show("processing.thread_count") + " is greater than " + show("database.max_connections")
                    + ": each worker needs its own connection; raise database.max_connections or lower processing.thread_count");
        }
        IdType idType = choice("processing.id_type",
                enumMap(List.of("integer", "text"), List.of(IdType.INTEGER, IdType.TEXT)), IdType.INTEGER);
        Pattern idPattern = idPattern(idType);
        IdBinding idBinding = choice("processing.id_binding",
                enumMap(List.of("bind", "literal", "array"), List.of(IdBinding.BIND, IdBinding.LITERAL, IdBinding.ARRAY)),
                IdBinding.BIND);
        if (idBinding == IdBinding.LITERAL && idType == IdType.TEXT && isValid("processing.id_type")) {
            problems.add(show("processing.id_binding") + ": literal binding writes the IDs into the SQL text "
                    + "and is only allowed with integer IDs, but " + show("processing.id_type")
                    + "; use bind or array, or set processing.id_type to integer");
        }
        boolean allowWrites = bool("processing.allow_writes");
        int fetchSize = whole("processing.fetch_size", 1, 100_000, 1);
        Duration outageWait = seconds("processing.outage_wait", 0, 86_400, "");
        AppConfig.IdOrder idOrder = choice("processing.id_order",
                enumMap(List.of("sorted", "input"), List.of(AppConfig.IdOrder.SORTED, AppConfig.IdOrder.INPUT)),
                AppConfig.IdOrder.SORTED);
        boolean genericPlans = bool("processing.generic_plans");
        return new AppConfig.Processing(chunkSize, maxQueryLength, maxRetries, retryDelay, threadCount, idType,
                idPattern, idBinding, allowWrites, fetchSize, outageWait, idOrder, genericPlans);
    }

    private Pattern idPattern(IdType idType) {
        String pattern = scalar("processing.id_pattern");
        Pattern fallback = Pattern.compile(DEFAULT_ID_PATTERN);
        if (pattern == null) {
            return fallback;
        }
        if (pattern.isEmpty()) {
            if (idType == IdType.TEXT) {
                fail("processing.id_pattern", "a regular expression is required when processing.id_type "
                        + "is text, e.g. " + DEFAULT_ID_PATTERN);
            }
            return fallback;
        }
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            String why = "expected a Java regular expression, but it is invalid: " + e.getDescription()
                    + (e.getIndex() >= 0 ? " near index " + e.getIndex() : "");
            if (idType == IdType.TEXT) {
                fail("processing.id_pattern", why);
            } else {
                warnings.add(bad("processing.id_pattern", why) + "; it is not used with integer IDs, so it is ignored");
            }
            return fallback;
        }
    }

    private AppConfig.Output output() {
        Path directory = path("output.default_directory");
        String filenamePattern = filenamePattern();
        Set<Format> formats = formats();
        boolean csvGzip = bool("output.csv_gzip");
        boolean csvFormulaGuard = bool("output.csv_formula_guard");
        return new AppConfig.Output(directory, filenamePattern, formats, csvGzip, fileMode(), csvFormulaGuard);
    }

    /** {@code output.file_mode}: an octal mode such as 0600 or 640, owner read+write at least. */
    private Set<PosixFilePermission> fileMode() {
        Set<PosixFilePermission> fallback = PosixFilePermissions.fromString("rw-------");
        String s = scalar("output.file_mode");
        if (s == null) {
            return fallback;
        }
        String expected = "expected an octal file mode such as 0600 (owner only) or 0640 (owner and group read),"
                + " in which the owner can read and write and nobody can execute";
        if (!s.matches("0?[0-7]{3}")) {
            fail("output.file_mode", expected);
            return fallback;
        }
        int mode = Integer.parseInt(s, 8);
        if ((mode & 0600) != 0600 || (mode & 0111) != 0) {
            fail("output.file_mode", expected);
            return fallback;
        }
        StringBuilder rwx = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = (mode >> shift) & 7;
            rwx.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append('-');
        }
        return PosixFilePermissions.fromString(rwx.toString());
    }

    private String filenamePattern() {
        String key = "output.filename_pattern";
        String pattern = text(key, true);
        if (pattern == null || pattern.isEmpty()) {
            return pattern;
        }
        ConfigLimits.filenamePatternProblem(pattern, "choose the directory with output.default_directory or --out")
                .ifPresent(problem -> fail(key, problem));
        return pattern;
    }

    private Set<Format> formats() {
        String key = "output.formats";
        RawValue raw = required(key);
        Set<Format> formats = EnumSet.noneOf(Format.class);
        if (raw == null) {
            return Set.of(Format.CSV);
        }
        List<String> unknown = new ArrayList<>();
        for (String token : raw.value().split(",")) {
            String name = token.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            Format format = FORMAT_NAMES.get(name);
            if (format == null) {
                unknown.add(name);
            } else {
                formats.add(format);
            }
        }
        String allowed = "a list of csv, xlsx (excel is accepted for xlsx), as a YAML list, a comma-separated "
                + "string or a map such as {csv: true, xlsx: false}";
        if (!unknown.isEmpty()) {
            fail(key, "unknown format" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + "; expected " + allowed);
        } else if (formats.isEmpty()) {
            fail(key, "expected at least one format: " + allowed);
        }
        return formats.isEmpty() ? Set.of(Format.CSV) : formats;
    }

    // ---- typed readers: each returns a usable fallback after recording a problem ----

    private RawValue required(String key) {
        RawValue raw = values.get(key);
        if (raw == null) {
            invalidKeys.add(key);
            problems.add(key + " is not set in any source: add it to config/default.yaml, a configuration file or "
                    + ConfigKeys.environmentVariable(key));
        }
        return raw;
    }

    /** The trimmed single value, or null after a problem (missing, or a list where one value belongs). */
    private String scalar(String key) {
        RawValue raw = required(key);
        if (raw == null) {
            return null;
        }
        if (raw.list()) {
            fail(key, "expected a single value, not a list");
            return null;
        }
        return raw.value().strip();
    }

    private int whole(String key, long min, long max, int fallback) {
        String s = scalar(key);
        if (s == null) {
            return fallback;
        }
        String expected = "expected a whole number from " + min + " to " + max;
        if (!WHOLE_NUMBER.matcher(s).matches()) {
            fail(key, expected);
            return fallback;
        }
        BigInteger n = new BigInteger(s.replace("_", ""));
        if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
            fail(key, expected);
            return fallback;
        }
        return n.intValueExact();
    }

    private Duration seconds(String key, long min, long max, String note) {
        Duration fallback = Duration.ofSeconds(min);
        String s = scalar(key);
        if (s == null) {
            return fallback;
        }
        String expected = "expected a number of seconds from " + min + " to " + max
                + (min == 0 ? " (decimals allowed, e.g. 0.5" + note + ")" : " (decimals allowed" + note + ")");
        BigDecimal n;
        try {
            n = new BigDecimal(s.replace("_", ""));
        } catch (NumberFormatException e) {
            fail(key, expected);
            return fallback;
        }
        if (n.compareTo(BigDecimal.valueOf(min)) < 0 || n.compareTo(BigDecimal.valueOf(max)) > 0) {
            fail(key, expected);
            return fallback;
        }
        return Duration.ofNanos(n.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact());
    }

    private boolean bool(String key) {
        String s = scalar(key);
        if (s == null) {
            return false;
        }
        switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> {
                return true;
            }
            case "false", "no", "off" -> {
                return false;
            }
            default -> {
                fail(key, "expected true or false");
                return false;
            }
        }
    }

    private <T> T choice(String key, Map<String, T> allowed, T fallback) {
        String s = scalar(key);
        if (s == null) {
            return fallback;
        }
        T value = allowed.get(s.toLowerCase(Locale.ROOT));
        if (value == null) {
            fail(key, "expected one of: " + String.join(", ", allowed.keySet()));
            return fallback;
        }
        return value;
    }

    /** A string; {@code required} means it must not be empty. Null only after a problem. */
    private String text(String key, boolean required) {
        if (!required && !values.containsKey(key)) {
            return "";
        }
        String s = scalar(key);
        if (s != null && required && s.isEmpty()) {
            fail(key, "expected a value, not an empty string");
        }
        return s;
    }

    private Path path(String key) {
        String s = text(key, true);
        if (s == null || s.isEmpty()) {
            return Path.of(".");
        }
        try {
            return Path.of(homeExpanded(s));
        } catch (InvalidPathException e) {
            fail(key, "expected a directory path: " + e.getReason());
            return Path.of(".");
        }
    }

    /** Expands a leading {@code ~} or {@code ~/} to the user's home directory; other values are unchanged. */
    private String homeExpanded(String s) {
        if (s == null) {
            return null;
        }
        if (s.equals("~")) {
            return userHome.toString();
        }
        if (s.startsWith("~/")) {
            return userHome.resolve(s.substring(2)).toString();
        }
        return s;
    }

    private boolean isValid(String key) {
        return !invalidKeys.contains(key);
    }

    private void fail(String key, String expectation) {
        invalidKeys.add(key);
        problems.add(bad(key, expectation));
    }

    // ---- messages ----

    /** {@code key = "value" (from origin): expectation}. */
    private String bad(String key, String expectation) {
        return show(key) + ": " + expectation;
    }

    /** {@code key = "value" (from origin)}. */
    private String show(String key) {
        RawValue raw = values.get(key);
        if (raw == null) {
            return key + " (not set)";
        }
        return key + " = " + quote(raw.value()) + " (from " + raw.origin() + ")";
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static <T> Map<String, T> enumMap(List<String> names, List<T> values) {
        Map<String, T> map = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            map.put(names.get(i), values.get(i));
        }
        return map;
    }
}
