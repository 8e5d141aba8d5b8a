package dev.firmquery.config;

import dev.firmquery.config.AppConfig.AuthMode;
import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.config.AppConfig.IdOrder;
import dev.firmquery.export.CsvDialect;
import dev.firmquery.ids.IdType;
import dev.firmquery.sql.IdBinding;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.firmquery.config.ConfigKey.*;

/**
 * Turns the merged raw values into a typed {@link AppConfig}, collecting every problem instead of
 * stopping at the first. Each problem names the key, the value, the source and what is allowed.
 *
 * <p>Three steps: every key is checked by its {@link ConfigKey#type()} (problems in table order); then the
 * {@link KeyRule}s between keys; then the two values worked out from the environment or another key
 * ({@code database.user} and {@code database.ssl_mode} left empty) are resolved and the records built.
 */
final class ConfigValidator {

    static final String DEFAULT_ID_PATTERN = PROCESSING_ID_PATTERN.defaultValue();

    private final Map<String, RawValue> values;
    private final Path userHome;
    private final String osUserName;
    private final Path policyFile;
    private final List<Path> policyFolders;
    private final Map<ConfigKey, Object> checked = new EnumMap<>(ConfigKey.class);
    /** Each key's own problem, in table order; a rule may still turn one into a warning. */
    private final Map<ConfigKey, String> failures = new LinkedHashMap<>();
    private final List<String> ruleProblems = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    /**
     * @param values     the effective value of each known key (absent optional keys may be missing)
     * @param userHome   for expanding a leading {@code ~}
     * @param osUserName the user name used when {@code database.user} is empty; may be null
     */
    ConfigValidator(Map<String, RawValue> values, Path userHome, String osUserName) {
        this(values, userHome, osUserName, null, List.of());
    }

