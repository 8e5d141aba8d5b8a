package dev.firmquery.app;

import dev.firmquery.config.AppConfig;
import dev.firmquery.config.LoadedConfig;
import dev.firmquery.config.Setting;
import dev.firmquery.config.TransportSecurity;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.db.Database;
import dev.firmquery.db.PasswordCommand;
import dev.firmquery.db.SqlErrors;
import dev.firmquery.kerberos.Diagnosis;
import dev.firmquery.kerberos.KdcProbe;
import dev.firmquery.kerberos.KerberosErrors;
import dev.firmquery.kerberos.KerberosException;
import dev.firmquery.kerberos.KerberosMode;
import dev.firmquery.kerberos.KerberosSession;
import dev.firmquery.kerberos.KerberosSettings;
import dev.firmquery.kerberos.KerberosStatus;
import dev.firmquery.kerberos.KeytabFile;
import dev.firmquery.kerberos.ServicePrincipal;
import dev.firmquery.kerberos.TicketCacheName;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The steps of {@code firmquery check}, the diagnosis a user runs first (like {@code klist} and
 * {@code pg_isready} in one), for both front ends: configuration sources, TLS, krb5.conf and default
 * realm, ticket cache, principal and ticket times, the service principal that will be requested, KDC
 * reachability, a test connection ({@code SELECT current_user, version()}) and the pool a run would open,
 * each with its state and, when it fails, the likely cause and its fix. The CLI prints each step as it
 * ends; the UI's connection profiles show them for an environment not yet in use.
 *
 * <p>Blocks (DNS, the KDC, the database, up to {@code database.connection_timeout} per connection), so a
 * UI calls it on a background thread. Closes everything it opens, also when the caller has stopped
 * listening. One instance per check.
 */
public final class ConnectionCheck {
    /** How a step ended; {@code WARN} and {@code SKIP} do not fail the check. */
    public enum State {
        OK("ok"), WARN("warn"), FAIL("FAIL"), SKIP("skip");

        private final String label;

        State(String label) {
            this.label = label;
        }

        /** As printed: {@code ok}, {@code warn}, {@code FAIL}, {@code skip}. */
        public String label() {
            return label;
        }
    }

    /**
     * One line of the report.
     *
     * @param name   {@code config}, {@code tls}, {@code kerberos}, {@code krb5.conf}, {@code cache},
     *               {@code keytab}, {@code jaas}, {@code ticket}, {@code spn}, {@code kdc}, {@code password},
     *               {@code connect} or {@code pool}
     * @param detail what was found, and for a failure its cause and fix
     */
    public record Step(String name, State state, String detail) {
    }

    private static final Duration KDC_TIMEOUT = Duration.ofSeconds(3);

    private final Map<String, String> env;
    private final Consumer<Step> listener;
    private final Clock clock;
    private final List<Step> steps = new ArrayList<>();

    /**
     * @param env      the process environment: the password variables, {@code KRB5CCNAME}, {@code KRB5_CONFIG}
     * @param listener hears each step as it ends, on the calling thread
     */
    public ConnectionCheck(Map<String, String> env, Consumer<Step> listener) {
        this.env = Map.copyOf(env);
        this.listener = listener;
        this.clock = Clock.systemUTC();
    }

    /** The one-line heading: {@code db.example:26257/firms as ana, kerberos authentication}. */
    public static String heading(AppConfig.Database db) {
        return Database.describe(db) + ", " + db.auth().name().toLowerCase(Locale.ROOT) + " authentication";
    }

    /**
     * Runs every step for {@code loaded}.
     *
     * @return the steps, in order; the check passed when none is {@link State#FAIL}
     */
    public List<Step> run(LoadedConfig loaded) {
        AppConfig config = loaded.config();
        AppConfig.Database db = config.database();
        step("config", State.OK, sources(loaded));
        tls(db);
        if (db.auth() == AppConfig.AuthMode.KERBEROS) {
            kerberos(config);
        } else {
            step("kerberos", State.SKIP, "not used: database.auth is password");
            password(config);
        }
        if (steps.stream().noneMatch(st -> st.name().equals("pool"))) {
            step("pool", State.SKIP, "needs a connection (see the connect line)");
        }
        return List.copyOf(steps);
    }

