package dev.firmquery.app;

import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.exit.CommandFailure;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.metrics.MetricsExport;
import dev.firmquery.metrics.RunMetrics;
import dev.firmquery.kerberos.ExpiredTicketHandler;
import dev.firmquery.run.ChunkExplainer;
import dev.firmquery.run.RunListener;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.Version;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The Prometheus metrics of a session's runs, for both front ends: the UI's session and a batch run
 * several, a headless {@code firmquery run} one. One {@link RunMetrics} hears every run made through
 * {@link #runners}, so the counters add up over the session as Prometheus counters should, and one
 * {@link MetricsExport} writes {@code output.metrics_file} and serves {@code metrics.port} from
 * {@link #start} until {@link #close}, whether a run is going or not. The front ends reach the
 * {@code metrics} package only through this class.
 */
public final class SessionMetrics implements AutoCloseable {
    private final RunMetrics metrics;
    private final MetricsExport export;

    private SessionMetrics(RunMetrics metrics, MetricsExport export) {
        this.metrics = metrics;
        this.export = export;
    }

    /** Metrics for {@code db}'s runs (its pool and Kerberos ticket in the gauges); none when the settings ask for none. */
    public static SessionMetrics start(AppConfig.Metrics settings, DatabaseSession db) throws CommandFailure {
        return start(settings, db::poolState,
                db.kerberos().<Supplier<Instant>>map(k -> () -> k.status().expires()).orElse(null));
    }

    /**
     * Metrics for the runs of a session whose database may be switched: the gauges read the pool and the
     * Kerberos ticket of whichever session is in use.
     */
    public static SessionMetrics start(AppConfig.Metrics settings, SwitchableSession db) throws CommandFailure {
        return start(settings, db::poolState, () -> db.kerberos().map(k -> k.status().expires()).orElse(null));
    }

    /**
     * @param pool          the pool's state now
     * @param ticketExpires when the Kerberos ticket expires, or null without Kerberos
     * @throws CommandFailure {@link ExitCode#USAGE} when the file's folder cannot be written or the port
     *                        cannot be bound, with the setting to change
     */
    static SessionMetrics start(AppConfig.Metrics settings, Supplier<ConnectionPool.PoolState> pool,
                                Supplier<Instant> ticketExpires) throws CommandFailure {
        if (settings.file() == null && settings.port() == 0) {
            return new SessionMetrics(null, null);
        }
        RunMetrics metrics = new RunMetrics(Version.current(), pool, ticketExpires, Clock.systemUTC());
        try {
            return new SessionMetrics(metrics, MetricsExport.start(settings, metrics.registry()));
        } catch (IOException e) {
            throw new CommandFailure(e.getMessage(), ExitCode.USAGE, e);
        }
    }

    /** {@code runners} with every run's events also counted here. */
    public RunExecutor.Factory runners(RunExecutor.Factory runners) {
        if (metrics == null) {
            return runners;
        }
        return new RunExecutor.Factory() {
            @Override
            public RunExecutor create(RunListener listener, ExpiredTicketHandler tickets) {
                return runners.create(RunListener.all(listener, metrics), tickets);
            }

            @Override
            public ChunkExplainer.Explained explain(RunRequest request, int index) throws SQLException {
                return runners.explain(request, index);
            }
        };
    }

    /** The endpoint's port, or 0 without one. */
    public int port() {
        return export == null ? 0 : export.port();
    }

    /** Writes the file a last time and stops the endpoint. */
    @Override
    public void close() throws IOException {
        if (export != null) {
            export.close();
        }
    }
}
