package dev.firmquery.cli;

import dev.firmquery.kerberos.KerberosGlobals;
import dev.firmquery.kerberos.KerberosLab;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.testing.CliHarness;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.apache.kerby.kerberos.kerb.server.KdcConfigKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code firmquery check} against the real KDC and GSS-enabled PostgreSQL: exit 0 when everything
 * works, exit 3 with one FAIL line - cause and fix - for each way it can go wrong.
 */
@ExtendWith(KerberosGlobals.class)
@ResourceLock(KerberosGlobals.LOCK)
class CheckCommandTest {
    private static KerberosLab lab;

    @TempDir
    Path tmp;
    private CliHarness cli;

    @BeforeAll
    static void lab() {
        lab = KerberosLab.get();
        lab.postgres();
    }

    @BeforeEach
    void cli() {
        cli = new CliHarness(tmp);
    }

    /** The environment of a user {@code name} who has run kinit (a fresh FILE: cache in KRB5CCNAME). */
    private Map<String, String> kinitAs(String name) {
        lab.databaseUser(name);
        Map<String, String> env = new HashMap<>(lab.environment(KerberosLab.DATABASE));
        env.put("KRB5CCNAME", "FILE:" + lab.ticketCache(name, KerberosLab.Ticket.normal()));
        return env;
    }

    /** The line of step {@code name}, e.g. {@code "  FAIL  connect    ..."}. */
    private String line(String step) {
        for (String l : cli.stdout().split("\n")) {
            if (l.length() > 8 && l.substring(8).startsWith(step + " ")) {
                return l;
            }
        }
        throw new AssertionError("no '" + step + "' line in:\n" + cli.both());
    }

    private void assertFails(String step, String... fragments) {
        String l = line(step);
        assertTrue(l.startsWith("  FAIL  "), cli.both());
        for (String f : fragments) {
            assertTrue(l.contains(f), "'" + f + "' not in: " + l + "\n" + cli.both());
        }
        // A failed connect fails the pool step too: the pool a run would open cannot open either.
        assertTrue(cli.stdout().contains(step.equals("connect") ? "firmquery check: 2 checks failed (connect, pool)"
                : "firmquery check: 1 check failed (" + step + ")"), cli.both());
    }

    @Test
    @DisplayName("everything in order: every step ok, exit 0")
    void allPass() {
        ExitCode code = cli.run(kinitAs("chk_ok"), "check");

        assertEquals(ExitCode.COMPLETED, code, cli.both());
        assertTrue(line("config").contains("defaults < environment variables FIRMQUERY_DATABASE_AUTH, "), cli.both());
        assertTrue(line("krb5.conf").contains("default realm " + KerberosLab.REALM), cli.both());
        assertTrue(line("cache").contains("FILE cache FILE:"), cli.both());
        assertTrue(line("ticket").startsWith("  ok    ticket     " + KerberosLab.principal("chk_ok") + ", ticket expires "),
                cli.both());
        assertTrue(line("ticket").contains("renewable until"), cli.both());
        assertTrue(line("spn").contains("postgres/localhost@" + KerberosLab.REALM), cli.both());
        assertTrue(line("kdc").contains("localhost:" + lab.kdcPort() + ": accepts TCP connections"), cli.both());
        assertTrue(line("connect").contains("as chk_ok: PostgreSQL 15"), cli.both());
        assertTrue(line("pool").contains("2 connections"), cli.both());
        assertTrue(cli.stdout().endsWith("firmquery check: all checks passed\n"), cli.both());
    }

    @Test
    @DisplayName("keytab mode: every step ok, exit 0")
    void keytabPasses() {
        lab.databaseUser("chk_kt");
        Map<String, String> env = new HashMap<>(lab.environment(KerberosLab.DATABASE));
        env.put("FIRMQUERY_KERBEROS_MODE", "keytab");
        env.put("FIRMQUERY_KERBEROS_KEYTAB", lab.keytab("chk_kt").toString());

        assertEquals(ExitCode.COMPLETED, cli.run(env, "check"), cli.both());
        assertTrue(line("keytab").contains("holds keys for " + KerberosLab.principal("chk_kt")), cli.both());
        assertTrue(line("connect").contains("as chk_kt"), cli.both());
    }

