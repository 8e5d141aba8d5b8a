package dev.firmquery.kerberos;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosTicket;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

/**
 * What one login produced: the Subject, its JAAS context and ticket-granting ticket, and the status.
 * Subject, context and ticket are null in native mode (the operating system's library holds the
 * credentials); the ticket is null when a JAAS entry logs in without one.
 */
record KerberosLogin(Subject subject, LoginContext context, KerberosTicket tgt, KerberosStatus status) {
    // The session's logger: the login's lines read as one component in firmquery.log.
    private static final Logger log = LoggerFactory.getLogger(KerberosSession.class);

    /** Logs out: the tickets are destroyed in memory (the user's cache file is not touched). */
    void logout() {
        if (context == null) {
            return;
        }
        try {
            context.logout();
        } catch (LoginException | RuntimeException e) {
            log.debug("Kerberos logout failed (the tickets are dropped anyway)", e);
        }
    }
}