    /** The names of the failed steps of {@code steps}, in order. */
    public static List<String> failed(List<Step> steps) {
        return steps.stream().filter(s -> s.state() == State.FAIL).map(Step::name).toList();
    }

    /**
     * The closing line: {@code all checks passed}, or {@code 2 checks failed (connect, pool); the fix is on
     * each FAIL line}.
     */
    public static String summary(List<Step> steps) {
        List<String> names = failed(steps);
        return names.isEmpty() ? "all checks passed" : names.size() + (names.size() == 1 ? " check" : " checks")
                + " failed (" + String.join(", ", names) + "); the fix is on each FAIL line";
    }

    private void kerberos(AppConfig config) {
        KerberosSettings settings;
        try {
            settings = KerberosSettings.of(config, env);
        } catch (KerberosException e) {
            step("krb5.conf", State.FAIL, e.getMessage());
            step("connect", State.SKIP, "needs a readable krb5.conf");
            return;
        }
        boolean krb5Usable = krb5(settings);
        boolean credentialsFound = credentials(settings);
        KerberosSession session = null;
        if (!krb5Usable || !credentialsFound) {
            step("ticket", State.SKIP, "needs " + (krb5Usable ? "the credentials above" : "a krb5.conf"));
        } else {
            try {
                session = KerberosSession.login(settings, clock);
                KerberosStatus s = session.status();
                step("ticket", State.OK, s.describe(clock.instant(), ZoneId.systemDefault()) + "; from " + s.source());
            } catch (KerberosException e) {
                step("ticket", State.FAIL, e.getMessage());
            }
        }
        try {
            spn(settings);
            kdc(settings, session);
            if (session == null) {
                step("connect", State.SKIP, "needs a Kerberos ticket (see the ticket line)");
            } else {
                connect(config, session.dataSource(config.database(), env), session);
            }
        } finally {
            if (session != null) {
                session.close();
            }
        }
    }

    /** Whether the server's identity is checked before anything is sent: a warning unless verify-ca/full. */
    private void tls(AppConfig.Database db) {
        Optional<String> unverified = TransportSecurity.unverifiedWarning(db.auth(), db.host(), db.sslMode());
        if (unverified.isPresent()) {
            step("tls", State.WARN, unverified.get());
        } else {
            step("tls", State.OK, "ssl_mode " + db.sslMode() + ": the server's certificate"
                    + (db.sslMode().equals("verify-full") ? " and host name are" : " is (not its host name)")
                    + " checked against the CA certificates in " + TransportSecurity.DEFAULT_ROOT_CERT);
        }
    }

    /** @return false when Java cannot use the krb5.conf named */
    private boolean krb5(KerberosSettings settings) {
        var krb5 = settings.krb5();
        if (settings.mode() == KerberosMode.NATIVE) {
            step("krb5.conf", State.OK, "read by the system's Kerberos library (KRB5_CONFIG, else /etc/krb5.conf)"
                    + (krb5.exists() ? "; " + krb5.path() + " sets default realm " + krb5.defaultRealm() : ""));
            return true;
        }
        if (!krb5.exists()) {
            if (!krb5.source().equals("default")) {
                step("krb5.conf", State.FAIL, "krb5.conf " + krb5.path() + " (from " + krb5.source()
                        + ") does not exist; fix the path, or leave it empty to use /etc/krb5.conf");
                return false;
            }
            step("krb5.conf", State.WARN, krb5.path() + " does not exist: Java falls back to DNS and its own "
                    + "defaults; point kerberos.krb5_conf at your site's krb5.conf if logins fail");
            return true;
        }
        if (krb5.defaultRealm() == null) {
            step("krb5.conf", State.WARN, krb5.path() + " (from " + krb5.source() + ") sets no default_realm: "
                    + "principals without a realm will not resolve; add default_realm under [libdefaults]");
            return true;
        }
        step("krb5.conf", State.OK, krb5.path() + " (from " + krb5.source() + "); default realm "
                + krb5.defaultRealm() + (krb5.prefersTcp() ? "; KDC over TCP (udp_preference_limit = 1)" : ""));
        return true;
    }

