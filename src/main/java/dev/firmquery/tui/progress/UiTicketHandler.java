package dev.firmquery.tui.progress;

import dev.firmquery.kerberos.ExpiredTicketHandler;
import dev.firmquery.kerberos.KerberosStatus;
import dev.firmquery.kerberos.TicketProbe;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The UI's answer to an expired Kerberos ticket (docs/kerberos.md, "The ticket during a run"): the
 * worker that found it waits here while the GUI asks the user to run {@code kinit} in another pane
 * ("Try again" / "Stop the run"); the other workers wait in the ticket guard meanwhile, so no chunk
 * fails. Try again re-reads the credentials and asks again with the reason if there is still no valid
 * ticket. A cancel of the run ends the wait.
 */
final class UiTicketHandler implements ExpiredTicketHandler {
    private static final long POLL_MILLIS = 200;

    /** Shows the question on the GUI thread; the answer (true: try again) goes to {@code answer}. */
    interface Asker {
        /** @return closes the question (called from any thread) when the run is cancelled meanwhile */
        Runnable ask(String title, String text, BlockingQueue<Boolean> answer);
    }

    private final Asker asker;
    private final LiveRun live;

    UiTicketHandler(Asker asker, LiveRun live) {
        this.asker = asker;
        this.live = live;
    }

    @Override
    public boolean awaitFreshTicket(KerberosStatus expired, TicketProbe probe) throws InterruptedException {
        live.note("the Kerberos ticket of " + expired.principal() + " expired; waiting for " + probe.kinitCommand());
        live.waitingForTicket(true);
        try {
            String problem = null;
            while (!probe.abandoned()) {
                BlockingQueue<Boolean> answer = new ArrayBlockingQueue<>(1);
                Runnable close = asker.ask("Kerberos ticket expired", message(expired, probe, problem), answer);
                Boolean tryAgain = null;
                while (tryAgain == null) {
                    tryAgain = answer.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    if (tryAgain == null && probe.abandoned()) {
                        close.run();
                        return false;
                    }
                }
                if (!tryAgain) {
                    live.note("stopping: no new Kerberos ticket; the run can be finished later (F6 or --resume)");
                    return false;
                }
                Optional<KerberosStatus> fresh = probe.tryAgain();
                if (fresh.isPresent()) {
                    live.note("new Kerberos ticket: " + fresh.get().describe(Instant.now(), ZoneId.systemDefault()));
                    return true;
                }
                problem = probe.lastProblem();
            }
            return false;
        } finally {
            live.waitingForTicket(false);
        }
    }

    @Override
    public void ticketRenewed(KerberosStatus status) {
        live.note("Kerberos ticket renewed: " + status.describe(Instant.now(), ZoneId.systemDefault()));
    }

    static String message(KerberosStatus expired, TicketProbe probe, String problem) {
        return "The Kerberos ticket of " + expired.principal() + " expired and could not be renewed. The run is "
                + "waiting; nothing is lost.\n\nIn another terminal or tmux pane, run:\n\n    " + probe.kinitCommand()
                + "\n\nthen press Enter to try again, or stop the run (finish it later with F6)."
                + (problem == null ? "" : "\n\nStill no valid ticket: " + problem);
    }
}
