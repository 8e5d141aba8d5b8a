package dev.firmquery.config;

import dev.firmquery.config.AppConfig.AuthMode;
import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.config.AppConfig.IdOrder;
import dev.firmquery.ids.IdType;
import dev.firmquery.sql.IdBinding;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.firmquery.config.ConfigKey.Trait.LOCKABLE;
import static dev.firmquery.config.ConfigKey.Trait.SESSION;
import static dev.firmquery.config.ConfigKey.Trait.SYSTEM;
import static dev.firmquery.config.ValueType.choice;
import static dev.firmquery.config.ValueType.flag;
import static dev.firmquery.config.ValueType.path;
import static dev.firmquery.config.ValueType.seconds;
import static dev.firmquery.config.ValueType.text;
import static dev.firmquery.config.ValueType.whole;

/**
 * Every configuration key, declared once: its name, the {@link ValueType} with its range or choices,
 * the shipped default, a one-line description and its {@link Trait}s. The validator, the UI's
 * configuration window, {@code firmquery config} and the reference in {@code docs/configuration.md}
 * follow this table; {@code ConfigReferenceTest} fails when {@code config/default.yaml} or the docs
 * disagree with it.
 *
 * <p>The order is that of {@code config/default.yaml}; problems are reported in this order. A new key is
 * one line here, one in {@code default.yaml} (the test says so), a field in {@link AppConfig} that
 * {@code ConfigValidator} fills, and the regenerated docs table. A new section needs nothing more: the
 * sections are the prefixes of the keys.
 *
 * <p>Texts may put code in backticks; they go into the Markdown reference and are shown without them
 * elsewhere ({@link #plainDescription()}).
 */
public enum ConfigKey {

    APPLICATION_MAX_INPUT_IDS("application.max_input_ids", whole(1, 10_000_000), "1000000",
            "refuse a run with more valid (distinct) IDs than this, before the database is touched", LOCKABLE),
    APPLICATION_WARNING_THRESHOLD("application.warning_threshold", whole(1, 10_000_000), "900000",
            "warn when a run has more valid IDs than this"),

