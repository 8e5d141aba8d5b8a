package dev.firmquery.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firmquery.demo.DemoData;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.testing.CliHarness;
import dev.firmquery.testing.PrometheusText;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --metrics-file} and {@code --metrics-port} on real runs against PostgreSQL: the file is
 * Prometheus text format whose totals are the report's, and the endpoint answers for the life of the
 * run only.
 */
@DisplayName("Prometheus metrics of a run")
class MetricsRunTest {
    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void database() throws SQLException {
        db = TestPostgres.freshDatabase("metrics");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            DemoData.create(c, 300, 3);
            // About 30 % of statements fail with SQLState 40001, as a CockroachDB restart does.
            s.execute("CREATE FUNCTION flaky() RETURNS int LANGUAGE plpgsql VOLATILE AS $$ BEGIN "
                    + "IF random() < 0.3 THEN RAISE EXCEPTION 'injected restart' USING ERRCODE = '40001'; "
                    + "END IF; RETURN 1; END $$");
        }
    }

    @Test
    @DisplayName("the metrics file parses as the text format, mode 0600, and its totals are the report's")
    void fileTotalsAreTheReports() throws Exception {
        Path query = Files.writeString(tmp.resolve("flaky.sql"), "WITH f AS (SELECT flaky() AS ok)\n"
                + "SELECT t1.firm_root_id, t1.firm_name FROM firm t1, f\n"
                + "WHERE f.ok = 1 AND t1.firm_root_id IN ({ID_PLACEHOLDER}) ORDER BY t1.firm_root_id");
        Path metrics = tmp.resolve("firmquery.prom");
        Path out = tmp.resolve("out");
        CliHarness cli = new CliHarness(tmp);

        ExitCode code = cli.run(TestConfigs.environment(db), "run", "--ids", ids(200).toString(), "--query",
                query.toString(), "--out", out.toString(), "--metrics-file", metrics.toString(),
                "--set", "processing.chunk_size=10", "--set", "processing.retry_delay=0.01",
                "--set", "processing.max_retries=10");

        assertEquals(ExitCode.COMPLETED, code, cli.both());
        PrometheusText text = PrometheusText.parse(Files.readString(metrics));
        JsonNode report = report(out);
        JsonNode chunks = report.get("chunks");
        assertTrue(chunks.get("retries").asLong() > 0, "30 % of 20 statements failed");
        assertEquals(chunks.get("succeeded").asDouble(), text.value("firmquery_chunks_total", "outcome", "succeeded"));
        assertEquals(chunks.get("failed").asDouble(), text.value("firmquery_chunks_total", "outcome", "failed"));
        assertEquals(chunks.get("not_run").asDouble(), text.value("firmquery_chunks_total", "outcome", "not_run"));
        assertEquals(report.get("rows").asDouble(), text.value("firmquery_rows_total"));
        assertEquals(chunks.get("retries").asDouble(), text.value("firmquery_retries_total", "sqlstate", "40001"));
        assertEquals(chunks.get("retries").asDouble(), text.sum("firmquery_retries_total"));
        assertEquals(chunks.get("succeeded").asDouble(), text.value("firmquery_chunk_duration_seconds_count"));
        assertEquals("histogram", text.type("firmquery_chunk_duration_seconds"));
        assertEquals(1.0, text.value("firmquery_run_info", "version", dev.firmquery.run.Version.current(),
                "query", "flaky", "run_id", report.get("run_id").asText()));
        assertNotNull(text.value("firmquery_pool_connections", "state", "idle"));
        assertTrue(text.sum("firmquery_written_bytes_total") > 0);
        assertNotNull(text.value("jvm_threads_current"), "the JVM's metrics");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(metrics)));
        try (Stream<Path> left = Files.list(tmp)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary file left");
        }
    }

    @Test
    @DisplayName("the endpoint answers /metrics during the run and is closed after it")
    void endpointLivesWithTheRun() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path query = Files.writeString(tmp.resolve("slow.sql"), "WITH p AS MATERIALIZED (SELECT pg_sleep(0.1))\n"
                + "SELECT t1.firm_root_id, t1.firm_name FROM firm t1, p\n"
                + "WHERE t1.firm_root_id IN ({ID_PLACEHOLDER}) ORDER BY t1.firm_root_id");
        CliHarness cli = new CliHarness(tmp);
        CompletableFuture<ExitCode> run = CompletableFuture.supplyAsync(() -> cli.run(TestConfigs.environment(db),
                "run", "--ids", idsUnchecked(200), "--query", query.toString(), "--out", tmp.resolve("out").toString(),
                "--metrics-port", Integer.toString(port), "--set", "processing.chunk_size=10"));

        String scraped = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (scraped == null && !run.isDone() && System.nanoTime() < deadline) {
            try {
                scraped = get(port);
            } catch (ConnectException notYet) {
                Thread.sleep(20);
            }
        }
        assertEquals(ExitCode.COMPLETED, run.get(60, TimeUnit.SECONDS), cli.both());
        assertNotNull(scraped, "the endpoint answered during the run (20 chunks of 0.1 s or more)");
        assertNotNull(PrometheusText.parse(scraped).value("firmquery_rows_total"));
        assertThrows(ConnectException.class, () -> get(port), "closed after the run");
    }

    @Test
    @DisplayName("a metrics file in a folder that does not exist stops the run before it starts, with the fix")
    void missingFolder() throws IOException {
        CliHarness cli = new CliHarness(tmp);

        ExitCode code = cli.run(TestConfigs.environment(db), "run", "--ids", ids(20).toString(), "--query",
                "firm_details", "--out", tmp.resolve("out").toString(), "--metrics-file",
                tmp.resolve("nowhere/m.prom").toString());

        assertEquals(ExitCode.USAGE, code, cli.both());
        assertTrue(cli.stderr().contains("does not exist; create it or change output.metrics_file (--metrics-file)"),
                cli.both());
    }

    private static String get(int port) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/metrics").toURL()
                .openConnection();
        c.setConnectTimeout(2_000);
        c.setReadTimeout(5_000);
        try (InputStream in = c.getInputStream()) {
            assertEquals(200, c.getResponseCode());
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    private static JsonNode report(Path out) throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            Path report = files.filter(p -> p.getFileName().toString().endsWith("_report.json")).findFirst()
                    .orElseThrow();
            return new ObjectMapper().readTree(report.toFile());
        }
    }

    private Path ids(int n) throws IOException {
        return Files.writeString(tmp.resolve("ids-" + n + ".txt"), Stream.iterate(0, i -> i + 1).limit(n)
                .map(i -> Long.toString(DemoData.firmId(i))).collect(Collectors.joining("\n")));
    }

    private String idsUnchecked(int n) {
        try {
            return ids(n).toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
