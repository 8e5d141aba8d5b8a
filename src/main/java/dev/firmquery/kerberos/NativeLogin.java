package dev.firmquery.kerberos;

import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.Oid;

import java.time.Clock;
import java.time.Instant;

/**
 * {@code kerberos.mode: native}: everything is handed to the operating system's GSS library
 * ({@code sun.security.jgss.native}, MIT krb5), which reads any cache type (KEYRING, KCM, DIR). There
 * is no Subject; the login only checks that the library has a ticket and how long it lasts.
 */
final class NativeLogin implements ModeLogin {
    private static final String KRB5_MECHANISM = "1.2.840.113554.1.2.2";

    private final KerberosSettings settings;
    private final Clock clock;

    NativeLogin(KerberosSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public KerberosLogin login() throws KerberosException {
        try {
            GSSManager manager = GSSManager.getInstance();
            GSSCredential credential = manager.createCredential(null, GSSCredential.DEFAULT_LIFETIME,
                    new Oid(KRB5_MECHANISM), GSSCredential.INITIATE_ONLY);
            try {
                String principal = credential.getName().toString();
                int remaining = credential.getRemainingLifetime();
                Instant now = clock.instant();
                Instant expires = remaining == GSSCredential.INDEFINITE_LIFETIME ? null : now.plusSeconds(remaining);
                if (remaining == 0) {
                    throw new KerberosException(new Diagnosis("the Kerberos ticket of " + principal
                            + " in the system's default cache has expired",
                            "run kinit " + principal + ", then try again"), null);
                }
                return new KerberosLogin(null, null, null, new KerberosStatus(principal, KerberosMode.NATIVE,
                        "the system's GSS library (default cache)", null, expires, null));
            } finally {
                credential.dispose();
            }
        } catch (GSSException e) {
            throw new KerberosException(KerberosErrors.diagnose(e, settings.errorContext(null, "the system's default cache"))
                    .orElse(new Diagnosis("the system's GSS library found no Kerberos credentials: " + e.getMessage(),
                            "run kinit, then try again")), e);
        }
    }

    @Override
    public String kinitCommand(String principal) {
        return "kinit " + principal;
    }

    /** The library reads its cache itself; firmquery cannot tell whether it holds a fresher ticket. */
    @Override
    public boolean freshTicketPossible(KerberosStatus status) {
        return false;
    }
}