    @Test
    @DisplayName("no ticket: exit 3, 'run kinit'")
    void noTicket() {
        Map<String, String> env = new HashMap<>(lab.environment(KerberosLab.DATABASE));
        env.put("KRB5CCNAME", "FILE:" + tmp.resolve("krb5cc_none"));

        assertEquals(ExitCode.CONNECT, cli.run(env, "check"), cli.both());
        assertFails("cache", "no Kerberos ticket", "does not exist; run kinit");
        assertTrue(line("connect").startsWith("  skip"), cli.both());
    }

    @Test
    @DisplayName("an expired ticket: exit 3, when it expired and 'run kinit'")
    void expiredTicket() {
        Map<String, String> env = new HashMap<>(lab.environment(KerberosLab.DATABASE));
        env.put("KRB5CCNAME", "FILE:" + lab.ticketCache("chk_old", KerberosLab.Ticket.expired()));

        assertEquals(ExitCode.CONNECT, cli.run(env, "check"), cli.both());
        assertFails("ticket", "the Kerberos ticket of " + KerberosLab.principal("chk_old"), "expired at", "run kinit");
    }

    @Test
    @DisplayName("a KEYRING: cache: exit 3, the commands that give Java a FILE: cache, or native mode")
    void keyringCache() {
        Map<String, String> env = new HashMap<>(lab.environment(KerberosLab.DATABASE));
        env.put("KRB5CCNAME", "KEYRING:persistent:0");

        assertEquals(ExitCode.CONNECT, cli.run(env, "check"), cli.both());
        assertFails("cache", "KEYRING cache, which Java cannot read",
                "export KRB5CCNAME=FILE:/tmp/krb5cc_$(id -u); kinit", "kerberos.mode to native");
    }

    @Test
    @DisplayName("a KCM: default_ccache_name in krb5.conf gets the same hint")
    void kcmDefaultCache() throws IOException {
        Path conf = Files.writeString(tmp.resolve("krb5.conf"), KerberosLab.krb5Conf(lab.kdcPort())
                .replace("[libdefaults]\n", "[libdefaults]\n  default_ccache_name = KCM:\n"));
        Map<String, String> env = new HashMap<>(lab.environment(KerberosLab.DATABASE));
        env.put("FIRMQUERY_KERBEROS_KRB5_CONF", conf.toString());

        assertEquals(ExitCode.CONNECT, cli.run(env, "check"), cli.both());
        assertFails("cache", "KCM: (from default_ccache_name in " + conf + ") is a KCM cache",
                "export KRB5CCNAME=FILE:/tmp/krb5cc_$(id -u); kinit");
    }

    @Test
    @DisplayName("a service name the KDC does not know: exit 3, fix kerberos.spn")
    void wrongSpn() {
        Map<String, String> env = kinitAs("chk_spn");
        env.put("FIRMQUERY_KERBEROS_SPN", "cockroachdb");

        assertEquals(ExitCode.CONNECT, cli.run(env, "check"), cli.both());
        assertTrue(line("spn").contains("cockroachdb/localhost@" + KerberosLab.REALM + " (service cockroachdb (kerberos.spn)"),
                cli.both());
        assertFails("connect", "the KDC does not know the service principal cockroachdb/localhost@" + KerberosLab.REALM,
                "set kerberos.spn to the service name");
    }

    @Test
    @DisplayName("an IP address as database.host: a warning on the spn line and the fix on the connect line")
    void ipAddress() {
        Map<String, String> env = kinitAs("chk_ip");
        env.put("FIRMQUERY_DATABASE_HOST", "127.0.0.1");

        assertEquals(ExitCode.CONNECT, cli.run(env, "check"), cli.both());
        assertTrue(line("spn").startsWith("  warn  spn        postgres/127.0.0.1@"), cli.both());
        assertFails("connect", "database.host 127.0.0.1 is an IP address", "set database.host to the database's host name");
    }

    @Test
    @DisplayName("clock skew: exit 3, synchronise the clock")
    void clockSkew() throws Exception {
        Map<String, String> env = kinitAs("chk_skew");

        ExitCode code = lab.withKdcSetting(KdcConfigKey.ALLOWABLE_CLOCKSKEW, 0L, () -> cli.run(env, "check"));

        assertEquals(ExitCode.CONNECT, code, cli.both());
        assertFails("connect", "the clocks of this host and the Kerberos servers differ", "synchronise this host's clock");
    }

