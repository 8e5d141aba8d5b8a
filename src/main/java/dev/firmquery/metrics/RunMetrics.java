package dev.firmquery.metrics;

import dev.firmquery.chunk.Chunk;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.export.Column;
import dev.firmquery.run.ChunkOutcome;
import dev.firmquery.run.RunListener;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.store.ChunkTiming;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Prometheus metrics of a process's runs, fed by the engine's events: chunks by outcome, rows,
 * IDs, chunk duration, retries by SQLState, outage pauses, the pool's connections by state and its
 * checkout wait, the Kerberos ticket's seconds left, bytes written per file kind, which run it is, and
 * the JVM's own. Names follow the Prometheus conventions (base units, {@code _total} for counters)
 * under {@code firmquery_}. Counters count from the start of the process: a resumed run's earlier
 * sessions are in their own processes' metrics, and the report combines them.
 */
public final class RunMetrics implements RunListener {
    /**
     * Chunk duration buckets, seconds: from a 5 ms chunk of a quiet cluster to the default
     * {@code database.query_timeout} of 300 s.
     */
    private static final double[] DURATION_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
            60, 120, 300};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter chunks;
    private final Counter rows;
    private final Counter ids;
    private final Histogram duration;
    private final Counter retries;
    private final Counter pauses;
    private final Counter poolWait;
    private final Counter written;
    private final Info run;
    private final String version;

    /**
     * @param version       firmquery's version, for {@code firmquery_run_info}
     * @param pool          the pool's state now, or null when there is no pool (no pool gauge)
     * @param ticketExpires when the Kerberos ticket expires, or null without Kerberos (no ticket gauge);
     *                      the supplier may return null (unknown)
     * @param clock         the time the ticket's seconds left are counted from
     */
    public RunMetrics(String version, Supplier<ConnectionPool.PoolState> pool, Supplier<Instant> ticketExpires,
                      Clock clock) {
        this.version = version;
        chunks = Counter.builder().name("firmquery_chunks_total").help("Chunks by outcome")
                .labelNames("outcome").register(registry);
        for (String outcome : List.of("succeeded", "failed", "not_run")) {
            chunks.labelValues(outcome); // present at 0 from the start, so that rate() sees the first one
        }
        rows = Counter.builder().name("firmquery_rows_total").help("Result rows returned").register(registry);
        ids = Counter.builder().name("firmquery_ids_total").help("IDs of the chunks that succeeded or failed")
                .register(registry);
        duration = Histogram.builder().name("firmquery_chunk_duration_seconds")
                .help("Time of a chunk's successful attempt, from asking for a connection to its last row spooled")
                .unit(Unit.SECONDS).classicOnly().classicUpperBounds(DURATION_BUCKETS).register(registry);
        retries = Counter.builder().name("firmquery_retries_total").help("Retried attempts by SQLState")
                .labelNames("sqlstate").register(registry);
        pauses = Counter.builder().name("firmquery_outage_pauses_total")
                .help("Times every worker paused because the database stopped answering").register(registry);
        poolWait = Counter.builder().name("firmquery_pool_wait_seconds_total")
                .help("Time the chunks waited for a pooled connection").unit(Unit.SECONDS).register(registry);
        written = Counter.builder().name("firmquery_written_bytes_total")
                .help("Bytes of the files the runs published, by kind (results-csv, results-xlsx, results-jsonl, "
                        + "missing, failed, report)").unit(Unit.BYTES).labelNames("kind").register(registry);
        run = Info.builder().name("firmquery_run_info").help("The run in progress or the last one")
                .labelNames("version", "query", "run_id").register(registry);
        if (pool != null) {
            GaugeWithCallback.builder().name("firmquery_pool_connections").help("Pooled connections by state")
                    .labelNames("state").callback(cb -> {
                        ConnectionPool.PoolState s = pool.get();
                        cb.call(s.active(), "active");
                        cb.call(s.idle(), "idle");
                        cb.call(s.waiting(), "waiting");
                    }).register(registry);
        }
        if (ticketExpires != null) {
            GaugeWithCallback.builder().name("firmquery_kerberos_ticket_seconds_left")
                    .help("Seconds until the Kerberos ticket expires (negative: expired)").callback(cb -> {
                        Instant expires = ticketExpires.get();
                        if (expires != null) {
                            cb.call(Duration.between(clock.instant(), expires).toSeconds());
                        }
                    }).register(registry);
        }
        JvmMetrics.builder().register(registry);
    }

    /** The registry the exports read. */
    public PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public void runStarted(RunRequest request, List<Column> columns) {
        run.setLabelValues(version, request.template().name(), request.runId());
    }

    @Override
    public void attemptFailed(int worker, Chunk chunk, int attempt, String sqlState) {
        retries.labelValues(ChunkTiming.stateToken(sqlState)).inc();
    }

    @Override
    public void chunkFinished(int worker, ChunkOutcome outcome) {
        switch (outcome.state()) {
            case SUCCEEDED -> {
                chunks.labelValues("succeeded").inc();
                rows.inc(outcome.rows());
                ids.inc(outcome.chunk().size());
                ChunkTiming t = outcome.spooled() == null ? null : outcome.spooled().timing();
                if (t != null) {
                    duration.observe(t.micros() / 1e6);
                    poolWait.inc(t.poolWaitMicros() / 1e6);
                }
            }
            case FAILED -> {
                chunks.labelValues("failed").inc();
                ids.inc(outcome.chunk().size());
            }
            case NOT_RUN -> {
                // Counted from the report at the end: a chunk not run has no worker event of its own.
            }
        }
    }

    @Override
    public void runPaused(String reason) {
        pauses.inc();
    }

    @Override
    public void runFinished(RunReport report) {
        chunks.labelValues("not_run").inc(report.chunks().notRun());
        for (RunReport.OutputFileInfo f : report.outputs().files()) {
            written.labelValues(f.kind()).inc(f.bytes());
        }
    }
}