    /**
     * @param policyFile    the system file the policy section came from, or null when there is none
     * @param policyFolders the administrator's query folders ({@link AppConfig.Policy#queryFolders()})
     */
    ConfigValidator(Map<String, RawValue> values, Path userHome, String osUserName, Path policyFile,
                    List<Path> policyFolders) {
        this.values = values;
        this.userHome = userHome;
        this.osUserName = osUserName;
        this.policyFile = policyFile;
        this.policyFolders = List.copyOf(policyFolders);
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
     * @param crossChecks whether to check the rules between keys; off when a source could not be read,
     *                    since its values might have satisfied them
     * @return the configuration, or {@code null} when {@link #problems()} is not empty
     */
    AppConfig validate(boolean crossChecks) {
        for (ConfigKey key : ConfigKey.values()) {
            check(key);
        }
        if (crossChecks) {
            Rules rules = new Rules();
            for (KeyRule rule : KeyRule.values()) {
                rule.check(rules);
            }
        }
        String user = resolveUser();
        problems.addAll(failures.values());
        problems.addAll(ruleProblems);
        return problems.isEmpty() ? build(user) : null;
    }

    // ---- step 1: each key by its type ----

    private void check(ConfigKey key) {
        RawValue raw = values.get(key.key());
        if (raw == null) {
            failures.put(key, key + " is not set in any source: add it to config/default.yaml, a configuration "
                    + "file or " + key.environmentVariable());
            return;
        }
        if (raw.list() && !key.type().takesList()) {
            failures.put(key, bad(key, "expected a single value, not a list"));
            return;
        }
        ValueType.Checked result = key.type().check(raw.value().strip(), userHome);
        if (result.ok()) {
            checked.put(key, result.value());
        } else {
            failures.put(key, bad(key, result.expectation()));
        }
    }

    // ---- step 2: the rules between keys ----

    private final class Rules implements KeyRule.Values {

        @Override
        public boolean valid(ConfigKey... keys) {
            for (ConfigKey key : keys) {
                if (!checked.containsKey(key)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int whole(ConfigKey key) {
            return (Integer) checked.get(key);
        }

        @Override
        public String text(ConfigKey key) {
            return (String) checked.get(key);
        }

        @Override
        public String show(ConfigKey key) {
            return ConfigValidator.this.show(key);
        }

        @Override
        public void problem(String text) {
            ruleProblems.add(text);
        }

        @Override
        public void warning(String text) {
            warnings.add(text);
        }

        @Override
        public void demote(ConfigKey key, String suffix) {
            String problem = failures.remove(key);
            if (problem != null) {
                warnings.add(problem + suffix);
            }
        }
    }

    // ---- step 3: resolved values and the records ----

    /** {@code database.user}, or the operating system user name when it is left empty (a problem if unknown). */
    private String resolveUser() {
        if (!checked.containsKey(DATABASE_USER)) {
            return null;
        }
        String user = string(DATABASE_USER);
        if (!user.isEmpty()) {
            return user;
        }
        if (osUserName == null || osUserName.isBlank()) {
            failures.put(DATABASE_USER, bad(DATABASE_USER, "expected a user name: it is empty and the operating "
                    + "system user name is unknown; set database.user"));
            return null;
        }
        return osUserName;
    }

    /** Whether {@code database.user} is empty in every source (so it is worked out, not configured). */
    private boolean userLeftEmpty() {
        RawValue user = values.get(DATABASE_USER.key());
        return user == null || user.value().isBlank();
    }

    private AppConfig build(String user) {
        AuthMode auth = constant(DATABASE_AUTH, AuthMode.class);
        String sslMode = string(DATABASE_SSL_MODE);
        AppConfig.Database database = new AppConfig.Database(string(DATABASE_HOST), whole(DATABASE_PORT),
                string(DATABASE_DATABASE), user, auth, sslMode.isEmpty() ? TransportSecurity.automaticSslMode(auth, string(DATABASE_HOST)) : sslMode,
                seconds(DATABASE_CONNECTION_TIMEOUT), seconds(DATABASE_QUERY_TIMEOUT), whole(DATABASE_MAX_CONNECTIONS),
                seconds(DATABASE_MAX_CONNECTION_AGE), string(DATABASE_PASSWORD_COMMAND),
                seconds(DATABASE_PASSWORD_COMMAND_TIMEOUT));
        AppConfig.Kerberos kerberos = new AppConfig.Kerberos(string(KERBEROS_MODE), string(KERBEROS_SPN),
                string(KERBEROS_KRB5_CONF), string(KERBEROS_JAAS_CONF), string(KERBEROS_JAAS_ENTRY),
                string(KERBEROS_TICKET_CACHE), string(KERBEROS_KEYTAB), string(KERBEROS_PRINCIPAL),
                seconds(KERBEROS_EXPIRED_WAIT), flag(KERBEROS_RENEW), userLeftEmpty());
        // An invalid pattern got here only as a warning (integer IDs); an empty one is only allowed with them.
        String pattern = checked.containsKey(PROCESSING_ID_PATTERN) ? string(PROCESSING_ID_PATTERN) : "";
        AppConfig.Processing processing = new AppConfig.Processing(whole(PROCESSING_CHUNK_SIZE),
                whole(PROCESSING_MAX_QUERY_LENGTH), whole(PROCESSING_MAX_RETRIES), seconds(PROCESSING_RETRY_DELAY),
                whole(PROCESSING_THREAD_COUNT), constant(PROCESSING_ID_TYPE, IdType.class),
                Pattern.compile(pattern.isEmpty() ? DEFAULT_ID_PATTERN : pattern),
                constant(PROCESSING_ID_BINDING, IdBinding.class), flag(PROCESSING_ALLOW_WRITES),
                whole(PROCESSING_FETCH_SIZE), seconds(PROCESSING_OUTAGE_WAIT),
                constant(PROCESSING_ID_ORDER, IdOrder.class), flag(PROCESSING_GENERIC_PLANS),
                whole(PROCESSING_CHUNKS_PER_ROUND_TRIP));
        AppConfig.Output output = new AppConfig.Output(Path.of(string(OUTPUT_DEFAULT_DIRECTORY)),
                string(OUTPUT_FILENAME_PATTERN), formats(), flag(OUTPUT_CSV_GZIP), fileMode(),
                flag(OUTPUT_CSV_FORMULA_GUARD), CsvDialect.of(string(OUTPUT_CSV_DELIMITER), flag(OUTPUT_CSV_BOM),
                        string(OUTPUT_CSV_LINE_ENDING)));
        return new AppConfig(
                new AppConfig.Application(whole(APPLICATION_MAX_INPUT_IDS), whole(APPLICATION_WARNING_THRESHOLD)),
                database, kerberos, processing, output, new AppConfig.Logging(Path.of(string(LOGGING_DIRECTORY)),
                        string(LOGGING_FORMAT).equals("json")),
                new AppConfig.Policy(policyFile, Set.copyOf(names(POLICY_LOCKED)), names(POLICY_APPROVED_QUERIES),
                        policyFolders),
                new AppConfig.Metrics(string(OUTPUT_METRICS_FILE).isEmpty() ? null : Path.of(string(OUTPUT_METRICS_FILE)),
                        whole(METRICS_PORT), string(METRICS_ADDRESS)));
    }

    private int whole(ConfigKey key) {
        return (Integer) checked.get(key);
    }

    private Duration seconds(ConfigKey key) {
        return (Duration) checked.get(key);
    }

    private boolean flag(ConfigKey key) {
        return (Boolean) checked.get(key);
    }

    private String string(ConfigKey key) {
        return (String) checked.get(key);
    }

    @SuppressWarnings("unchecked")
    private List<String> names(ConfigKey key) {
        return (List<String>) checked.get(key);
    }

    private <E extends Enum<E>> E constant(ConfigKey key, Class<E> type) {
        return key.type(ValueType.Choice.class).constant(type, string(key));
    }

    private Set<Format> formats() {
        Set<Format> formats = EnumSet.noneOf(Format.class);
        for (Object name : (Set<?>) checked.get(OUTPUT_FORMATS)) {
            formats.add(Format.valueOf(((String) name).toUpperCase(java.util.Locale.ROOT)));
        }
        return formats;
    }

    @SuppressWarnings("unchecked")
    private Set<PosixFilePermission> fileMode() {
        return (Set<PosixFilePermission>) checked.get(OUTPUT_FILE_MODE);
    }

    // ---- messages ----

    /** {@code key = "value" (from origin): expectation}. */
    private String bad(ConfigKey key, String expectation) {
        return show(key) + ": " + expectation;
    }

    /** {@code key = "value" (from origin)}. */
    private String show(ConfigKey key) {
        RawValue raw = values.get(key.key());
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
}