    @Test
    @DisplayName("keys of an encryption type Java 17 disables: exit 3, get AES keys")
    void unsupportedEnctype() {
        Map<String, String> env = new HashMap<>(lab.environment(KerberosLab.DATABASE));
        env.put("FIRMQUERY_KERBEROS_MODE", "keytab");
        env.put("FIRMQUERY_KERBEROS_KEYTAB", lab.keytabWithEnctypes("chk_rc4", "rc4-hmac").toString());

        assertEquals(ExitCode.CONNECT, cli.run(env, "check"), cli.both());
        assertFails("ticket", "holds only rc4-hmac keys", "Java 17 does not use", "get a keytab with AES keys");
    }

    @Test
    @DisplayName("a database.user the principal may not use (SQLState 28000): exit 3, leave database.user empty")
    void userMismatch() {
        lab.role("chk_other");
        Map<String, String> env = kinitAs("chk_user");
        env.put("FIRMQUERY_DATABASE_USER", "chk_other");

        assertEquals(ExitCode.CONNECT, cli.run(env, "check"), cli.both());
        assertFails("connect", "the server refused user chk_other for the Kerberos principal "
                + KerberosLab.principal("chk_user"), "SQLState 28000", "leave database.user empty");
    }

    @Test
    @DisplayName("TLS required by the server: exit 3, set ssl_mode verify-full")
    void tlsRequired() {
        lab.user(KerberosLab.TLS_ONLY_ROLE);
        Map<String, String> env = new HashMap<>(lab.environment(KerberosLab.DATABASE));
        env.put("KRB5CCNAME", "FILE:" + lab.ticketCache(KerberosLab.TLS_ONLY_ROLE, KerberosLab.Ticket.normal()));

        assertEquals(ExitCode.CONNECT, cli.run(env, "check"), cli.both());
        assertFails("connect", "accepts user tls_only only over TLS", "set database.ssl_mode to verify-full");
    }

    @Test
    @DisplayName("no KDC answers: exit 3 naming the KDC, and the connection says so too")
    void kdcUnreachable() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Path conf = Files.writeString(tmp.resolve("krb5.conf"), KerberosLab.krb5Conf(closed));
        Map<String, String> env = kinitAs("chk_kdc");
        env.put("FIRMQUERY_KERBEROS_KRB5_CONF", conf.toString());

        assertEquals(ExitCode.CONNECT, cli.run(env, "check"), cli.both());
        String kdc = line("kdc");
        assertTrue(kdc.startsWith("  FAIL  kdc        no KDC of realm " + KerberosLab.REALM + " answers (localhost:" + closed),
                cli.both());
        assertTrue(kdc.contains("check the network and firewall to the KDC"), cli.both());
        assertTrue(line("connect").contains("no KDC of realm " + KerberosLab.REALM + " answers"), cli.both());
    }

    @Test
    @DisplayName("password authentication: Kerberos steps skipped, connection checked, exit 0")
    void passwordAuth() {
        TestPostgres.TestDatabase db = TestPostgres.freshDatabase("check_password");

        assertEquals(ExitCode.COMPLETED, cli.run(TestConfigs.environment(db), "check"), cli.both());
        assertTrue(line("kerberos").startsWith("  skip"), cli.both());
        assertTrue(line("connect").contains("as " + db.user()), cli.both());
    }

    @Test
    @DisplayName("an invalid configuration is a usage error (exit 2), as for every command")
    void invalidConfiguration() {
        Map<String, String> env = new HashMap<>(lab.environment(KerberosLab.DATABASE));
        env.put("FIRMQUERY_KERBEROS_MODE", "keytabs");

        assertEquals(ExitCode.USAGE, cli.run(env, "check"), cli.both());
        assertTrue(cli.stderr().contains("kerberos.mode"), cli.both());
        assertEquals(List.of(), List.of(cli.stdout().split("\n")).stream().filter(l -> l.startsWith("  ok")).toList());
    }
}