    DATABASE_HOST("database.host", text().explained(HostName::problem, HostName.EXPECTED), "localhost",
            "host name or IP address of the database (CockroachDB or PostgreSQL)", LOCKABLE),
    DATABASE_PORT("database.port", whole(1, 65_535), "26257",
            "TCP port: 26257 is CockroachDB's default, 5432 PostgreSQL's", LOCKABLE),
    DATABASE_DATABASE("database.database", text(), "defaultdb", "database name", LOCKABLE),
    DATABASE_USER("database.user", text().orEmpty("the operating system user name; with Kerberos the principal's "
            + "name without the realm"), "", "user name to connect as"),
    DATABASE_AUTH("database.auth", choice(AuthMode.class), "kerberos",
            "how to authenticate: `kerberos` (GSSAPI, no password) or `password`", LOCKABLE),
    DATABASE_PASSWORD_COMMAND("database.password_command", text().orEmpty("not set: `FIRMQUERY_DATABASE_PASSWORD`, "
            + "`PGPASSWORD` or `~/.pgpass`"), "",
            "with `database.auth: password`, a shell command whose first line of output is the password (`pass show "
                    + "db/firmquery`); run when connecting, its output never logged; `FIRMQUERY_DATABASE_PASSWORD` "
                    + "wins over it, it wins over `PGPASSWORD` and `~/.pgpass`"),
    DATABASE_PASSWORD_COMMAND_TIMEOUT("database.password_command_timeout", seconds(1, 600), "30",
            "seconds `database.password_command` may take (a vault CLI asks a server) before it is killed"),
    DATABASE_SSL_MODE("database.ssl_mode", choice("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
            .orEmpty("verify-full, except prefer with password authentication to this machine"), "",
            "TLS mode of the connection (pgjdbc `sslmode`)", LOCKABLE),
    DATABASE_CONNECTION_TIMEOUT("database.connection_timeout", seconds(1, 3_600), "30",
            "seconds to wait for a connection to be established"),
    DATABASE_QUERY_TIMEOUT("database.query_timeout", seconds(1, 86_400).refusingZero("0 (no limit) is not allowed: "
            + "a database that stops answering would hang the run forever; set the longest a chunk may run, from 1 to "
            + "86400 seconds (24 h)"), "300",
            "seconds one chunk's statement may run, from execute to its last row, before it is cancelled; also the "
                    + "session's `statement_timeout` and the bound of the describe step", LOCKABLE),
    DATABASE_MAX_CONNECTIONS("database.max_connections", whole(1, 64), "2",
            "size of the connection pool", LOCKABLE),
    DATABASE_MAX_CONNECTION_AGE("database.max_connection_age", seconds(0, 86_400, "no limit"), "1800",
            "seconds after which a pooled connection is retired and replaced"),

    KERBEROS_MODE("kerberos.mode", choice("ticket-cache", "keytab", "native", "jaas"), "ticket-cache",
            "where credentials come from: `ticket-cache` (after `kinit`), `keytab` (batch jobs), `native` (the OS's "
                    + "GSS library; reads any cache type) or `jaas` (your own JAAS file)", LOCKABLE),
    KERBEROS_SPN("kerberos.spn", text().matching(ConfigKey::isServicePrincipal, "expected a service name such as "
            + "postgres or cockroachdb, or a full service principal such as cockroachdb/db1.example.com@EXAMPLE.COM "
            + "(no spaces, one '/' and at most one '@')").orEmpty("`postgres`, the driver's default"), "",
            "the database's Kerberos service (a full principal's host should be `database.host`)", LOCKABLE),
    KERBEROS_KRB5_CONF("kerberos.krb5_conf", path("file").orEmpty("`KRB5_CONFIG`, else `/etc/krb5.conf`"), "",
            "krb5.conf to use (sets Java's `java.security.krb5.conf`)", LOCKABLE),
    KERBEROS_JAAS_CONF("kerberos.jaas_conf", path("file").orEmpty("not set"), "",
            "JAAS configuration file (mode `jaas`)"),
    KERBEROS_JAAS_ENTRY("kerberos.jaas_entry", text().orEmpty("`pgjdbc`, the driver's own entry name"), "",
            "entry in the JAAS file (mode `jaas`)"),
    KERBEROS_TICKET_CACHE("kerberos.ticket_cache", path("file").orEmpty("`KRB5CCNAME`, else krb5.conf's "
            + "`default_ccache_name`, else `/tmp/krb5cc_<uid>`"), "",
            "ticket cache (mode `ticket-cache`); Java reads `FILE:` caches only"),
    KERBEROS_KEYTAB("kerberos.keytab", path("file").orEmpty("not set"), "",
            "keytab file (mode `keytab`)"),
    KERBEROS_PRINCIPAL("kerberos.principal", text().matching(ConfigKey::isPrincipal, "expected a Kerberos principal "
            + "such as alice@EXAMPLE.COM or alice (no spaces, at most one '@')")
            .orEmpty("the ticket cache's principal, or the keytab's first"), "",
            "principal to log in as; a name without realm gets the default realm"),
    KERBEROS_EXPIRED_WAIT("kerberos.expired_wait", seconds(0, 86_400, "stop at once"), "300",
            "seconds a headless run waits for a new ticket (`kinit` in another terminal) after its ticket expired "
                    + "unrenewably, before it stops as a resumable partial run"),
    KERBEROS_RENEW("kerberos.renew", flag(), "true",
            "renew the ticket (or log in again from the keytab) once it is past half its life"),

    PROCESSING_CHUNK_SIZE("processing.chunk_size", whole(1, 10_000), "250", "IDs per statement", SESSION, LOCKABLE),
    PROCESSING_MAX_QUERY_LENGTH("processing.max_query_length", whole(100, Integer.MAX_VALUE), "15000",
            "longest SQL statement in characters, IDs included; chunks shrink to fit", LOCKABLE),
    PROCESSING_MAX_RETRIES("processing.max_retries", whole(0, 20), "2", "retries of a failing chunk", SESSION),
    PROCESSING_RETRY_DELAY("processing.retry_delay", seconds(0, 3_600), "5",
            "seconds before the first retry; doubles for each further retry, plus jitter"),
    PROCESSING_THREAD_COUNT("processing.thread_count", whole(1, 16), "2",
            "chunks run at the same time, each on its own connection", LOCKABLE),
    PROCESSING_ID_TYPE("processing.id_type", choice(IdType.class), "integer",
            "`integer` (digits only, up to 9223372036854775807) or `text` (checked against `id_pattern`)"),
    PROCESSING_ID_PATTERN("processing.id_pattern", new ValueType.Regex(), "[A-Za-z0-9_.:-]{1,64}",
            "Java regular expression a whole text ID must match"),
    PROCESSING_ID_BINDING("processing.id_binding", choice(IdBinding.class), "bind",
            "how `{ID_PLACEHOLDER}` becomes SQL: `bind` (one parameter per ID), `literal` (IDs in the SQL text; "
                    + "integer IDs only) or `array` (`= ANY(?)`)", LOCKABLE),
    PROCESSING_ALLOW_WRITES("processing.allow_writes", flag(), "false",
            "allow templates other than SELECT / WITH ... SELECT; statements still run read-only", LOCKABLE),
    PROCESSING_ID_ORDER("processing.id_order", choice(IdOrder.class), "sorted",
            "order in which IDs are cut into chunks: `sorted` (narrow key ranges, output ordered by ID) or "
                    + "`input` (the file's order)"),
    PROCESSING_GENERIC_PLANS("processing.generic_plans", flag(), "true",
            "plan the chunk statement once per connection (`plan_cache_mode`: `force_generic_plan` on "
                    + "PostgreSQL 12+, `auto` on CockroachDB 23.2+)"),
    PROCESSING_FETCH_SIZE("processing.fetch_size", whole(1, 100_000), "1000",
            "rows fetched from the server per round trip"),
    PROCESSING_CHUNKS_PER_ROUND_TRIP("processing.chunks_per_round_trip", whole(1, 64), "8",
            "most chunks a connection sends in one round trip (fewer when they are slow: what fits 0.5 s); each returns "
                    + "at most `processing.fetch_size` rows that way, a chunk with more runs again on its own "
                    + "(1: every chunk on its own)"),
    PROCESSING_OUTAGE_WAIT("processing.outage_wait", seconds(0, 86_400), "300",
            "seconds a run paused by a database outage probes before it ends as a resumable partial run"),

    OUTPUT_DEFAULT_DIRECTORY("output.default_directory", path("directory"), "./output",
            "directory of the output files when `--out` is not given; created if absent, relative to the current "
                    + "directory", SESSION),
    OUTPUT_FILENAME_PATTERN("output.filename_pattern", new FileNamePattern(200), "firm_query_{timestamp}",
            "base name of the output files; the placeholders become the run's values, e.g. `{timestamp}` "
                    + "`yyyyMMdd_HHmmss`, `{input}` the ID file's name", SESSION),
    OUTPUT_FORMATS("output.formats", ValueType.ChoiceList.of("format", Format.class, Map.of("excel", "xlsx")),
            "csv,xlsx", "files to write", SESSION),
    OUTPUT_CSV_GZIP("output.csv_gzip", flag(), "false", "compress the CSV file with gzip (`.csv.gz`)", SESSION),
    OUTPUT_CSV_FORMULA_GUARD("output.csv_formula_guard", flag(), "false",
            "put a `'` in front of CSV text cells that start with `=`, `+`, `-`, `@`, a tab or a carriage return, so"
                    + " that a spreadsheet shows them as text instead of running them as formulas (OWASP, \"CSV"
                    + " Injection\"); off keeps the CSV byte-faithful; the XLSX is safe either way", LOCKABLE),
    OUTPUT_CSV_DELIMITER("output.csv_delimiter", choice(",", ";", "tab", "|"), ",",
            "field delimiter of every CSV file (results, missing and failed IDs): `;` for Excel in locales that write "
                    + "decimals with a comma, which split a double-clicked CSV on `;`"),
    OUTPUT_CSV_BOM("output.csv_bom", flag(), "false",
            "start every CSV file with the UTF-8 byte order mark, so that Excel reads a double-clicked CSV as UTF-8 "
                    + "rather than the locale's code page (`Müller`, not `MÃ¼ller`)"),
    OUTPUT_CSV_LINE_ENDING("output.csv_line_ending", choice("crlf", "lf"), "crlf",
            "what ends each CSV record: `crlf` (RFC 4180, Excel) or `lf` (Unix tools)"),
    OUTPUT_FILE_MODE("output.file_mode", new FileMode(), "0600",
            "permissions of every file written; results may hold confidential firm data", LOCKABLE),

    OUTPUT_METRICS_FILE("output.metrics_file", path("file").orEmpty("no metrics file"), "",
            "a file of Prometheus metrics in the text format, for node_exporter's textfile collector: written "
                    + "anew (temporary file and rename, mode 0600) every 5 s during a run and at its end"),

    METRICS_PORT("metrics.port", whole(0, 65_535), "0",
            "a TCP port for an HTTP `/metrics` endpoint of Prometheus metrics for the life of the run or the UI "
                    + "session; 0: none"),
    METRICS_ADDRESS("metrics.address", text(), "127.0.0.1",
            "the address the `/metrics` endpoint listens on; the default is reachable from this host only",
            LOCKABLE),

    LOGGING_DIRECTORY("logging.directory", path("directory"), "~/.local/state/firmquery/logs",
            "directory of the application log and `audit.log`", LOCKABLE),
    LOGGING_FORMAT("logging.format", choice("text", "json"), "text",
            "`firmquery.log` as text lines, or `json`: one JSON object a line (Logback's JsonEncoder) with the run id, "
                    + "for a log shipper"),

    POLICY_LOCKED("policy.locked", new ValueType.Names("key", ConfigKey::lockProblem, "expected keys marked "
            + "lockable in the reference (docs/configuration.md)", "nothing is locked"), "",
            "keys no user file, `--env`, `FIRMQUERY_*` variable or `--set` may change; read only from the system file",
            SYSTEM),
    POLICY_APPROVED_QUERIES("policy.approved_queries", new ValueType.Names("query", ConfigKey::approvalProblem,
            "expected query names (found in the administrator's folders) or `sha256:` and the 64 hex digits of a "
                    + "file's text", "any query may run"), "",
            "the only queries that may run: a name approves the query of that name in `/etc/firmquery/queries`, the "
                    + "installation's `sql/queries` or the built-in ones; `sha256:HEX` approves a text wherever it is; "
                    + "read only from the system file", SYSTEM);

    /** What a key is besides its type. */
    public enum Trait {
        /** The UI's configuration window lets the user change it for the runs of one session. */
        SESSION,
        /**
         * An administrator's policy may fix its value for every user: the keys that bear on security (where
         * credentials and data go, what may run, who can read the output, where the audit trail is) or on
         * the shared database's load. Per-user keys (identity, personal files) are not lockable: one value
         * would be wrong for everybody else.
         */
        LOCKABLE,
        /**
         * Part of the administrator's policy: read only from the system file (and the shipped defaults,
         * which leave it empty); set anywhere else it is refused, so that no user layer can lift a lock.
         */
        SYSTEM
    }

    /** The key that is refused everywhere: passwords never live in files or on the command line. */
    static final String PASSWORD_KEY = "database.password";

    static final String ENV_PREFIX = "FIRMQUERY_";

    /**
     * {@code FIRMQUERY_} variables that are not configuration keys but are read elsewhere (the launcher's
     * {@code FIRMQUERY_HOME}, {@code FIRMQUERY_OPTS} and {@code FIRMQUERY_CDS}, the database password), so
     * they are ignored without a warning.
     */
    public static final Set<String> IGNORED_ENVIRONMENT_VARIABLES = Set.of("FIRMQUERY_HOME",
            "FIRMQUERY_DATABASE_PASSWORD", "FIRMQUERY_OPTS", "FIRMQUERY_SYSTEM_CONFIG", "FIRMQUERY_CDS");

    /** {@code service}, {@code service/host} or either with {@code @REALM}. */
    private static final Pattern SPN = Pattern.compile("[^\\s/@]+(/[^\\s/@]+)?(@[^\\s/@]+)?");
    /** {@code name} or {@code name@REALM}; a name may have instance parts ({@code alice/admin}). */
    private static final Pattern PRINCIPAL = Pattern.compile("[^\\s@]+(@[^\\s@]+)?");

    private final String key;
    private final ValueType type;
    private final String defaultValue;
    private final String description;
    private final Set<Trait> traits;

    ConfigKey(String key, ValueType type, String defaultValue, String description, Trait... traits) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.description = description;
        this.traits = traits.length == 0 ? Set.of() : Set.copyOf(EnumSet.of(traits[0], traits));
    }

