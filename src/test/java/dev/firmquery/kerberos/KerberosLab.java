package dev.firmquery.kerberos;

import dev.firmquery.demo.DemoData;
import dev.firmquery.localpg.PostgresServer;
import dev.firmquery.localpg.PostgresServerException;
import org.apache.kerby.KOptions;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.client.KrbClient;
import org.apache.kerby.kerberos.kerb.client.KrbConfigKey;
import org.apache.kerby.kerberos.kerb.client.KrbOption;
import org.apache.kerby.kerberos.kerb.server.KdcConfigKey;
import org.apache.kerby.kerberos.kerb.server.SimpleKdcServer;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.ticket.TgtTicket;
import org.apache.kerby.kerberos.kerb.type.ticket.TicketFlag;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The real Kerberos world of the tests, one per test JVM: an in-JVM KDC (Apache Kerby, realm
 * {@value #REALM}, TCP only, AES only) and a PostgreSQL server built with GSSAPI that accepts
 * {@code gss} logins for the members of role {@code gss_users}, with its service key in a keytab from
 * the KDC. Nothing is mocked: tickets come from the KDC, caches and keytabs are real files, the server
 * checks the service ticket with MIT Kerberos.
 *
 * <p>Started on first use and stopped by a shutdown hook (the KDC, the server, the directory), like
 * {@code TestPostgres}. The KDC never needs the server; {@link #postgres()} starts the server and
 * aborts the calling test - loudly - only when no GSS-enabled PostgreSQL server binary exists here.
 *
 * <p>Kerby's {@code init()} points the JVM-wide {@code java.security.krb5.conf} at a krb5.conf of its
 * own; this fixture puts the previous value back at once and writes its own krb5.conf (TCP only via
 * {@code udp_preference_limit = 1}, AES enctypes), which tests pass to firmquery as
 * {@code kerberos.krb5_conf} - the way users configure it.
 */
public final class KerberosLab {
    private static final Logger LOG = LoggerFactory.getLogger(KerberosLab.class);

    public static final String REALM = "FIRMQUERY.TEST";
    public static final String DATABASE = "kerberos_demo";
    static final int FIRMS = 2_000;
    static final long SEED = 11;
    /** A role that only connects over TLS (pg_hba: {@code hostnossl ... reject}), for the "TLS required" hint. */
    public static final String TLS_ONLY_ROLE = "tls_only";
    private static final String AES = "aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96";
    private static final AtomicInteger FILES = new AtomicInteger();

    private static KerberosLab instance;

    private final Path dir;
    private final SimpleKdcServer kdc;
    private final int kdcPort;
    private final Path krb5Conf;
    private final Path serverKeytab;
    private final Set<String> principals = new HashSet<>();
    private final Set<String> roles = new HashSet<>();
    private PostgresServer postgres;
    private String postgresUnavailable;

    private KerberosLab(Path dir, SimpleKdcServer kdc, int kdcPort, Path krb5Conf, Path serverKeytab) {
        this.dir = dir;
        this.kdc = kdc;
        this.kdcPort = kdcPort;
        this.krb5Conf = krb5Conf;
        this.serverKeytab = serverKeytab;
    }

    /** The KDC of this JVM, started on first call. */
    public static synchronized KerberosLab get() {
        if (instance == null) {
            instance = start();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "kerberos-lab-shutdown"));
        }
        return instance;
    }

    private static KerberosLab start() {
        String previousKrb5Conf = System.getProperty("java.security.krb5.conf");
        try {
            Path dir = Files.createTempDirectory("firmquery-kdc-");
            // The server runs as the postgres OS user when tests run as root: it must reach its keytab.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            int port = freePort();
            SimpleKdcServer kdc = new SimpleKdcServer();
            kdc.setWorkDir(dir.toFile());
            kdc.setKdcRealm(REALM);
            kdc.setKdcHost("localhost");
            kdc.setAllowUdp(false);
            kdc.setKdcTcpPort(port);
            kdc.getKdcConfig().setString(KdcConfigKey.ENCRYPTION_TYPES, AES);
            // Kerby compares this (in seconds) with milliseconds; 1 lets tests ask for tickets of a few seconds.
            kdc.getKdcConfig().setLong(KdcConfigKey.MINIMUM_TICKET_LIFETIME, 1L);
            kdc.getKrbClient().getKrbConfig().setString(KrbConfigKey.PERMITTED_ENCTYPES, AES);
            kdc.getKrbClient().getKrbConfig().setString(KrbConfigKey.DEFAULT_TGS_ENCTYPES, AES);
            kdc.getKrbClient().getKrbConfig().setString(KrbConfigKey.DEFAULT_TKT_ENCTYPES, AES);
            kdc.init();
            restoreProperty("java.security.krb5.conf", previousKrb5Conf);
            kdc.start();
            Path krb5Conf = dir.resolve("firmquery-krb5.conf");
            Files.writeString(krb5Conf, krb5Conf(port), StandardCharsets.UTF_8);
            String service = "postgres/localhost@" + REALM;
            kdc.createPrincipal(service, "unused-" + System.nanoTime());
            Path serverKeytab = dir.resolve("server.keytab");
            kdc.exportPrincipal(service, serverKeytab.toFile());
            Files.setPosixFilePermissions(serverKeytab, PosixFilePermissions.fromString("rw-r--r--"));
            LOG.info("Kerberos lab: KDC for {} on localhost:{} (TCP), krb5.conf {}", REALM, port, krb5Conf);
            return new KerberosLab(dir, kdc, port, krb5Conf, serverKeytab);
        } catch (IOException | KrbException e) {
            restoreProperty("java.security.krb5.conf", previousKrb5Conf);
            throw new IllegalStateException("The test KDC (Apache Kerby) did not start: " + e, e);
        }
    }

    /** TCP only (the KDC has no UDP), AES only (what Java 17 and the KDC share), no DNS lookups. */
    public static String krb5Conf(int port) {
        return String.join("\n",
                "[libdefaults]",
                "  default_realm = " + REALM,
                "  udp_preference_limit = 1",
                "  default_tkt_enctypes = " + AES,
                "  default_tgs_enctypes = " + AES,
                "  permitted_enctypes = " + AES,
                "  dns_lookup_kdc = false",
                "  dns_lookup_realm = false",
                "",
                "[realms]",
                "  " + REALM + " = {",
                "    kdc = localhost:" + port,
                "  }",
                "",
                "[domain_realm]",
                "  localhost = " + REALM,
                "");
    }

    Path krb5Conf() {
        return krb5Conf;
    }

    public int kdcPort() {
        return kdcPort;
    }

    Path directory() {
        return dir;
    }

    public static String principal(String name) {
        return name + "@" + REALM;
    }

    static String password(String name) {
        return "pw-" + name + "-42";
    }

    /** Creates the principal {@code name@REALM} (once) with {@link #password(String)}. */
    public synchronized String user(String name) {
        String principal = principal(name);
        if (principals.add(principal)) {
            try {
                kdc.createPrincipal(principal, password(name));
            } catch (KrbException e) {
                throw new IllegalStateException("creating principal " + principal + " failed: " + e, e);
            }
        }
        return principal;
    }

    /** A keytab holding {@code name}'s keys, in a new file. */
    public synchronized Path keytab(String name) {
        user(name);
        Path file = dir.resolve(name + "-" + FILES.incrementAndGet() + ".keytab");
        try {
            kdc.exportPrincipal(principal(name), file.toFile());
        } catch (KrbException e) {
            throw new IllegalStateException("exporting the keytab of " + name + " failed: " + e, e);
        }
        return file;
    }

    /**
     * A keytab whose keys for {@code name} are of the given (legacy) encryption types only: the KDC is
     * switched to them while the principal is created.
     */
    public synchronized Path keytabWithEnctypes(String name, String enctypes) {
        String principal = principal(name);
        kdc.getKdcConfig().setString(KdcConfigKey.ENCRYPTION_TYPES, enctypes);
        try {
            kdc.createPrincipal(principal, password(name));
            principals.add(principal);
        } catch (KrbException e) {
            throw new IllegalStateException("creating principal " + principal + " failed: " + e, e);
        } finally {
            kdc.getKdcConfig().setString(KdcConfigKey.ENCRYPTION_TYPES, AES);
        }
        return keytab(name);
    }

    /** How a ticket cache's ticket-granting ticket should look. */
    public record Ticket(Duration lifetime, boolean renewable, boolean alreadyExpired) {
        public static Ticket normal() {
            return new Ticket(Duration.ofHours(8), true, false);
        }

        public static Ticket lasting(Duration lifetime, boolean renewable) {
            return new Ticket(lifetime, renewable, false);
        }

        public static Ticket expired() {
            return new Ticket(Duration.ofHours(1), false, true);
        }
    }

    /**
     * Asks the KDC for {@code name}'s ticket-granting ticket, as kinit does, and writes it to a new
     * {@code FILE:} cache. A non-renewable ticket has its renewable flag cleared in the cache; an
     * "already expired" one has its end time in the past there (the KDC cannot issue one).
     */
    public synchronized Path ticketCache(String name, Ticket ticket) {
        user(name);
        KrbClient client = kdc.getKrbClient();
        KOptions options = new KOptions();
        options.add(KrbOption.CLIENT_PRINCIPAL, principal(name));
        options.add(KrbOption.USE_PASSWD, true);
        options.add(KrbOption.USER_PASSWD, password(name));
        options.add(KrbOption.LIFE_TIME, (int) ticket.lifetime().toSeconds());
        options.add(KrbOption.RENEWABLE_TIME, (int) Duration.ofDays(2).toSeconds());
        try {
            TgtTicket tgt = client.requestTgt(options);
            if (!ticket.renewable()) {
                tgt.getEncKdcRepPart().getFlags().clearFlag(TicketFlag.RENEWABLE);
            }
            if (ticket.alreadyExpired()) {
                long now = System.currentTimeMillis();
                tgt.getEncKdcRepPart().setAuthTime(new KerberosTime(now - 7_200_000));
                tgt.getEncKdcRepPart().setStartTime(new KerberosTime(now - 7_200_000));
                tgt.getEncKdcRepPart().setEndTime(new KerberosTime(now - 3_600_000));
            }
            Path file = dir.resolve("krb5cc_" + name + "_" + FILES.incrementAndGet());
            client.storeTicket(tgt, file.toFile());
            return file;
        } catch (KrbException e) {
            throw new IllegalStateException("getting a ticket for " + name + " failed: " + e, e);
        }
    }

    /** Runs {@code action} with one KDC setting changed (e.g. the allowed clock skew), then restores it. */
    public synchronized <T> T withKdcSetting(KdcConfigKey key, long value, Callable<T> action) throws Exception {
        Long previous = kdc.getKdcConfig().getLong(key, true);
        kdc.getKdcConfig().setLong(key, value);
        try {
            return action.call();
        } finally {
            kdc.getKdcConfig().setLong(key, previous);
        }
    }

    // ---- the GSS-enabled PostgreSQL server ----

    /**
     * The GSS-enabled server with the demo data in {@link #DATABASE}, started on first call. Aborts the
     * calling test, saying so on stderr and in the log, when this machine has no PostgreSQL server
     * built with GSSAPI; CI installs Debian's, which is.
     */
    public synchronized PostgresServer postgres() {
        if (postgres == null && postgresUnavailable == null) {
            Optional<Path> bin = gssServerBinaries();
            if (bin.isEmpty()) {
                postgresUnavailable = "no PostgreSQL server binary built with GSSAPI was found (looked at "
                        + "FIRMQUERY_PG_BIN, /usr/lib/postgresql/*/bin, /usr/pgsql-*/bin); install Debian's "
                        + "postgresql package to run the Kerberos end-to-end tests";
                String banner = "*".repeat(100);
                System.err.println(banner + "\nSKIPPING the Kerberos end-to-end tests: " + postgresUnavailable
                        + "\n" + banner);
                LOG.warn("SKIPPING the Kerberos end-to-end tests: {}", postgresUnavailable);
            } else {
                postgres = startPostgres(bin.get());
            }
        }
        Assumptions.assumeTrue(postgres != null, () -> "SKIPPED: " + postgresUnavailable);
        return postgres;
    }

    private PostgresServer startPostgres(Path bin) {
        PostgresServer server;
        try {
            server = PostgresServer.start(PostgresServer.Options.defaults()
                    .withDatabase(DATABASE)
                    .withMode(PostgresServer.Mode.SYSTEM)
                    .withBinDirectory(bin)
                    .withServerSetting("krb_server_keyfile", serverKeytab.toString())
                    .withHbaLines(List.of(
                            "hostnossl all " + TLS_ONLY_ROLE + " 127.0.0.1/32 reject",
                            "host all +gss_users 127.0.0.1/32 gss include_realm=0")));
        } catch (PostgresServerException e) {
            throw new IllegalStateException("The GSS-enabled PostgreSQL server in " + bin + " did not start: "
                    + e.getMessage(), e);
        }
        try (Connection c = server.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE gss_users NOLOGIN");
            s.execute("CREATE ROLE " + TLS_ONLY_ROLE + " LOGIN IN ROLE gss_users");
            DemoData.create(c, FIRMS, SEED);
            s.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO gss_users");
        } catch (SQLException e) {
            server.close();
            throw new IllegalStateException("Preparing the GSS-enabled PostgreSQL server failed: " + e.getMessage()
                    + " (SQLState " + e.getSQLState() + ")", e);
        }
        LOG.info("Kerberos lab: PostgreSQL {} with GSSAPI on port {} ({})", server.serverVersion(), server.port(),
                server.launchDescription());
        return server;
    }

    /** Creates the database role {@code name}, allowed to log in with GSSAPI (member of gss_users). */
    public synchronized void role(String name) {
        PostgresServer server = postgres();
        if (roles.add(name)) {
            try (Connection c = server.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE ROLE " + name + " LOGIN IN ROLE gss_users");
            } catch (SQLException e) {
                throw new IllegalStateException("creating role " + name + " failed: " + e.getMessage(), e);
            }
        }
    }

    /** A Kerberos user who is also a database role: the principal {@code name@REALM} and role {@code name}. */
    public String databaseUser(String name) {
        role(name);
        return user(name);
    }

    /** The first directory with a PostgreSQL server built with GSSAPI. */
    static Optional<Path> gssServerBinaries() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("FIRMQUERY_PG_BIN");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        for (String root : List.of("/usr/lib/postgresql", "/usr")) {
            Path r = Path.of(root);
            if (!Files.isDirectory(r)) {
                continue;
            }
            try (Stream<Path> versions = Files.list(r)) {
                versions.filter(p -> root.equals("/usr") ? p.getFileName().toString().startsWith("pgsql-") : true)
                        .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
                        .map(p -> p.resolve("bin"))
                        .forEach(candidates::add);
            } catch (IOException e) {
                // not a place with PostgreSQL installations
            }
        }
        for (Path bin : candidates) {
            if (Files.isExecutable(bin.resolve("postgres")) && Files.isExecutable(bin.resolve("initdb"))
                    && hasGssapi(bin)) {
                return Optional.of(bin);
            }
        }
        return Optional.empty();
    }

    private static boolean hasGssapi(Path bin) {
        Path pgConfig = bin.resolve("pg_config");
        String output = Files.isExecutable(pgConfig) ? run(pgConfig.toString(), "--configure")
                : run("ldd", bin.resolve("postgres").toString());
        return output.contains("--with-gssapi") || output.contains("libgssapi");
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The environment a user of this lab would have: {@code FIRMQUERY_*} settings for the GSS server. */
    public Map<String, String> environment(String dbName) {
        PostgresServer server = postgres();
        Map<String, String> env = new HashMap<>();
        env.put("FIRMQUERY_DATABASE_HOST", "localhost");
        env.put("FIRMQUERY_DATABASE_PORT", Integer.toString(server.port()));
        env.put("FIRMQUERY_DATABASE_DATABASE", dbName);
        env.put("FIRMQUERY_DATABASE_AUTH", "kerberos");
        // The test server has no certificate; production keeps the verify-full default.
        env.put("FIRMQUERY_DATABASE_SSL_MODE", "disable");
        env.put("FIRMQUERY_DATABASE_CONNECTION_TIMEOUT", "10");
        env.put("FIRMQUERY_KERBEROS_KRB5_CONF", krb5Conf.toString());
        env.put("FIRMQUERY_PROCESSING_RETRY_DELAY", "0.2");
        return env;
    }

    private void stop() {
        if (postgres != null) {
            postgres.close();
        }
        try {
            kdc.stop();
        } catch (KrbException | RuntimeException e) {
            LOG.warn("stopping the test KDC failed: {}", e.toString());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    static void restoreProperty(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
