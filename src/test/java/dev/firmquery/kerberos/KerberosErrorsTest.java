package dev.firmquery.kerberos;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import javax.security.auth.login.LoginException;
import java.sql.SQLException;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mapping of messages to causes and fixes, for messages the end-to-end tests cannot provoke here
 * (CockroachDB's own wording, a KDC that stopped answering mid-login). The messages are the ones those
 * systems print.
 */
class KerberosErrorsTest {
    private static final KerberosErrors.Context CONTEXT = new KerberosErrors.Context(KerberosMode.TICKET_CACHE,
            "alice@EXAMPLE.COM", "postgres/db1.example.com@EXAMPLE.COM", "db1.example.com", "alice",
            "FILE:/tmp/krb5cc_1 (from KRB5CCNAME)", null, null, "disable");

    private static Diagnosis diagnose(Throwable t) {
        Optional<Diagnosis> d = KerberosErrors.diagnose(t, CONTEXT);
        assertTrue(d.isPresent(), "not recognised: " + t);
        return d.get();
    }

    @Test
    @DisplayName("CockroachDB refusing a connection without TLS: set ssl_mode verify-full")
    void cockroachTlsRequired() {
        Diagnosis d = diagnose(new PSQLException("ERROR: node is running secure mode, SSL connection required",
                PSQLState.CONNECTION_REJECTED));
        assertTrue(d.problem().startsWith("the server accepts user alice only over TLS"), d.line());
        assertTrue(d.fix().contains("database.ssl_mode to verify-full") && d.fix().contains("~/.postgresql/root.crt"),
                d.line());
    }

    @Test
    @DisplayName("a missing CA certificate for verify-full: where to put the cluster's CA")
    void missingRootCertificate() {
        Diagnosis d = diagnose(new PSQLException("Could not open SSL root certificate file /home/a/.postgresql/root.crt.",
                PSQLState.CONNECTION_FAILURE));
        assertTrue(d.fix().startsWith("put the cluster's CA certificate (ca.crt) in ~/.postgresql/root.crt"), d.line());
    }

    @Test
    @DisplayName("a server that wants a password for this user instead of Kerberos")
    void passwordInsteadOfGss() {
        Diagnosis d = diagnose(new PSQLException("The server requested password-based authentication, but no password "
                + "was provided by plugin null", PSQLState.CONNECTION_REJECTED));
        assertTrue(d.problem().contains("asks user alice for a password, not for Kerberos"), d.line());
    }

    @Test
    @DisplayName("a KDC that stops answering: names the realm and the network fix")
    void kdcTimeout() {
        Diagnosis d = diagnose(new LoginException("Receive timed out"));
        assertEquals("no KDC answers", d.problem());
        assertTrue(d.fix().startsWith("check the network and firewall to the KDC"), d.line());
    }

    @Test
    @DisplayName("Kerberos error numbers are read only from Kerberos exceptions, not from any text")
    void codesOnlyFromKerberosExceptions() {
        assertEquals(Optional.empty(), KerberosErrors.diagnose(new SQLException("value (7) out of range", "22003"),
                CONTEXT));
    }

    @Test
    @DisplayName("unknown messages are left alone")
    void unknown() {
        assertEquals(Optional.empty(), KerberosErrors.diagnose(new IllegalStateException("something else"), CONTEXT));
    }
}