    /** @return false when the credentials cannot be there at all (no cache file, unreadable cache type, no keytab) */
    private boolean credentials(KerberosSettings settings) {
        return switch (settings.mode()) {
            case TICKET_CACHE -> {
                TicketCacheName cache = settings.cache();
                if (!cache.javaCanRead()) {
                    step("cache", State.FAIL, cache.unreadableHint());
                    yield false;
                }
                if (!Files.exists(cache.file())) {
                    step("cache", State.FAIL, "no Kerberos ticket: the ticket cache " + cache.describe()
                            + " does not exist; run kinit, then firmquery check again");
                    yield false;
                }
                step("cache", State.OK, cache.type() + " cache " + cache.describe());
                yield true;
            }
            case KEYTAB -> {
                if (settings.keytab() == null || !Files.isRegularFile(settings.keytab())) {
                    step("keytab", State.FAIL, "the keytab " + settings.keytab() + " (kerberos.keytab) does not "
                            + "exist; fix kerberos.keytab, or get the keytab from the Kerberos administrators");
                    yield false;
                }
                try {
                    KeytabFile kt = KeytabFile.read(settings.keytab());
                    step("keytab", State.OK, settings.keytab() + " holds keys for " + String.join(", ", kt.principals()));
                    yield true;
                } catch (IOException e) {
                    step("keytab", State.FAIL, "cannot read the keytab " + settings.keytab() + ": " + e.getMessage()
                            + "; check its permissions (readable by this user only) or get a new keytab");
                    yield false;
                }
            }
            case JAAS -> {
                boolean found = settings.jaasConf() != null && Files.isRegularFile(settings.jaasConf());
                step("jaas", found ? State.OK : State.FAIL, "entry " + settings.jaasEntry() + " in "
                        + settings.jaasConf() + (found ? "" : ": the file does not exist; fix kerberos.jaas_conf"));
                yield found;
            }
            case NATIVE -> {
                step("cache", State.OK, "read by the system's Kerberos library ("
                        + (env.get("KRB5CCNAME") == null ? "its default cache" : "KRB5CCNAME=" + env.get("KRB5CCNAME"))
                        + "; any cache type)");
                yield true;
            }
        };
    }

    private void spn(KerberosSettings settings) {
        String host = settings.dbHost();
        ServicePrincipal spn = settings.spn();
        String requested = settings.requestedSpn();
        String origin = "service " + spn.service() + (spn.host() == null && spn.realm() == null && spn.service()
                .equals(ServicePrincipal.DEFAULT_SERVICE) ? " (driver default)" : " (kerberos.spn)")
                + ", host from database.host";
        if (ServicePrincipal.isIpAddress(host)) {
            step("spn", State.WARN, requested + ": database.host is an IP address, but service principals name "
                    + "hosts; set database.host to the database's host name as registered in Kerberos");
            return;
        }
        if (spn.hostDiffers(host)) {
            step("spn", State.WARN, requested + ": kerberos.spn names host " + spn.host() + " but the driver asks for "
                    + "database.host " + host + "; set database.host to " + spn.host());
            return;
        }
        String canonical = canonical(host);
        step("spn", State.OK, requested + " (" + origin + (canonical == null ? ""
                : "; Java may ask for " + canonical + ", the DNS name of " + host) + ")");
    }

