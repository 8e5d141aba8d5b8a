package dev.firmquery.kerberos;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.kerberos.KerberosTicket;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The JAAS login the ticket-cache, keytab and jaas modes share: a {@code LoginContext} over a
 * configuration (generated here for the first two: no file for the user to write), with callbacks
 * that never prompt, and the status of the ticket it got.
 */
final class JaasLogins {
    private static final String KRB5_LOGIN_MODULE = "com.sun.security.auth.module.Krb5LoginModule";
    /**
     * Options every generated entry has: never prompt, reload krb5.conf at login (the documented way,
     * instead of the internal {@code sun.security.krb5.Config.refresh()}), act as the initiator.
     */
    private static final Map<String, String> COMMON_OPTIONS = Map.of(
            "doNotPrompt", "true",
            "refreshKrb5Config", "true",
            "isInitiator", "true");

    private JaasLogins() {
    }

    /** A one-entry JAAS configuration for Krb5LoginModule: {@link #COMMON_OPTIONS} plus the mode's {@code options}. */
    static Configuration generated(Map<String, String> options) {
        Map<String, String> all = new HashMap<>(COMMON_OPTIONS);
        all.putAll(options);
        AppConfigurationEntry[] entries = {new AppConfigurationEntry(KRB5_LOGIN_MODULE,
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.copyOf(all))};
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return entries.clone();
            }
        };
    }

    /**
     * Logs in with {@code entry} of {@code configuration}.
     *
     * @param source where the credentials come from, for the status and the messages
     * @throws KerberosException with the diagnosed cause, or "run firmquery check"
     */
    static KerberosLogin login(KerberosSettings settings, Configuration configuration, String entry, String source)
            throws KerberosException {
        Subject subject = new Subject();
        LoginContext context;
        try {
            context = new LoginContext(entry, subject, new NoPrompts(settings.qualifiedPrincipal()), configuration);
            context.login();
        } catch (LoginException | RuntimeException e) {
            Diagnosis d = KerberosErrors.diagnose(e, settings.errorContext(settings.qualifiedPrincipal(), source))
                    .orElse(new Diagnosis("the Kerberos login from " + source + " failed: " + KerberosErrors.deepest(e),
                            "run firmquery check for a step-by-step diagnosis"));
            throw new KerberosException(d, e);
        }
        KerberosTicket tgt = tgtOf(subject);
        String principal = tgt != null ? tgt.getClient().getName() : principalOf(subject);
        return new KerberosLogin(subject, context, tgt, tgt == null
                ? new KerberosStatus(principal, settings.mode(), source, null, null, null)
                : statusOf(settings.mode(), tgt, principal, source));
    }

    /** The status of a ticket-granting ticket (after a login, or a renewal in place). */
    static KerberosStatus statusOf(KerberosMode mode, KerberosTicket tgt, String principal, String source) {
        Instant start = tgt.getStartTime() != null ? tgt.getStartTime().toInstant()
                : tgt.getAuthTime() == null ? null : tgt.getAuthTime().toInstant();
        Instant renewTill = tgt.isRenewable() && tgt.getRenewTill() != null ? tgt.getRenewTill().toInstant() : null;
        return new KerberosStatus(principal, mode, source, start,
                tgt.getEndTime() == null ? null : tgt.getEndTime().toInstant(), renewTill);
    }

    private static KerberosTicket tgtOf(Subject subject) {
        for (KerberosTicket t : subject.getPrivateCredentials(KerberosTicket.class)) {
            if (t.getServer() != null && t.getServer().getName().startsWith("krbtgt/")) {
                return t;
            }
        }
        return null;
    }

    private static String principalOf(Subject subject) {
        for (KerberosPrincipal p : subject.getPrincipals(KerberosPrincipal.class)) {
            return p.getName();
        }
        return "(unknown principal)";
    }

    /** JAAS callbacks with nobody to ask: the principal name if configured, never a password. */
    private static final class NoPrompts implements CallbackHandler {
        private final String principal;

        NoPrompts(String principal) {
            this.principal = principal;
        }

        @Override
        public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
            for (Callback c : callbacks) {
                if (c instanceof NameCallback n && principal != null) {
                    n.setName(principal);
                } else {
                    throw new UnsupportedCallbackException(c, "firmquery never asks for a Kerberos password; run "
                            + "kinit or use a keytab");
                }
            }
        }
    }
}