    /** {@code section.key}, e.g. {@code processing.chunk_size}. */
    public String key() {
        return key;
    }

    /** The section, e.g. {@code processing}. */
    public String section() {
        return key.substring(0, key.indexOf('.'));
    }

    /** The name within the section, e.g. {@code chunk_size}. */
    public String leaf() {
        return key.substring(key.indexOf('.') + 1);
    }

    public ValueType type() {
        return type;
    }

    /**
     * The type as {@code kind}, for callers that need its bounds (the UI's range checks).
     *
     * @throws IllegalStateException when the key is of another type
     */
    public <T extends ValueType> T type(Class<T> kind) {
        if (!kind.isInstance(type)) {
            throw new IllegalStateException(key + " is a " + type.typeName() + ", not a " + kind.getSimpleName());
        }
        return kind.cast(type);
    }

    /** The value {@code config/default.yaml} ships, as written there (lists comma-separated). */
    public String defaultValue() {
        return defaultValue;
    }

    /** One line saying what the key does; may put code in backticks. */
    public String description() {
        return description;
    }

    /** {@link #description()} without backticks, for the terminal. */
    public String plainDescription() {
        return ValueType.plain(description);
    }

    public Set<Trait> traits() {
        return traits;
    }

    /** Whether it is part of the administrator's policy, read only from the system file ({@link Trait#SYSTEM}). */
    public boolean systemOnly() {
        return traits.contains(SYSTEM);
    }

