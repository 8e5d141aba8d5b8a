package dev.firmquery.kerberos;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KerberosStatusTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private static KerberosStatus expiringIn(Duration left, Instant renewableUntil) {
        return new KerberosStatus("alice@EXAMPLE.COM", KerberosMode.TICKET_CACHE, "FILE:/tmp/krb5cc_1 (from KRB5CCNAME)",
                NOW.minus(Duration.ofHours(1)), NOW.plus(left), renewableUntil);
    }

    @Test
    @DisplayName("time left counts down to zero and never below")
    void timeLeft() {
        assertEquals(Duration.ofMinutes(90), expiringIn(Duration.ofMinutes(90), null).timeLeft(NOW));
        assertEquals(Duration.ZERO, expiringIn(Duration.ofMinutes(-5), null).timeLeft(NOW));
        assertTrue(expiringIn(Duration.ofMinutes(-5), null).expiredAt(NOW));
    }

    @Test
    @DisplayName("the status bar warns under 30 minutes left")
    void warning() {
        assertFalse(expiringIn(Duration.ofMinutes(30), null).warningAt(NOW));
        assertTrue(expiringIn(Duration.ofMinutes(29), null).warningAt(NOW));
        assertEquals("alice@EXAMPLE.COM 29m0s left: run kinit", expiringIn(Duration.ofMinutes(29), null).statusBar(NOW));
        assertEquals("alice@EXAMPLE.COM EXPIRED", expiringIn(Duration.ofSeconds(-1), null).statusBar(NOW));
    }

    @Test
    @DisplayName("one line with principal, expiry, time left and renewable-until")
    void describe() {
        KerberosStatus s = expiringIn(Duration.ofMinutes(598), NOW.plus(Duration.ofDays(7)));
        assertEquals("alice@EXAMPLE.COM, ticket expires 2026-11-22 19:58:00 Z (in 9h 58m), renewable until "
                + "2026-11-29 10:00:00 Z", s.describe(NOW, ZoneOffset.UTC));
        assertEquals("alice@EXAMPLE.COM, ticket expired 2026-11-22 09:59:00 Z, not renewable",
                expiringIn(Duration.ofMinutes(-1), null).describe(NOW, ZoneOffset.UTC));
    }

    @Test
    @DisplayName("the database user is the principal without the realm")
    void userName() {
        assertEquals("alice", expiringIn(Duration.ZERO, null).userName());
        assertEquals("EXAMPLE.COM", expiringIn(Duration.ZERO, null).realm());
    }
}
