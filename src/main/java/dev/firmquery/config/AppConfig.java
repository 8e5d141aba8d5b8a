package dev.firmquery.config;

import dev.firmquery.export.CsvDialect;
import dev.firmquery.ids.IdType;
import dev.firmquery.sql.IdBinding;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The effective, validated configuration of one firmquery process. Built once by {@link ConfigLoader}
 * from the layered sources; immutable afterwards.
 */
public record AppConfig(Application application, Database database, Kerberos kerberos,
                        Processing processing, Output output, Logging logging, Policy policy, Metrics metrics) {

    /** This configuration with {@code metrics} instead. */
    public AppConfig withMetrics(Metrics metrics) {
        return new AppConfig(application, database, kerberos, processing, output, logging, policy, metrics);
    }

    /** This configuration with {@code output.filename_pattern} replaced (a batch job's own file name). */
    public AppConfig withFilenamePattern(String pattern) {
        return new AppConfig(application, database, kerberos, processing, new Output(output.defaultDirectory(), pattern,
                output.formats(), output.csvGzip(), output.fileMode(), output.csvFormulaGuard(), output.csvDialect()),
                logging, policy, metrics);
    }

    /** Section {@code application}. */
    public record Application(int maxInputIds, int warningThreshold) {
    }

    /** {@code database.auth}. */
    public enum AuthMode { KERBEROS, PASSWORD }

    /**
     * Section {@code database}. The password is never part of the configuration files: it comes from
     * the environment ({@code FIRMQUERY_DATABASE_PASSWORD} or {@code PGPASSWORD}) or {@code ~/.pgpass},
     * which the PostgreSQL driver reads itself.
     */
    public record Database(String host, int port, String database, String user, AuthMode auth, String sslMode,
                           Duration connectionTimeout, Duration queryTimeout, int maxConnections,
                           Duration maxConnectionAge, String passwordCommand, Duration passwordCommandTimeout) {

        /** The default {@code database.password_command_timeout}. */
        public static final Duration DEFAULT_PASSWORD_COMMAND_TIMEOUT = Duration.ofSeconds(30);

        public Database {
            passwordCommand = passwordCommand == null ? "" : passwordCommand;
            passwordCommandTimeout = passwordCommandTimeout == null ? DEFAULT_PASSWORD_COMMAND_TIMEOUT
                    : passwordCommandTimeout;
        }

        /** A section without {@code database.password_command} (a database built in code: the demo's, tests'). */
        public Database(String host, int port, String database, String user, AuthMode auth, String sslMode,
                        Duration connectionTimeout, Duration queryTimeout, int maxConnections,
                        Duration maxConnectionAge) {
            this(host, port, database, user, auth, sslMode, connectionTimeout, queryTimeout, maxConnections,
                    maxConnectionAge, "", DEFAULT_PASSWORD_COMMAND_TIMEOUT);
        }

        /** This section without its password command (the demo's own server gets its password otherwise). */
        public Database withoutPasswordCommand() {
            return new Database(host, port, database, user, auth, sslMode, connectionTimeout, queryTimeout,
                    maxConnections, maxConnectionAge);
        }
    }

    /**
     * Section {@code kerberos}, used when {@code database.auth} is {@code kerberos} (see {@code docs/kerberos.md}).
     * Strings are as configured, paths with {@code ~} expanded; empty strings mean unset.
     *
     * @param mode              {@code ticket-cache}, {@code keytab}, {@code native} or {@code jaas}
     * @param spn               a full service principal ({@code cockroachdb/db1.example.com@EXAMPLE.COM}), a
     *                          service name ({@code postgres}), or empty for the driver's default {@code postgres}
     * @param expiredWait       how long a headless run waits for a new ticket after its ticket expired
     *                          unrenewably, before it stops as a resumable partial run; zero stops at once
     * @param renew             whether to renew the ticket (or log in again from the keytab) once it is past half
     *                          its life
     * @param userFromPrincipal {@code database.user} was left empty: connect as the principal's name without the
     *                          realm. {@link Database#user()} then holds the operating-system user name, which is
     *                          only shown before the Kerberos login has told us the principal.
     */
    public record Kerberos(String mode, String spn, String krb5Conf, String jaasConf, String jaasEntry,
                           String ticketCache, String keytab, String principal, Duration expiredWait,
                           boolean renew, boolean userFromPrincipal) {
    }

    /** Section {@code processing}. */
    public record Processing(int chunkSize, int maxQueryLength, int maxRetries, Duration retryDelay,
                             int threadCount, IdType idType, Pattern idPattern, IdBinding idBinding,
                             boolean allowWrites, int fetchSize, Duration outageWait, IdOrder idOrder,
                             boolean genericPlans, int chunksPerRoundTrip) {
    }

    /**
     * {@code processing.id_order}: the order in which IDs are cut into chunks. {@code SORTED} (the
     * default) gives each chunk a narrow key range, which the benchmark measured at about 40 % less
     * database CPU than chunks of scattered IDs, and makes the output ordered by ID across chunks;
     * {@code INPUT} keeps the file's first-seen order (early IDs come back first).
     */
    public enum IdOrder { SORTED, INPUT }

    /** An output file format ({@code output.formats}): {@code JSONL} is JSON Lines, one typed object per row. */
    public enum Format { CSV, XLSX, JSONL }

    /**
     * Section {@code output}.
     *
     * @param csvFormulaGuard {@code output.csv_formula_guard}: neutralise CSV text cells a spreadsheet would
     *                        take for a formula ({@code export.FormulaGuard})
     * @param csvDialect      {@code output.csv_delimiter}, {@code output.csv_bom} and
     *                        {@code output.csv_line_ending}
     */
    public record Output(Path defaultDirectory, String filenamePattern, Set<Format> formats, boolean csvGzip,
                         Set<PosixFilePermission> fileMode, boolean csvFormulaGuard, CsvDialect csvDialect) {
        public Output {
            formats = Set.copyOf(formats);
            fileMode = Set.copyOf(fileMode);
            java.util.Objects.requireNonNull(csvDialect, "csvDialect");
        }
    }

    /**
     * Where the Prometheus metrics go.
     *
     * @param file    {@code output.metrics_file}: the text-format file, or null for none
     * @param port    {@code metrics.port}: the HTTP endpoint's port, 0 for none
     * @param address {@code metrics.address}: the address the endpoint listens on
     */
    public record Metrics(Path file, int port, String address) {
        /** No metrics. */
        public static final Metrics NONE = new Metrics(null, 0, "127.0.0.1");

        /** These settings with {@code file} and {@code port} where given (null: as set). */
        public Metrics with(Path file, Integer port) {
            return new Metrics(file != null ? file : this.file, port != null ? port : this.port, address);
        }
    }

    /**
     * Section {@code logging}.
     *
     * @param directory {@code logging.directory}
     * @param json      {@code logging.format: json}: the application log as JSON lines
     */
    public record Logging(Path directory, boolean json) {
    }

    /**
     * Section {@code policy}: what the administrator fixed for every user, read only from the system file
     * ({@code /etc/firmquery/config.yaml}, or {@code FIRMQUERY_SYSTEM_CONFIG}). The locks were enforced
     * while loading; the approved queries are checked by each run before the database is touched.
     *
     * @param file            the system file the policy came from, for messages; {@code null} when there is none
     * @param locked          {@code policy.locked}: keys no user layer may set
     * @param approvedQueries {@code policy.approved_queries} as written: names and {@code sha256:HEX}; empty
     *                        means any query may run
     * @param queryFolders    the administrator's query folders, where an approved name is looked up:
     *                        {@code queries/} beside the system file and the installation's {@code sql/queries}
     *                        (the built-in queries count too)
     */
    public record Policy(Path file, Set<String> locked, java.util.List<String> approvedQueries,
                         java.util.List<Path> queryFolders) {

        /** No system file: nothing locked, any query. */
        public static final Policy NONE = new Policy(null, Set.of(), java.util.List.of(), java.util.List.of());

        public Policy {
            locked = Set.copyOf(locked);
            approvedQueries = java.util.List.copyOf(approvedQueries);
            queryFolders = java.util.List.copyOf(queryFolders);
        }

        /** Whether {@code policy.approved_queries} limits what may run. */
        public boolean restrictsQueries() {
            return !approvedQueries.isEmpty();
        }

        /** Whether {@code key} ({@code section.key}) is locked. */
        public boolean locks(String key) {
            return locked.contains(key);
        }

        /** The system file for messages: its path, or a note that there is none. */
        public String describeFile() {
            return file == null ? "the system file (none)" : file.toString();
        }
    }
}
