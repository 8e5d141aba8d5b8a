package dev.firmquery.kerberos;

import dev.firmquery.config.AppConfig;
import dev.firmquery.config.ConfigException;
import dev.firmquery.config.ConfigLoader;
import dev.firmquery.config.ConfigRequest;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.testing.TestConfigs;
import org.apache.kerby.kerberos.kerb.server.KdcConfigKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections to a real GSS-enabled PostgreSQL through the login: the GSSAPI handshake with a service
 * ticket from the real KDC, and each server- or KDC-side refusal turned into its cause and fix.
 */
@ExtendWith(KerberosGlobals.class)
@ResourceLock(KerberosGlobals.LOCK)
class KerberosConnectionTest {
    private static KerberosLab lab;

    @TempDir
    Path tmp;

    @BeforeAll
    static void lab() {
        lab = KerberosLab.get();
        lab.postgres();
    }

    private AppConfig config(String... overrides) {
        List<String> sets = new ArrayList<>(List.of(
                "database.host=localhost",
                "database.port=" + lab.postgres().port(),
                "database.database=" + KerberosLab.DATABASE,
                "database.ssl_mode=disable",
                "database.connection_timeout=10",
                "kerberos.krb5_conf=" + lab.krb5Conf()));
        sets.addAll(List.of(overrides));
        try {
            return new ConfigLoader(TestConfigs.home(), Map.of(), tmp).load(new ConfigRequest(null, null, sets)).config();
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static String currentUser(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Logs in from a fresh ticket cache of {@code name} and connects once; returns the error. */
    private SQLException connectFails(String name, String... overrides) throws Exception {
        Path cache = lab.ticketCache(name, KerberosLab.Ticket.normal());
        List<String> all = new ArrayList<>(List.of("kerberos.ticket_cache=" + cache));
        all.addAll(List.of(overrides));
        AppConfig config = config(all.toArray(String[]::new));
        try (KerberosSession session = KerberosSession.login(config, Map.of())) {
            DataSource ds = session.dataSource(config.database(), Map.of());
            return assertThrows(SQLException.class, () -> currentUser(ds));
        }
    }

    @Test
    @DisplayName("keytab mode: connects as the principal's name without the realm")
    void keytabConnects() throws Exception {
        lab.databaseUser("kt_conn");
        AppConfig config = config("kerberos.mode=keytab", "kerberos.keytab=" + lab.keytab("kt_conn"));
        try (KerberosSession session = KerberosSession.login(config, Map.of())) {
            assertEquals("kt_conn", currentUser(session.dataSource(config.database(), Map.of())));
        }
    }

    @Test
    @DisplayName("ticket-cache mode: the pool's connections, opened on c3p0's threads, all use the one login")
    void ticketCacheThroughThePool() throws Exception {
        lab.databaseUser("tc_pool");
        AppConfig config = config("kerberos.ticket_cache=" + lab.ticketCache("tc_pool", KerberosLab.Ticket.normal()));
        try (KerberosSession session = KerberosSession.login(config, Map.of());
             ConnectionPool pool = new ConnectionPool(session.dataSource(config.database(), Map.of()), config.database());
             Connection a = pool.getConnection(); Connection b = pool.getConnection();
             Statement sa = a.createStatement(); Statement sb = b.createStatement();
             ResultSet ra = sa.executeQuery("SELECT current_user, pg_backend_pid()");
             ResultSet rb = sb.executeQuery("SELECT current_user, pg_backend_pid()")) {
            ra.next();
            rb.next();
            assertEquals("tc_pool", ra.getString(1));
            assertEquals("tc_pool", rb.getString(1));
            assertTrue(ra.getInt(2) != rb.getInt(2), "two distinct server sessions");
        }
    }

    @Test
    @DisplayName("once the ticket (and so the service ticket) has expired, a new connection fails: run kinit")
    void expiredTicketFailsNewConnections() throws Exception {
        lab.databaseUser("short_lived");
        AppConfig config = config("kerberos.ticket_cache="
                + lab.ticketCache("short_lived", KerberosLab.Ticket.lasting(Duration.ofSeconds(2), true)));
        SQLException e = lab.withKdcSetting(KdcConfigKey.MAXIMUM_TICKET_LIFETIME, 2L, () -> {
            try (KerberosSession session = KerberosSession.login(config, Map.of())) {
                DataSource ds = session.dataSource(config.database(), Map.of());
                assertEquals("short_lived", currentUser(ds));
                Thread.sleep(Duration.between(Instant.now(), session.status().expires()).toMillis() + 1_000);
                return assertThrows(SQLException.class, () -> currentUser(ds));
            }
        });
        assertTrue(e.getMessage().startsWith("no valid Kerberos ticket in FILE:"), e.getMessage());
        assertTrue(e.getMessage().endsWith("run kinit, then try again"), e.getMessage());
    }

    @Test
    @DisplayName("a full service principal whose host is database.host is accepted")
    void fullSpn() throws Exception {
        lab.databaseUser("spn_full");
        AppConfig config = config("kerberos.ticket_cache=" + lab.ticketCache("spn_full", KerberosLab.Ticket.normal()),
                "kerberos.spn=postgres/localhost@" + KerberosLab.REALM);
        try (KerberosSession session = KerberosSession.login(config, Map.of())) {
            assertEquals("spn_full", currentUser(session.dataSource(config.database(), Map.of())));
        }
    }

    @Test
    @DisplayName("a service name the KDC does not know: the SPN hint naming kerberos.spn")
    void wrongSpn() throws Exception {
        lab.databaseUser("spn_wrong");
        SQLException e = connectFails("spn_wrong", "kerberos.spn=cockroachdb");
        assertTrue(e.getMessage().startsWith("the KDC does not know the service principal cockroachdb/localhost@"
                + KerberosLab.REALM + " (Server not found in Kerberos database)"), e.getMessage());
        assertTrue(e.getMessage().contains("set kerberos.spn to the service name"), e.getMessage());
    }

    @Test
    @DisplayName("an IP address as database.host: the SPN hint says to use the host name")
    void ipAddressHost() throws Exception {
        lab.databaseUser("spn_ip");
        SQLException e = connectFails("spn_ip", "database.host=127.0.0.1");
        assertTrue(e.getMessage().contains("database.host 127.0.0.1 is an IP address"), e.getMessage());
        assertTrue(e.getMessage().contains("set database.host to the database's host name"), e.getMessage());
    }

    @Test
    @DisplayName("a database.user the principal may not use: SQLState 28000 explained")
    void userMismatch() throws Exception {
        lab.databaseUser("mallory");
        lab.role("someone_else");
        SQLException e = connectFails("mallory", "database.user=someone_else");
        assertEquals("28000", e.getSQLState());
        assertTrue(e.getMessage().startsWith("the server refused user someone_else for the Kerberos principal "
                + KerberosLab.principal("mallory")), e.getMessage());
        assertTrue(e.getMessage().contains("leave database.user empty"), e.getMessage());
    }

    @Test
    @DisplayName("a server that wants TLS for this user: set ssl_mode verify-full")
    void tlsRequired() throws Exception {
        lab.user(KerberosLab.TLS_ONLY_ROLE);
        SQLException e = connectFails(KerberosLab.TLS_ONLY_ROLE);
        assertTrue(e.getMessage().startsWith("the server accepts user tls_only only over TLS"), e.getMessage());
        assertTrue(e.getMessage().contains("set database.ssl_mode to verify-full"), e.getMessage());
    }

    @Test
    @DisplayName("clocks too far apart (the KDC allows no skew at all here): the clock hint")
    void clockSkew() throws Exception {
        lab.databaseUser("skewed");
        Path cache = lab.ticketCache("skewed", KerberosLab.Ticket.normal());
        AppConfig config = config("kerberos.ticket_cache=" + cache);
        try (KerberosSession session = KerberosSession.login(config, Map.of())) {
            DataSource ds = session.dataSource(config.database(), Map.of());
            SQLException e = lab.withKdcSetting(KdcConfigKey.ALLOWABLE_CLOCKSKEW, 0L,
                    () -> assertThrows(SQLException.class, () -> currentUser(ds)));
            assertTrue(e.getMessage().startsWith("the clocks of this host and the Kerberos servers differ"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("synchronise this host's clock"), e.getMessage());
        }
    }
}