    /** Whether the UI's configuration window edits it for the session. */
    public boolean sessionEditable() {
        return traits.contains(SESSION);
    }

    /** Whether an administrator's policy may lock it ({@link Trait#LOCKABLE}). */
    public boolean lockable() {
        return traits.contains(LOCKABLE);
    }

    /**
     * Whether an empty value is allowed, meaning "unset" or "work it out" ({@link ValueType#emptyMeans()});
     * such a key may be absent from every source. Every other key must be set somewhere, normally in
     * {@code config/default.yaml}.
     */
    public boolean optional() {
        return type.emptyMeans() != null;
    }

    /** The environment variable that sets it: {@code processing.chunk_size} → {@code FIRMQUERY_PROCESSING_CHUNK_SIZE}. */
    public String environmentVariable() {
        return environmentVariable(key);
    }

    /**
     * What is allowed, with what the rules between keys add and the meaning of an empty value, e.g.
     * {@code 1 to 16; at most `database.max_connections`}; may put code in backticks.
     */
    public String allowed() {
        List<String> parts = new ArrayList<>();
        if (!type.allowed().isEmpty()) {
            parts.add(type.allowed());
        }
        parts.addAll(KeyRule.constraintsOn(this));
        if (type.emptyMeans() != null) {
            parts.add("empty = " + type.emptyMeans());
        }
        return String.join("; ", parts);
    }

