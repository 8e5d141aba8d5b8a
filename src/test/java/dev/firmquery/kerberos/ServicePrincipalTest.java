package dev.firmquery.kerberos;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServicePrincipalTest {
    @Test
    @DisplayName("empty means the driver's default service, postgres")
    void empty() {
        assertEquals(new ServicePrincipal("postgres", null, null), ServicePrincipal.parse(""));
        assertEquals(new ServicePrincipal("postgres", null, null), ServicePrincipal.parse(null));
    }

    @Test
    @DisplayName("a service name, a service/host and a full principal are all accepted")
    void forms() {
        assertEquals(new ServicePrincipal("cockroachdb", null, null), ServicePrincipal.parse("cockroachdb"));
        assertEquals(new ServicePrincipal("cockroachdb", "db1.example.com", null),
                ServicePrincipal.parse("cockroachdb/db1.example.com"));
        assertEquals(new ServicePrincipal("cockroachdb", "db1.example.com", "EXAMPLE.COM"),
                ServicePrincipal.parse("cockroachdb/db1.example.com@EXAMPLE.COM"));
    }

    @Test
    @DisplayName("the requested principal follows database.host, lower-cased, in the configured or given realm")
    void requested() {
        assertEquals("postgres/db1.example.com@EXAMPLE.COM",
                ServicePrincipal.parse("").requested("DB1.example.com", "EXAMPLE.COM"));
        assertEquals("cockroachdb/db1@CORP.NET",
                ServicePrincipal.parse("cockroachdb/db1@CORP.NET").requested("db1", "EXAMPLE.COM"));
        assertEquals("postgres/db1", ServicePrincipal.parse("").requested("db1", null));
    }

    @Test
    @DisplayName("a full principal naming another host than database.host is noticed")
    void hostDiffers() {
        assertTrue(ServicePrincipal.parse("cockroachdb/db1.example.com").hostDiffers("10.0.0.5"));
        assertFalse(ServicePrincipal.parse("cockroachdb/db1.example.com").hostDiffers("DB1.example.com"));
        assertFalse(ServicePrincipal.parse("cockroachdb").hostDiffers("anything"));
    }

    @Test
    @DisplayName("IPv4 and IPv6 literals are IP addresses; host names are not")
    void ipAddresses() {
        assertTrue(ServicePrincipal.isIpAddress("10.0.0.5"));
        assertTrue(ServicePrincipal.isIpAddress("::1"));
        assertFalse(ServicePrincipal.isIpAddress("db1.example.com"));
        assertFalse(ServicePrincipal.isIpAddress("localhost"));
    }
}
