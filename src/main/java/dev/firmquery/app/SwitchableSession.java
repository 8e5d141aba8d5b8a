package dev.firmquery.app;

import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.kerberos.ExpiredTicketHandler;
import dev.firmquery.kerberos.KerberosSession;
import dev.firmquery.run.ChunkExplainer;
import dev.firmquery.run.RunException;
import dev.firmquery.run.RunListener;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link DatabaseSession} of a UI session, which the user may replace between runs by switching to
 * another environment ({@code --env}): {@link #switchTo} opens the new session first (a login or set-up
 * that fails leaves the old one in use), then closes the old one, and refuses while a run made through
 * it is executing. Runs, the pool state and the Kerberos login always go to the session in use.
 * Thread-safe.
 */
public final class SwitchableSession implements RunExecutor.Factory, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SwitchableSession.class);

    /** Opens a session for a configuration ({@link DatabaseSession#open}); a seam for tests. */
    @FunctionalInterface
    public interface Opener {
        DatabaseSession open(AppConfig config, Map<String, String> environment) throws SessionException;
    }

    private final Opener opener;
    private final Map<String, String> environment;
    private final AtomicInteger executing = new AtomicInteger();
    private DatabaseSession current;
    private boolean closed;

    private SwitchableSession(Opener opener, Map<String, String> environment, DatabaseSession first) {
        this.opener = opener;
        this.environment = Map.copyOf(environment);
        this.current = first;
    }

    /**
     * Opens the first session ({@link DatabaseSession#open}).
     *
     * @throws SessionException the login or the pool's set-up failed; nothing stays open
     */
    public static SwitchableSession open(AppConfig config, Map<String, String> environment) throws SessionException {
        return open(config, environment, DatabaseSession::open);
    }

    /** As {@link #open(AppConfig, Map)}, opening every session with {@code opener}. */
    public static SwitchableSession open(AppConfig config, Map<String, String> environment, Opener opener)
            throws SessionException {
        return new SwitchableSession(opener, environment, opener.open(config, environment));
    }

    /**
     * Replaces the session in use by one for {@code config}: opens it, then closes the old one (its pool,
     * then its login). Blocks for a Kerberos login, so never on a UI's GUI thread.
     *
     * @throws SessionException     the new session cannot be opened; the old one stays in use
     * @throws IllegalStateException a run is executing (switch after it ends), or this was closed
     */
    public void switchTo(AppConfig config) throws SessionException {
        Objects.requireNonNull(config, "config");
        DatabaseSession old;
        synchronized (this) {
            refuseWhileBusy();
            DatabaseSession next = opener.open(config, environment);
            // Checked again: opening can take seconds (a Kerberos login), and a run may not start meanwhile
            // only because the UI refuses it; this keeps the rule even if a caller does not.
            if (executing.get() > 0) {
                next.close();
                refuseWhileBusy();
            }
            old = current;
            current = next;
        }
        old.close();
        log.info("database session switched to {}", dev.firmquery.db.Database.describe(config.database()));
    }

    private void refuseWhileBusy() {
        if (closed) {
            throw new IllegalStateException("the database session is closed: the UI has ended");
        }
        int n = executing.get();
        if (n > 0) {
            throw new IllegalStateException("cannot switch the database session while " + n
                    + (n == 1 ? " run is" : " runs are") + " executing; wait for it to end or cancel it, then switch");
        }
    }

    private synchronized DatabaseSession current() {
        if (closed) {
            throw new IllegalStateException("the database session is closed: the UI has ended");
        }
        return current;
    }

    @Override
    public RunExecutor create(RunListener listener, ExpiredTicketHandler tickets) {
        RunExecutor run;
        synchronized (this) {
            run = current().create(listener, tickets);
        }
        return new RunExecutor() {
            @Override
            public RunReport execute(RunRequest request) throws RunException, InterruptedException {
                executing.incrementAndGet();
                try {
                    return run.execute(request);
                } finally {
                    executing.decrementAndGet();
                }
            }

            @Override
            public void cancel() {
                run.cancel();
            }
        };
    }

    @Override
    public ChunkExplainer.Explained explain(RunRequest request, int index) throws SQLException {
        return current().explain(request, index);
    }

    /** The pool in use's counts now. */
    public ConnectionPool.PoolState poolState() {
        return current().poolState();
    }

    /** The Kerberos login of the session in use, when its {@code database.auth} is {@code kerberos}. */
    public Optional<KerberosSession> kerberos() {
        return current().kerberos();
    }

    /** Closes the session in use (its runs cancelled, its pool, its login); later calls refuse. */
    @Override
    public void close() {
        DatabaseSession last;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            last = current;
        }
        last.close();
    }
}