    /** {@link #allowed()} without backticks, for the terminal. */
    public String plainAllowed() {
        return ValueType.plain(allowed());
    }

    @Override
    public String toString() {
        return key;
    }

    // ---- lookups ----

    /** The key named {@code section.key}, if it is one. */
    public static Optional<ConfigKey> of(String key) {
        for (ConfigKey k : values()) {
            if (k.key.equals(key)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code key} names a configuration key ({@code section.key}). */
    public static boolean isKnown(String key) {
        return of(key).isPresent();
    }

    /** Every key as {@code section.key}, in table order. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (ConfigKey k : values()) {
            names.add(k.key);
        }
        return names;
    }

    /** The sections, in table order: {@code application, database, ...}. */
    public static List<String> sections() {
        Set<String> sections = new LinkedHashSet<>();
        for (ConfigKey k : values()) {
            sections.add(k.section());
        }
        return List.copyOf(sections);
    }

    /** The keys of one section, in table order. */
    public static List<ConfigKey> ofSection(String section) {
        List<ConfigKey> keys = new ArrayList<>();
        for (ConfigKey k : values()) {
            if (k.section().equals(section)) {
                keys.add(k);
            }
        }
        return keys;
    }

    /** The keys the UI's configuration window edits for the session ({@link Trait#SESSION}). */
    public static Set<ConfigKey> sessionKeys() {
        Set<ConfigKey> keys = EnumSet.noneOf(ConfigKey.class);
        for (ConfigKey k : values()) {
            if (k.sessionEditable()) {
                keys.add(k);
            }
        }
        return keys;
    }

    /** The environment variable for a key name, known or not. */
    static String environmentVariable(String key) {
        return ENV_PREFIX + key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /**
     * The key an environment variable names, by matching a known section after {@code FIRMQUERY_} and
     * lowercasing the rest; the key may be unknown. Empty when no section matches.
     */
    static Optional<String> keyOfEnvironmentVariable(String variable) {
        if (!variable.startsWith(ENV_PREFIX)) {
            return Optional.empty();
        }
        String rest = variable.substring(ENV_PREFIX.length()).toUpperCase(Locale.ROOT);
        for (String section : sections()) {
            String prefix = section.toUpperCase(Locale.ROOT) + "_";
            if (rest.startsWith(prefix) && rest.length() > prefix.length()) {
                return Optional.of(section + "." + rest.substring(prefix.length()).toLowerCase(Locale.ROOT));
            }
        }
        return Optional.empty();
    }

    // ---- the rules of text keys ----

    /** {@code sha256:} and 64 hex digits: a query text's hash in {@code policy.approved_queries}. */
    private static final Pattern TEXT_HASH = Pattern.compile("sha256:[0-9a-fA-F]{64}");
    /** A query name as {@code firmquery queries} lists it: the file name without {@code .sql}. */
    private static final Pattern QUERY_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    /** Why {@code name} cannot be in {@code policy.locked}; empty when it can. */
    private static Optional<String> lockProblem(String name) {
        Optional<ConfigKey> key = of(name);
        if (key.isEmpty()) {
            return Optional.of("unknown key " + name + KeySuggestions.suggestKey(name).map(s -> " (did you mean " + s
                    + "?)").orElse(""));
        }
        if (!key.get().lockable()) {
            List<String> lockable = new ArrayList<>();
            for (ConfigKey k : values()) {
                if (k.lockable()) {
                    lockable.add(k.key);
                }
            }
            return Optional.of(name + " cannot be locked: it is " + (key.get().systemOnly() ? "the policy itself"
                    : "a per-user setting, one value would be wrong for the others") + "; the lockable keys are "
                    + String.join(", ", lockable));
        }
        return Optional.empty();
    }

    /** Why {@code entry} cannot be in {@code policy.approved_queries}; empty when it can. */
    private static Optional<String> approvalProblem(String entry) {
        if (entry.regionMatches(true, 0, "sha256:", 0, 7)) {
            return TEXT_HASH.matcher(entry).matches() ? Optional.empty() : Optional.of(entry
                    + " is not a text hash: expected sha256: and the 64 hex digits sha256sum prints for the file");
        }
        return QUERY_NAME.matcher(entry).matches() ? Optional.empty() : Optional.of(entry
                + " is not a query name: expected the file name without .sql (letters, digits, '_', '.', '-'), as "
                + "firmquery queries lists it, or sha256:HEX");
    }

    private static boolean isServicePrincipal(String s) {
        return SPN.matcher(s).matches();
    }

    private static boolean isPrincipal(String s) {
        return PRINCIPAL.matcher(s).matches();
    }
}
