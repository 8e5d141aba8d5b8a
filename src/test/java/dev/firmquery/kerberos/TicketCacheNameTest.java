package dev.firmquery.kerberos;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TicketCacheNameTest {
    private static final Krb5Config KEYRING_DEFAULT = Krb5Config.parse(Path.of("/etc/krb5.conf"), "default",
            "[libdefaults]\n default_ccache_name = KEYRING:persistent:%{uid}\n");
    private static final Krb5Config NO_DEFAULT = Krb5Config.parse(Path.of("/etc/krb5.conf"), "default", "");

    @Test
    @DisplayName("kerberos.ticket_cache, then KRB5CCNAME, then default_ccache_name, then /tmp/krb5cc_<uid>")
    void precedence() {
        Map<String, String> env = Map.of("KRB5CCNAME", "FILE:/env/cc");
        assertEquals("kerberos.ticket_cache", TicketCacheName.resolve("/conf/cc", env, KEYRING_DEFAULT, 7, "ann").source());
        assertEquals("KRB5CCNAME", TicketCacheName.resolve("", env, KEYRING_DEFAULT, 7, "ann").source());
        TicketCacheName fromConf = TicketCacheName.resolve("", Map.of(), KEYRING_DEFAULT, 1000, "ann");
        assertEquals("KEYRING:persistent:1000", fromConf.name());
        assertEquals("default_ccache_name in /etc/krb5.conf", fromConf.source());
        TicketCacheName fallback = TicketCacheName.resolve("", Map.of(), NO_DEFAULT, 1000, "ann");
        assertEquals("FILE:/tmp/krb5cc_1000", fallback.name());
        assertEquals(Path.of("/tmp/krb5cc_1000"), fallback.file());
    }

    @ParameterizedTest(name = "{0} is a {1} cache, readable by Java: {2}")
    @CsvSource({
            "FILE:/tmp/krb5cc_5, FILE, true",
            "/tmp/krb5cc_5, FILE, true",
            "KEYRING:persistent:5, KEYRING, false",
            "KCM:, KCM, false",
            "DIR::/run/user/5/krb5cc, DIR, false",
            "API:5, API, false",
            "MEMORY:x, MEMORY, false"})
    void types(String name, String type, boolean javaReads) {
        TicketCacheName c = TicketCacheName.of(name, "KRB5CCNAME");
        assertEquals(type, c.type());
        assertEquals(javaReads, c.javaCanRead());
    }

    @Test
    @DisplayName("the hint for an unreadable cache gives the exact commands and native mode")
    void unreadableHint() {
        String hint = TicketCacheName.of("KEYRING:persistent:5", "KRB5CCNAME").unreadableHint();
        assertTrue(hint.contains("KEYRING:persistent:5 (from KRB5CCNAME) is a KEYRING cache, which Java cannot read"), hint);
        assertTrue(hint.contains("export KRB5CCNAME=FILE:/tmp/krb5cc_$(id -u); kinit"), hint);
        assertTrue(hint.contains("kerberos.mode to native"), hint);
    }

    @Test
    @DisplayName("MIT's %{uid}, %{username} and %{TEMP} tokens are expanded")
    void expansion() {
        assertEquals("FILE:/tmp/krb5cc_42_bo", TicketCacheName.expand("FILE:%{TEMP}/krb5cc_%{uid}_%{username}", 42, "bo"));
        assertFalse(TicketCacheName.expand("KCM:%{uid}", 3, "x").contains("%"));
    }
}
