package dev.firmquery.app;

import dev.firmquery.chunk.Chunk;
import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.exit.CommandFailure;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.run.ChunkOutcome;
import dev.firmquery.run.RunListener;
import dev.firmquery.testing.PrometheusText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metrics of a session of several runs (the UI's): counted over every run made through it, the
 * file written and the endpoint open from start to close, runs or no runs.
 */
class SessionMetricsTest {
    private static final ConnectionPool.PoolState POOL = new ConnectionPool.PoolState(2, 1, 1, 0);

    @TempDir
    Path tmp;

    /** The listeners the runs were given, in order. */
    private final List<RunListener> given = new ArrayList<>();

    private RunExecutor.Factory recording() {
        return (listener, tickets) -> {
            given.add(listener);
            return null; // the test drives the listener itself
        };
    }

    private static void finish(RunListener l, int chunkNumber, long rows) {
        l.chunkFinished(1, new ChunkOutcome(new Chunk(chunkNumber, 0, 10), ChunkOutcome.State.SUCCEEDED, rows, 1,
                null, null));
    }

    @Test
    void theFileCountsEveryRunOfTheSessionAndIsWrittenAtClose() throws Exception {
        Path file = tmp.resolve("firmquery.prom");
        SessionMetrics metrics = SessionMetrics.start(new AppConfig.Metrics(file, 0, "127.0.0.1"), () -> POOL, null);
        RunExecutor.Factory runners = metrics.runners(recording());

        runners.create(RunListener.NONE, null);
        finish(given.get(0), 1, 150);
        runners.create(RunListener.NONE, null);
        finish(given.get(1), 1, 40);
        finish(given.get(1), 2, 2);
        metrics.close();

        PrometheusText text = PrometheusText.parse(Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(192.0, text.value("firmquery_rows_total"));
        assertEquals(3.0, text.value("firmquery_chunks_total", "outcome", "succeeded"));
        assertEquals(1.0, text.value("firmquery_pool_connections", "state", "active"));
    }

    @Test
    void theEndpointAnswersBetweenRunsAndIsClosedAfterTheSession() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        SessionMetrics metrics = SessionMetrics.start(new AppConfig.Metrics(null, port, "127.0.0.1"), () -> POOL, null);
        assertEquals(port, metrics.port());
        metrics.runners(recording()).create(RunListener.NONE, null);
        finish(given.get(0), 1, 7);

        // no run is going: the session's endpoint still answers, with the finished run's counts
        assertEquals(7.0, PrometheusText.parse(get(port)).value("firmquery_rows_total"));
        metrics.close();
        assertThrows(ConnectException.class, () -> get(port));
    }

    @Test
    void withoutAFileOrAPortTheRunnersAreLeftAsTheyAre() throws Exception {
        RunExecutor.Factory runners = recording();
        try (SessionMetrics none = SessionMetrics.start(AppConfig.Metrics.NONE, () -> POOL, null)) {
            assertSame(runners, none.runners(runners));
            assertEquals(0, none.port());
        }
    }

    @Test
    void aFolderThatDoesNotExistFailsTheSessionWithTheSetting() {
        CommandFailure e = assertThrows(CommandFailure.class, () -> SessionMetrics.start(
                new AppConfig.Metrics(tmp.resolve("nowhere/m.prom"), 0, "127.0.0.1"), () -> POOL, null));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("output.metrics_file"), e.getMessage());
    }

    private static String get(int port) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/metrics").toURL()
                .openConnection();
        c.setConnectTimeout(2_000);
        c.setReadTimeout(5_000);
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }
}
