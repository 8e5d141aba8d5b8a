package dev.firmquery.tui.progress;

import dev.firmquery.db.ConnectionSource;
import dev.firmquery.kerberos.ExpiredTicketHandler;
import dev.firmquery.kerberos.KerberosSession;
import dev.firmquery.kerberos.TicketGuard;
import dev.firmquery.run.RunEngine;
import dev.firmquery.run.RunException;
import dev.firmquery.run.RunListener;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;

import java.time.Clock;
import java.util.SplittableRandom;

/**
 * What runs a prepared request for the UI: the {@link RunEngine} on the session's connection pool.
 * The seam lets screen tests drive the UI with a scripted stream of engine events.
 */
public interface Runner {

    /** Runs {@code request} to the end (see {@link RunEngine#execute}). */
    RunReport execute(RunRequest request) throws RunException, InterruptedException;

    /** Cancels the run from any thread (see {@link RunEngine#cancel}). */
    void cancel();

    /** Makes the runner of one run. */
    interface Factory {
        /**
         * @param listener receives the run's events
         * @param tickets  asks the user for a fresh Kerberos ticket when it expired (unused without Kerberos)
         */
        Runner create(RunListener listener, ExpiredTicketHandler tickets);
    }

    /**
     * Runs on the engine behind a {@link TicketGuard} for {@code kerberos}: each chunk first keeps the
     * ticket alive, and an expired one makes the UI ask for {@code kinit}. Cancel also ends that wait.
     */
    static Factory kerberos(ConnectionSource connections, KerberosSession kerberos) {
        return (listener, tickets) -> {
            TicketGuard guard = new TicketGuard(connections, kerberos, tickets);
            RunEngine engine = new RunEngine(guard, listener, new SplittableRandom(), Clock.systemUTC());
            return new Runner() {
                @Override
                public RunReport execute(RunRequest request) throws RunException, InterruptedException {
                    return engine.execute(request);
                }

                @Override
                public void cancel() {
                    guard.abandonWaits();
                    engine.cancel();
                }
            };
        };
    }

    /** Runs on the engine with connections from {@code connections} (the session's one pool). */
    static Factory engine(ConnectionSource connections) {
        return (listener, tickets) -> {
            RunEngine engine = new RunEngine(connections, listener, new SplittableRandom(), Clock.systemUTC());
            return new Runner() {
                @Override
                public RunReport execute(RunRequest request) throws RunException, InterruptedException {
                    return engine.execute(request);
                }

                @Override
                public void cancel() {
                    engine.cancel();
                }
            };
        };
    }
}
