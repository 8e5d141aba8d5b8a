package dev.firmquery.config;

import dev.firmquery.config.AppConfig.AuthMode;

import java.util.Optional;
import java.util.Set;

/**
 * What TLS a connection needs (docs/reliability.md, "Shared host"). A password must never cross the
 * network where a man in the middle can read it: with {@code disable}, {@code allow} or {@code prefer}
 * an attacker on the path simply refuses TLS and the driver goes on in plain text, so password
 * authentication to a host that is not this machine requires TLS. {@code require} encrypts but accepts
 * any certificate; it is allowed with a warning. Only {@code verify-ca} and {@code verify-full} check
 * who answers.
 */
public final class TransportSecurity {
    /** The modes under which a man in the middle can turn TLS off. */
    private static final Set<String> DOWNGRADABLE = Set.of("disable", "allow", "prefer");
    /** The modes that check the server's certificate against a trusted CA. */
    private static final Set<String> VERIFYING = Set.of("verify-ca", "verify-full");
    /** Where pgjdbc reads the trusted CA certificates from when nothing else is configured. */
    public static final String DEFAULT_ROOT_CERT = "~/.postgresql/root.crt";

    private TransportSecurity() {
    }

    /**
     * The {@code database.ssl_mode} used when it is left empty: {@code verify-full} with Kerberos and with
     * a password sent to another machine; {@code prefer} with a password to this machine (a local test
     * server rarely has a certificate, and loopback traffic does not leave the host).
     */
    public static String automaticSslMode(AuthMode auth, String host) {
        return auth == AuthMode.PASSWORD && HostName.isLoopback(host) ? "prefer" : "verify-full";
    }

    /** Why the empty {@code ssl_mode} resolved as it did, for {@code firmquery config}. */
    public static String automaticReason(AuthMode auth, String host) {
        if (auth == AuthMode.KERBEROS) {
            return "verify-full because database.auth is kerberos";
        }
        return HostName.isLoopback(host)
                ? "prefer because database.auth is password and database.host is this machine"
                : "verify-full because database.auth is password and database.host is another machine";
    }

    /** Whether {@code sslMode} checks the server's certificate (verify-ca or verify-full). */
    public static boolean verifiesCertificate(String sslMode) {
        return VERIFYING.contains(sslMode);
    }

    /**
     * Why these settings would let a password reach the network where it can be read, with the fix;
     * empty when they do not (Kerberos sends no password; loopback does not leave the machine; TLS is
     * required).
     */
    public static Optional<String> passwordExposure(AuthMode auth, String host, String sslMode) {
        if (auth != AuthMode.PASSWORD || HostName.isLoopback(host) || !DOWNGRADABLE.contains(sslMode)) {
            return Optional.empty();
        }
        return Optional.of("with database.auth password, ssl_mode " + sslMode + " could send the password to "
                + host + " without TLS (a man in the middle can " + (sslMode.equals("disable") ? "read it"
                : "refuse TLS and read it") + "); set database.ssl_mode to verify-full and put the server's CA"
                + " certificate in " + DEFAULT_ROOT_CERT + ", or use database.auth kerberos");
    }

    /**
     * The warning for a mode that encrypts (or, on this machine, may not) but does not check the
     * certificate; empty for verify-ca and verify-full.
     */
    public static Optional<String> unverifiedWarning(AuthMode auth, String host, String sslMode) {
        if (verifiesCertificate(sslMode)) {
            return Optional.empty();
        }
        if (HostName.isLoopback(host)) {
            return Optional.of("ssl_mode " + sslMode + ": the server's certificate is not verified; acceptable for a"
                    + " database on this machine (" + host + "), else set verify-full and put the CA certificate in "
                    + DEFAULT_ROOT_CERT);
        }
        return Optional.of("ssl_mode " + sslMode + ": the server's certificate is not verified, so a man in the middle"
                + " can pose as " + host + (auth == AuthMode.PASSWORD ? " and receive the password" : "")
                + "; set database.ssl_mode to verify-full and put the server's CA certificate in " + DEFAULT_ROOT_CERT);
    }
}
