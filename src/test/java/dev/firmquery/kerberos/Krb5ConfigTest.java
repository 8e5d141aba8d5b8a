package dev.firmquery.kerberos;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Krb5ConfigTest {
    private static final String SITE = """
            # site krb5.conf
            [libdefaults]
                default_realm = EXAMPLE.COM
                default_ccache_name = KEYRING:persistent:%{uid}
                udp_preference_limit = 1
                dns_lookup_kdc = false
            ; a comment
            [realms]
                EXAMPLE.COM = {
                    kdc = kdc1.example.com
                    kdc = kdc2.example.com:750
                    admin_server = kdc1.example.com
                }
                OTHER.ORG = {
                    kdc = [2001:db8::1]:88
                }
            [domain_realm]
                .example.com = EXAMPLE.COM
                example.com = EXAMPLE.COM
                db.other.org = OTHER.ORG
            [appdefaults]
                pam = {
                    kdc = not-a-realm-kdc
                }
            """;

    private static Krb5Config site() {
        return Krb5Config.parse(Path.of("/etc/krb5.conf"), "default", SITE);
    }

    @Test
    @DisplayName("kerberos.krb5_conf wins over KRB5_CONFIG, which wins over /etc/krb5.conf")
    void locatePrecedence() {
        assertEquals(new Krb5Config.Location(Path.of("/opt/k.conf"), "kerberos.krb5_conf", true),
                Krb5Config.locate("/opt/k.conf", Map.of("KRB5_CONFIG", "/env/k.conf")));
        assertEquals(new Krb5Config.Location(Path.of("/env/k.conf"), "KRB5_CONFIG", true),
                Krb5Config.locate("", Map.of("KRB5_CONFIG", "/env/k.conf:/etc/krb5.conf")));
        assertEquals(new Krb5Config.Location(Path.of("/etc/krb5.conf"), "default", false),
                Krb5Config.locate("", Map.of()));
    }

    @Test
    @DisplayName("reads the default realm, default cache name and udp_preference_limit")
    void libdefaults() {
        Krb5Config c = site();
        assertEquals("EXAMPLE.COM", c.defaultRealm());
        assertEquals("KEYRING:persistent:%{uid}", c.defaultCcacheName());
        assertTrue(c.prefersTcp());
        assertEquals("false", c.libdefaults().get("dns_lookup_kdc"));
    }

    @Test
    @DisplayName("reads every kdc of every realm, and nothing from other sections")
    void kdcs() {
        Krb5Config c = site();
        assertEquals(List.of("kdc1.example.com", "kdc2.example.com:750"), c.kdcsOf("example.com"));
        assertEquals(List.of("[2001:db8::1]:88"), c.kdcsOf("OTHER.ORG"));
        assertEquals(List.of(), c.kdcsOf("NOPE"));
        assertEquals(2, c.kdcs().size());
    }

    @Test
    @DisplayName("maps hosts to realms: exact entry, then the longest .domain, then the default realm")
    void realmOf() {
        Krb5Config c = site();
        assertEquals("OTHER.ORG", c.realmOf("DB.other.org"));
        assertEquals("EXAMPLE.COM", c.realmOf("db1.example.com"));
        assertEquals("EXAMPLE.COM", c.realmOf("somewhere.else"));
    }

    @Test
    @DisplayName("an empty file has no realm and does not prefer TCP")
    void empty() {
        Krb5Config c = Krb5Config.parse(Path.of("/x"), "default", "");
        assertNull(c.defaultRealm());
        assertFalse(c.prefersTcp());
        assertNull(c.realmOf("host"));
    }
}
