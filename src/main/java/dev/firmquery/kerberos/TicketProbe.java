package dev.firmquery.kerberos;

import java.util.Optional;

/** Given to an {@link ExpiredTicketHandler}: checks for a fresh ticket and for the run being cancelled. */
public interface TicketProbe {
    /**
     * Reads the credentials again (the ticket cache after {@code kinit}, the keytab, the system library)
     * and, if they hold a valid ticket, makes the session use it.
     *
     * @return the new status, or empty (see {@link #lastProblem()})
     */
    Optional<KerberosStatus> tryAgain();

    /** Why the last {@link #tryAgain()} found no valid ticket, one line with the fix; null before any try. */
    String lastProblem();

    /** The command that gets a fresh ticket, e.g. {@code kinit alice@EXAMPLE.COM}, for the message or dialog. */
    String kinitCommand();

    /** True once the run is being cancelled (Ctrl-C, the UI's cancel): stop waiting and return false. */
    boolean abandoned();
}
