package dev.firmquery.kerberos;

import dev.firmquery.db.ConnectionSource;
import dev.firmquery.db.RunStoppingException;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The engine's connection source for a Kerberos run: before each chunk takes a connection it keeps the
 * ticket alive ({@link KerberosSession#maintain()}: renew past half-life); when the ticket has expired
 * for good it lets the {@link ExpiredTicketHandler} wait for the user's {@code kinit}, and if none comes
 * it throws {@link RunStoppingException}, which makes the engine stop the run as a partial run that
 * {@code --resume} can finish - finished chunks are kept, no chunk is failed.
 *
 * <p>One guard per run. Once it has stopped the run it keeps refusing, so the other workers stop at once
 * instead of waiting again. Thread-safe.
 */
public final class TicketGuard implements ConnectionSource {
    private final ConnectionSource delegate;
    private final KerberosSession session;
    private final ExpiredTicketHandler handler;
    private final AtomicBoolean abandoned = new AtomicBoolean();
    private final Object waitLock = new Object();
    private volatile String stopped;

    /**
     * @param delegate the pool
     * @param session  the process's Kerberos login
     * @param handler  what to do when the ticket has expired for good (headless or UI)
     */
    public TicketGuard(ConnectionSource delegate, KerberosSession session, ExpiredTicketHandler handler) {
        this.delegate = delegate;
        this.session = session;
        this.handler = handler;
    }

    @Override
    public Connection getConnection() throws SQLException {
        ensureTicket();
        return delegate.getConnection();
    }

    /** The same ticket check as {@link #getConnection()}, for a worker that keeps its connection. */
    @Override
    public void beforeChunk() throws SQLException {
        ensureTicket();
    }

    /**
     * Ends any wait for a new ticket because the run is being cancelled (call it with the engine's
     * {@code cancel()}); a chunk that was waiting is then reported as cancelled, not failed. Safe from any
     * thread, e.g. a signal handler.
     */
    public void abandonWaits() {
        abandoned.set(true);
    }

    /** Why this guard stopped the run, or null if it has not. */
    public String stopReason() {
        return stopped;
    }

    private void ensureTicket() throws SQLException {
        refuseIfStopped();
        KerberosSession.Maintenance m = session.maintain();
        if (m.outcome() == KerberosSession.Outcome.RENEWED) {
            handler.ticketRenewed(m.status());
            return;
        }
        if (m.outcome() == KerberosSession.Outcome.VALID) {
            return;
        }
        synchronized (waitLock) {
            refuseIfStopped();
            // Another worker may have waited for and got a fresh ticket while this one queued here.
            m = session.maintain();
            if (m.outcome() == KerberosSession.Outcome.RENEWED) {
                handler.ticketRenewed(m.status());
            }
            if (m.outcome() != KerberosSession.Outcome.EXPIRED) {
                return;
            }
            KerberosStatus expired = m.status();
            boolean fresh = false;
            if (!abandoned.get()) {
                try {
                    fresh = handler.awaitFreshTicket(expired, new Probe());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw cancelled();
                }
            }
            if (fresh) {
                return;
            }
            if (abandoned.get()) {
                // The user cancelled the run: it ends as cancelled (interrupted), not as a Kerberos stop.
                throw cancelled();
            }
            String problem = session.lastProblem();
            stopped = "the Kerberos ticket of " + expired.principal() + " expired"
                    + (expired.expires() == null ? "" : " at " + KerberosStatus.format(expired.expires(), ZoneId.systemDefault()))
                    + " and could not be renewed, and no new ticket came within kerberos.expired_wait"
                    + (problem == null || problem.contains(" expired") ? "" : " (" + problem + ")")
                    + "; run " + session.kinitCommand() + ", then finish the run with firmquery run --resume";
            throw refusal();
        }
    }

    private void refuseIfStopped() throws RunStoppingException {
        if (stopped != null) {
            throw refusal();
        }
    }

    /** What the engine takes for the user's cancel (SQLState 57014 while cancelling): the chunk is not run. */
    private static SQLException cancelled() {
        return new SQLException("the run was cancelled while waiting for a new Kerberos ticket", "57014");
    }

    private RunStoppingException refusal() {
        return new RunStoppingException(stopped, "28000", null);
    }

    private final class Probe implements TicketProbe {
        @Override
        public Optional<KerberosStatus> tryAgain() {
            return session.relogin();
        }

        @Override
        public String lastProblem() {
            return session.lastProblem();
        }

        @Override
        public String kinitCommand() {
            return session.kinitCommand();
        }

        @Override
        public boolean abandoned() {
            return abandoned.get();
        }
    }
}
