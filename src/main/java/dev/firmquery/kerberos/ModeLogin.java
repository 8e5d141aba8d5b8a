package dev.firmquery.kerberos;

import java.time.Clock;

/**
 * How one {@code kerberos.mode} gets credentials, one class per mode: {@link TicketCacheLogin},
 * {@link KeytabLogin}, {@link JaasFileLogin}, {@link NativeLogin}. {@link KerberosSession} holds the
 * session's state (the current login, renewal, the locks) and asks its mode for the rest.
 */
sealed interface ModeLogin permits TicketCacheLogin, KeytabLogin, JaasFileLogin, NativeLogin {

    /** The login of {@code settings.mode()}. */
    static ModeLogin of(KerberosSettings settings, Clock clock) {
        return switch (settings.mode()) {
            case TICKET_CACHE -> new TicketCacheLogin(settings, clock);
            case KEYTAB -> new KeytabLogin(settings);
            case JAAS -> new JaasFileLogin(settings);
            case NATIVE -> new NativeLogin(settings, clock);
        };
    }

    /**
     * Logs in (or reads the credentials again).
     *
     * @throws KerberosException with the cause and the fix
     */
    KerberosLogin login() throws KerberosException;

    /** The command that gets a fresh ticket for {@code principal} in this mode. */
    String kinitCommand(String principal);

    /**
     * Whether a new login may give a fresher ticket than {@code status}'s when renewing it was not
     * possible: a keytab or a JAAS entry can, a cache can once the user ran kinit, the OS library not.
     */
    boolean freshTicketPossible(KerberosStatus status);
}