    /** The name Java's Kerberos would substitute for a short host name (it does when DNS extends it). */
    private static String canonical(String host) {
        try {
            String c = InetAddress.getByName(host).getCanonicalHostName();
            return c.toLowerCase(Locale.ROOT).startsWith(host.toLowerCase(Locale.ROOT) + ".") ? c : null;
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    private void kdc(KerberosSettings settings, KerberosSession session) {
        String realm = session != null && session.status().realm() != null ? session.status().realm()
                : settings.krb5().defaultRealm();
        if (realm == null) {
            step("kdc", State.SKIP, "no realm known (no default_realm, no ticket)");
            return;
        }
        List<KdcProbe.Reach> reaches = KdcProbe.probe(settings.krb5(), realm, KDC_TIMEOUT);
        if (reaches.isEmpty()) {
            step("kdc", State.SKIP, "krb5.conf lists no kdc for " + realm + ": Java looks it up in DNS "
                    + "(_kerberos._tcp." + realm + ")");
            return;
        }
        List<String> ok = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (KdcProbe.Reach r : reaches) {
            (r.reachable() ? ok : bad).add(r.kdc() + ": " + r.detail());
        }
        if (ok.isEmpty()) {
            step("kdc", State.FAIL, "no KDC of realm " + realm + " answers (" + String.join("; ", bad)
                    + "); check the network and firewall to the KDC (port 88), or fix [realms] in "
                    + settings.krb5().path());
        } else {
            step("kdc", State.OK, realm + ": " + String.join("; ", ok)
                    + (bad.isEmpty() ? "" : "; not answering: " + String.join("; ", bad)));
        }
    }

    private void connect(AppConfig config, DataSource dataSource, KerberosSession session) {
        long t0 = System.nanoTime();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_user, version()")) {
            rs.next();
            String version = rs.getString(2);
            // "PostgreSQL 15.18 (Debian ...) on ...", "CockroachDB CCL v24.1.4 (x86_64-..., built ...)"
            for (String cut : List.of(" (", ",")) {
                int at = version.indexOf(cut);
                version = at > 0 ? version.substring(0, at) : version;
            }
            step("connect", State.OK, String.format(Locale.ROOT, "%s as %s: %s (%d ms)",
                    Database.describe(config.database()), rs.getString(1), version, (System.nanoTime() - t0) / 1_000_000));
        } catch (SQLException e) {
            connectFailed(config, session, e);
            return;
        }
        pool(config, dataSource);
    }

    /**
     * The pool a run uses, opened for real over {@code dataSource}: all its connections
     * ({@code database.max_connections}) checked out at once, as a run's workers hold them, and a
     * trivial query on each; their connect times and the server's version.
     */
    private void pool(AppConfig config, DataSource dataSource) {
        AppConfig.Database db = config.database();
        List<Connection> held = new ArrayList<>();
        List<String> times = new ArrayList<>();
        String server = "";
        try (ConnectionPool pool = new ConnectionPool(dataSource, db)) {
            try {
                for (int i = 0; i < db.maxConnections(); i++) {
                    long t0 = System.nanoTime();
                    Connection c = pool.getConnection();
                    held.add(c);
                    try (Statement st = c.createStatement();
                         ResultSet rs = st.executeQuery("SELECT 1, current_setting('server_version')")) {
                        rs.next();
                        server = rs.getString(2);
                    }
                    times.add((System.nanoTime() - t0) / 1_000_000 + " ms");
                }
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
            step("pool", State.OK, String.format(Locale.ROOT, "%d connections (processing.thread_count %d) opened and "
                            + "queried: %s; server_version %s; connection_timeout %s, query_timeout %s, "
                            + "max_connection_age %s", db.maxConnections(), config.processing().threadCount(),
                    String.join(", ", times), server, seconds(db.connectionTimeout()), seconds(db.queryTimeout()),
                    seconds(db.maxConnectionAge())));
        } catch (SQLException e) {
            step("pool", State.FAIL, String.format(Locale.ROOT, "%s: connection %d of %d (database.max_connections) "
                            + "failed after %d opened: %s; check that the server allows %d connections for this user "
                            + "(max_connections, the role's CONNECTION LIMIT) and that %s is reachable, or lower "
                            + "database.max_connections", Database.describe(db), held.size() + 1, db.maxConnections(),
                    held.size(), SqlErrors.describe(e), db.maxConnections(), Database.describe(db)));
        }
    }

    private void connectFailed(AppConfig config, KerberosSession session, SQLException e) {
        Optional<Diagnosis> d = session == null ? Optional.empty()
                : KerberosErrors.diagnose(e, session.errorContext(config.database().sslMode()));
        step("connect", State.FAIL, Database.describe(config.database()) + ": " + d.map(Diagnosis::line)
                .orElse(SqlErrors.describe(e) + "; check database.host, port, database and user, and that the "
                        + "server is up and reachable from this host"));
        step("pool", State.FAIL, "cannot open the pool: no connection (see the connect line)");
    }

    /** Where the password comes from (running the password command if that is it), then the login. */
    private void password(AppConfig config) {
        AppConfig.Database db = config.database();
        Optional<String> password;
        try {
            password = Database.password(db, env);
        } catch (PasswordCommand.Failure e) {
            step("password", State.FAIL, e.getMessage());
            step("connect", State.SKIP, "no password");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            step("password", State.FAIL, "interrupted while database.password_command ran");
            return;
        }
        String source = env.containsKey("FIRMQUERY_DATABASE_PASSWORD") ? "FIRMQUERY_DATABASE_PASSWORD"
                : !db.passwordCommand().isBlank() ? "database.password_command (first line of its output)"
                : env.containsKey("PGPASSWORD") ? "PGPASSWORD" : "none set: the driver reads ~/.pgpass (PGPASSFILE)";
        step("password", State.OK, "from " + source);
        connect(config, Database.dataSource(db, password), null);
    }

    private void step(String name, State state, String detail) {
        Step s = new Step(name, state, detail);
        steps.add(s);
        listener.accept(s);
    }

    /** Where the values came from, lowest precedence first: each source and how many keys it set. */
    private static String sources(LoadedConfig loaded) {
        Map<String, Integer> counts = new TreeMap<>(Comparator.comparingInt(ConnectionCheck::precedence)
                .thenComparing(Comparator.naturalOrder()));
        for (Setting s : loaded.settings().values()) {
            String source = s.source();
            int paren = source.indexOf(" (empty:");
            if (paren > 0) {
                source = source.substring(0, paren);
            }
            if (source.startsWith("default") || source.startsWith("built-in")) {
                source = "default";
            }
            counts.merge(source, 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        List<String> variables = new ArrayList<>();
        counts.forEach((source, n) -> {
            if (source.startsWith("environment variable ")) {
                variables.add(source.substring("environment variable ".length()));
                if (variables.size() == 1) {
                    parts.add(null); // placeholder: the variables go here, in precedence order
                }
            } else {
                parts.add(source.equals("default") ? "defaults" : source + (n > 1 ? " (" + n + " keys)" : ""));
            }
        });
        if (!variables.isEmpty()) {
            parts.set(parts.indexOf(null), (variables.size() == 1 ? "environment variable " : "environment variables ")
                    + String.join(", ", variables));
        }
        String warnings = loaded.warnings().isEmpty() ? "" : "; " + loaded.warnings().size() + " warning"
                + (loaded.warnings().size() == 1 ? "" : "s") + " (above)";
        return String.join(" < ", parts) + warnings;
    }

    private static int precedence(String source) {
        if (source.equals("default")) {
            return 0;
        }
        if (source.startsWith("system file")) {
            return 1;
        }
        if (source.startsWith("user file")) {
            return 2;
        }
        if (source.startsWith("environment overlay")) {
            return 3;
        }
        if (source.startsWith("environment variable")) {
            return 4;
        }
        return 5;
    }

    private static String seconds(Duration d) {
        if (d.isZero()) {
            return "none";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
