package dev.firmquery.tui;

import dev.firmquery.db.ConnectionSource;
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
interface Runner {

    /** Runs {@code request} to the end (see {@link RunEngine#execute}). */
    RunReport execute(RunRequest request) throws RunException, InterruptedException;

    /** Cancels the run from any thread (see {@link RunEngine#cancel}). */
    void cancel();

    /** Makes the runner of one run, reporting to {@code listener}. */
    interface Factory {
        Runner create(RunListener listener);
    }

    /** Runs on the engine with connections from {@code connections} (the session's one pool). */
    static Factory engine(ConnectionSource connections) {
        return listener -> {
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
