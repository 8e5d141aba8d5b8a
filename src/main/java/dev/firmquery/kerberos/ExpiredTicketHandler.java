package dev.firmquery.kerberos;

/**
 * What a run does when its Kerberos ticket has expired and can be neither renewed nor read again: the
 * user has to run {@code kinit}. {@link TicketGuard} calls it on a worker thread before a chunk; the
 * other workers wait meanwhile, so no chunk fails for want of a ticket.
 *
 * <p>Headless runs use {@link HeadlessExpiredTicketHandler} (poll the cache for up to
 * {@code kerberos.expired_wait}, then stop). The full-screen UI implements this interface by showing a
 * dialog on its GUI thread ("Your Kerberos ticket expired. Run {@code <probe.kinitCommand()>} in
 * another pane, then press Enter. [Stop run]"), blocking this call until the user answers: on Enter it
 * calls {@link TicketProbe#tryAgain()} and returns true if that found a ticket (else shows
 * {@link TicketProbe#lastProblem()} and asks again); on Stop, or once {@link TicketProbe#abandoned()},
 * it returns false.
 */
public interface ExpiredTicketHandler {

    /**
     * Waits for the user to get a fresh ticket.
     *
     * @param expired the expired ticket's status (principal, when it expired)
     * @param probe   re-reads the credentials; tells when the run is being cancelled
     * @return true when {@link TicketProbe#tryAgain()} has found a valid ticket and the run goes on; false to
     *         stop the run, which then ends as a partial run that {@code --resume} can finish
     * @throws InterruptedException if the waiting thread is interrupted (treated like false)
     */
    boolean awaitFreshTicket(KerberosStatus expired, TicketProbe probe) throws InterruptedException;

    /**
     * The ticket was renewed, or a fresh one was read, without the user's help. For status displays;
     * called on a worker thread. Does nothing by default.
     */
    default void ticketRenewed(KerberosStatus status) {
    }
}
