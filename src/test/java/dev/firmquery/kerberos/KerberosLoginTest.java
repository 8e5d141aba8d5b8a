package dev.firmquery.kerberos;

import dev.firmquery.config.AppConfig;
import dev.firmquery.config.ConfigException;
import dev.firmquery.config.ConfigLoader;
import dev.firmquery.config.ConfigRequest;
import dev.firmquery.testing.TestConfigs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Logging in against the real test KDC: each credential source, and each way it goes wrong. */
@ExtendWith(KerberosGlobals.class)
@ResourceLock(KerberosGlobals.LOCK)
class KerberosLoginTest {
    private static KerberosLab lab;

    @TempDir
    Path tmp;

    @BeforeAll
    static void kdc() {
        lab = KerberosLab.get();
    }

    /** The configuration a user would have, with {@code overrides} as {@code --set}. */
    private AppConfig config(String... overrides) {
        List<String> sets = new ArrayList<>(List.of("database.host=localhost",
                "kerberos.krb5_conf=" + lab.krb5Conf()));
        sets.addAll(List.of(overrides));
        try {
            return new ConfigLoader(TestConfigs.home(), Map.of(), tmp).load(new ConfigRequest(null, null, sets))
                    .config();
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private KerberosSession login(Map<String, String> env, String... overrides) throws KerberosException {
        return KerberosSession.login(config(overrides), env);
    }

    private KerberosSession login(String... overrides) throws KerberosException {
        return login(Map.of(), overrides);
    }

    @Test
    @DisplayName("keytab mode logs in with the keytab's principal and reports the ticket's times")
    void keytabMode() throws Exception {
        Path keytab = lab.keytab("kt_user");
        try (KerberosSession s = login("kerberos.mode=keytab", "kerberos.keytab=" + keytab)) {
            KerberosStatus status = s.status();
            assertEquals(KerberosLab.principal("kt_user"), status.principal());
            assertEquals(KerberosMode.KEYTAB, status.mode());
            assertNotNull(status.expires());
            assertTrue(status.expires().isAfter(Instant.now()), status.toString());
            assertEquals("kt_user", s.databaseUser());
            assertEquals("keytab " + keytab, status.source());
        }
    }

    @Test
    @DisplayName("ticket-cache mode reads a FILE: cache written like kinit's, with its principal and times")
    void ticketCacheMode() throws Exception {
        Path cache = lab.ticketCache("tc_user", KerberosLab.Ticket.lasting(Duration.ofHours(2), true));
        try (KerberosSession s = login("kerberos.ticket_cache=" + cache)) {
            KerberosStatus status = s.status();
            assertEquals(KerberosLab.principal("tc_user"), status.principal());
            assertEquals(KerberosMode.TICKET_CACHE, status.mode());
            assertTrue(status.renewableAt(Instant.now()), status.toString());
            Duration left = status.timeLeft(Instant.now());
            assertTrue(left.compareTo(Duration.ofHours(2)) <= 0 && left.compareTo(Duration.ofMinutes(100)) > 0,
                    left.toString());
            assertTrue(status.source().contains(cache.toString()), status.source());
        }
    }

    @Test
    @DisplayName("KRB5CCNAME names the cache when kerberos.ticket_cache is empty")
    void cacheFromKrb5ccname() throws Exception {
        Path cache = lab.ticketCache("env_user", KerberosLab.Ticket.normal());
        try (KerberosSession s = login(Map.of("KRB5CCNAME", "FILE:" + cache))) {
            assertEquals(KerberosLab.principal("env_user"), s.status().principal());
            assertTrue(s.status().source().contains("KRB5CCNAME"), s.status().source());
        }
    }

    @Test
    @DisplayName("no cache file: 'no Kerberos ticket' with 'run kinit'")
    void noTicket() {
        Path missing = tmp.resolve("krb5cc_nobody");
        KerberosException e = assertThrows(KerberosException.class, () -> login("kerberos.ticket_cache=" + missing));
        assertTrue(e.getMessage().startsWith("no Kerberos ticket: the ticket cache FILE:" + missing), e.getMessage());
        assertTrue(e.getMessage().contains("run kinit"), e.getMessage());
    }

    @Test
    @DisplayName("a KEYRING: cache: says Java cannot read it and gives the commands that work")
    void keyringCache() {
        KerberosException e = assertThrows(KerberosException.class,
                () -> login(Map.of("KRB5CCNAME", "KEYRING:persistent:1000")));
        assertTrue(e.getMessage().contains("KEYRING:persistent:1000 (from KRB5CCNAME) is a KEYRING cache"), e.getMessage());
        assertTrue(e.getMessage().contains("export KRB5CCNAME=FILE:/tmp/krb5cc_$(id -u); kinit"), e.getMessage());
        assertTrue(e.getMessage().contains("kerberos.mode to native"), e.getMessage());
    }

    @Test
    @DisplayName("an expired ticket in the cache: says when it expired and to run kinit")
    void expiredTicket() {
        Path cache = lab.ticketCache("old_user", KerberosLab.Ticket.expired());
        KerberosException e = assertThrows(KerberosException.class, () -> login("kerberos.ticket_cache=" + cache));
        assertTrue(e.getMessage().startsWith("the Kerberos ticket of " + KerberosLab.principal("old_user") + " in FILE:"),
                e.getMessage());
        assertTrue(e.getMessage().contains(" expired at "), e.getMessage());
        assertTrue(e.getMessage().contains("run kinit " + KerberosLab.principal("old_user")), e.getMessage());
    }

    @Test
    @DisplayName("a cache of another principal than kerberos.principal is named as such")
    void cacheOfAnotherPrincipal() {
        Path cache = lab.ticketCache("bob", KerberosLab.Ticket.normal());
        KerberosException e = assertThrows(KerberosException.class,
                () -> login("kerberos.ticket_cache=" + cache, "kerberos.principal=carol"));
        assertTrue(e.getMessage().contains("holds tickets for " + KerberosLab.principal("bob") + ", not for "
                + "kerberos.principal " + KerberosLab.principal("carol")), e.getMessage());
    }

    @Test
    @DisplayName("a keytab without the configured principal lists the principals it has")
    void keytabWithoutThePrincipal() {
        Path keytab = lab.keytab("kt_other");
        KerberosException e = assertThrows(KerberosException.class,
                () -> login("kerberos.mode=keytab", "kerberos.keytab=" + keytab, "kerberos.principal=somebody"));
        assertTrue(e.getMessage().contains("has no key for " + KerberosLab.principal("somebody")
                + "; it holds keys for " + KerberosLab.principal("kt_other")), e.getMessage());
    }

    @Test
    @DisplayName("a keytab with only RC4/3DES keys: unsupported encryption type, get AES keys")
    void legacyEnctypes() {
        Path keytab = lab.keytabWithEnctypes("legacy", "rc4-hmac des3-cbc-sha1-kd");
        KerberosException e = assertThrows(KerberosException.class,
                () -> login("kerberos.mode=keytab", "kerberos.keytab=" + keytab));
        assertTrue(e.getMessage().contains("Java 17 does not use (it disables DES, 3DES and RC4)"), e.getMessage());
        assertTrue(e.getMessage().contains("get a keytab with AES keys"), e.getMessage());
    }

    @Test
    @DisplayName("a missing keytab is named with the key that set it")
    void missingKeytab() {
        Path keytab = tmp.resolve("nope.keytab");
        KerberosException e = assertThrows(KerberosException.class,
                () -> login("kerberos.mode=keytab", "kerberos.keytab=" + keytab));
        assertEquals("the keytab " + keytab + " (kerberos.keytab) does not exist; fix kerberos.keytab, or get the "
                + "keytab from the Kerberos administrators", e.getMessage());
    }

    @Test
    @DisplayName("a krb5.conf named in kerberos.krb5_conf that does not exist is an error naming it")
    void missingKrb5Conf() {
        Path conf = tmp.resolve("krb5.conf");
        KerberosException e = assertThrows(KerberosException.class,
                () -> login("kerberos.krb5_conf=" + conf, "kerberos.ticket_cache=" + tmp.resolve("cc")));
        assertTrue(e.getMessage().startsWith("krb5.conf " + conf + " (from kerberos.krb5_conf) does not exist"),
                e.getMessage());
    }

    @Test
    @DisplayName("jaas mode logs in with the user's own JAAS file and entry")
    void jaasMode() throws Exception {
        Path keytab = lab.keytab("jaas_user");
        Path jaas = Files.writeString(tmp.resolve("jaas.conf"), "pgjdbc {\n"
                + "  com.sun.security.auth.module.Krb5LoginModule required\n"
                + "  useKeyTab=true keyTab=\"" + keytab + "\" principal=\"" + KerberosLab.principal("jaas_user") + "\"\n"
                + "  doNotPrompt=true refreshKrb5Config=true;\n};\n");
        try (KerberosSession s = login("kerberos.mode=jaas", "kerberos.jaas_conf=" + jaas)) {
            assertEquals(KerberosLab.principal("jaas_user"), s.status().principal());
            assertTrue(s.status().source().contains("JAAS entry pgjdbc"), s.status().source());
        }
    }

    @Test
    @DisplayName("jaas mode with an entry the file does not have says so")
    void jaasModeUnknownEntry() throws IOException {
        Path jaas = Files.writeString(tmp.resolve("jaas.conf"), "other {\n"
                + "  com.sun.security.auth.module.Krb5LoginModule required doNotPrompt=true;\n};\n");
        KerberosException e = assertThrows(KerberosException.class,
                () -> login("kerberos.mode=jaas", "kerberos.jaas_conf=" + jaas, "kerberos.jaas_entry=firmquery"));
        assertEquals("the JAAS file " + jaas + " has no entry 'firmquery'; set kerberos.jaas_entry to the name of the "
                + "entry to use", e.getMessage());
    }

    // ---- the ticket's life, with a clock the test moves ----

    /** A clock at {@code fraction} of the ticket's life. */
    private static Clock at(KerberosStatus s, double fraction) {
        long life = Duration.between(s.start(), s.expires()).toMillis();
        return Clock.fixed(s.start().plusMillis((long) (life * fraction)), ZoneOffset.UTC);
    }

    private KerberosSettings settings(Map<String, String> env, String... overrides) throws KerberosException {
        return KerberosSettings.of(config(overrides), env);
    }

    @Test
    @DisplayName("a young ticket is left alone")
    void youngTicketIsValid() throws Exception {
        Path cache = lab.ticketCache("young", KerberosLab.Ticket.normal());
        KerberosStatus first;
        try (KerberosSession s = login("kerberos.ticket_cache=" + cache)) {
            first = s.status();
        }
        try (KerberosSession s = KerberosSession.login(settings(Map.of(), "kerberos.ticket_cache=" + cache), at(first, 0.3))) {
            assertEquals(KerberosSession.Outcome.VALID, s.maintain().outcome());
        }
    }

    @Test
    @DisplayName("past half its life a renewable ticket is renewed with the KDC and lasts longer")
    void renewableTicketIsRenewedPastHalfLife() throws Exception {
        Path cache = lab.ticketCache("renewer", KerberosLab.Ticket.lasting(Duration.ofMinutes(10), true));
        KerberosStatus before;
        try (KerberosSession s = login("kerberos.ticket_cache=" + cache)) {
            before = s.status();
        }
        try (KerberosSession s = KerberosSession.login(settings(Map.of(), "kerberos.ticket_cache=" + cache), at(before, 0.6))) {
            KerberosSession.Maintenance m = s.maintain();
            assertEquals(KerberosSession.Outcome.RENEWED, m.outcome());
            assertTrue(m.status().expires().isAfter(before.expires()), before + " -> " + m.status());
            assertEquals(m.status(), s.status());
        }
    }

    @Test
    @DisplayName("kerberos.renew off: a ticket past half its life is not renewed")
    void renewOff() throws Exception {
        Path cache = lab.ticketCache("no_renew", KerberosLab.Ticket.lasting(Duration.ofMinutes(10), true));
        KerberosStatus before;
        try (KerberosSession s = login("kerberos.ticket_cache=" + cache)) {
            before = s.status();
        }
        try (KerberosSession s = KerberosSession.login(settings(Map.of(), "kerberos.ticket_cache=" + cache,
                "kerberos.renew=off"), at(before, 0.9))) {
            assertEquals(KerberosSession.Outcome.VALID, s.maintain().outcome());
            assertEquals(before.expires(), s.status().expires());
        }
    }

    @Test
    @DisplayName("keytab mode logs in again from the keytab past half the ticket's life")
    void keytabReloginPastHalfLife() throws Exception {
        Path keytab = lab.keytab("kt_renew");
        KerberosStatus before;
        try (KerberosSession s = login("kerberos.mode=keytab", "kerberos.keytab=" + keytab)) {
            before = s.status();
        }
        Thread.sleep(1100); // a new ticket has a later start, in whole seconds
        try (KerberosSession s = KerberosSession.login(settings(Map.of(), "kerberos.mode=keytab",
                "kerberos.keytab=" + keytab), at(before, 0.7))) {
            KerberosStatus loggedIn = s.status();
            KerberosSession.Maintenance m = s.maintain();
            assertEquals(KerberosSession.Outcome.RENEWED, m.outcome());
            assertTrue(m.status().start().isAfter(before.start()), before + " -> " + m.status());
            assertFalse(m.status() == loggedIn);
        }
    }

    @Test
    @DisplayName("an expired, non-renewable ticket is EXPIRED until the user's kinit writes a fresh cache")
    void expiredUntilKinit() throws Exception {
        Path cache = lab.ticketCache("sleeper", KerberosLab.Ticket.lasting(Duration.ofMinutes(10), false));
        KerberosStatus before;
        try (KerberosSession s = login("kerberos.ticket_cache=" + cache)) {
            before = s.status();
            assertNull(before.renewableUntil());
        }
        MovableClock clock = new MovableClock(Instant.now());
        try (KerberosSession s = KerberosSession.login(settings(Map.of(), "kerberos.ticket_cache=" + cache), clock)) {
            clock.set(before.expires().plusSeconds(5));
            KerberosSession.Maintenance m = s.maintain();
            assertEquals(KerberosSession.Outcome.EXPIRED, m.outcome());
            assertTrue(m.problem().contains("expired at") && m.problem().contains("run kinit"), m.problem());

            // kinit: a fresh ticket valid well past the (pretend) time replaces the cache.
            Path fresh = lab.ticketCache("sleeper", KerberosLab.Ticket.lasting(Duration.ofHours(3), false));
            Files.move(fresh, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertEquals(KerberosSession.Outcome.RENEWED, s.maintain().outcome());
            assertTrue(s.status().expires().isAfter(before.expires()));
        }
    }

    @Test
    @DisplayName("the ticket cache reader sees what Java sees: principal, ticket-granting ticket, times, renewable flag")
    void ccacheReader() throws Exception {
        Path cache = lab.ticketCache("reader", KerberosLab.Ticket.lasting(Duration.ofHours(1), true));
        CcacheFile c = CcacheFile.read(cache);
        assertEquals(KerberosLab.principal("reader"), c.principal());
        CcacheFile.Credential tgt = c.tgt().orElseThrow();
        assertEquals("krbtgt/" + KerberosLab.REALM + "@" + KerberosLab.REALM, tgt.server());
        assertTrue(tgt.renewableAt(Instant.now()));
        try (KerberosSession s = login("kerberos.ticket_cache=" + cache)) {
            assertEquals(s.status().expires(), tgt.endTime());
        }
    }

    @Test
    @DisplayName("the keytab reader lists the principal and its AES keys")
    void keytabReader() throws Exception {
        KeytabFile kt = KeytabFile.read(lab.keytab("kt_reader"));
        assertEquals(List.of(KerberosLab.principal("kt_reader")), kt.principals());
        assertTrue(Enctypes.anyJavaDefault(kt.enctypesOf(KerberosLab.principal("kt_reader"))),
                kt.entries().toString());
    }
}
