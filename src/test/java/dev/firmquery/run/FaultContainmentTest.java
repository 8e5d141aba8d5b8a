package dev.firmquery.run;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.db.ConnectionSource;
import dev.firmquery.demo.DemoData;
import dev.firmquery.testing.EngineRuns;
import dev.firmquery.testing.EngineRuns.Sources;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.firmquery.run.RunOutputs.file;
import static dev.firmquery.run.RunOutputs.xlsxRows;
import static dev.firmquery.testing.EngineRuns.setup;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a run does when something goes wrong that is neither the database's nor the disk's fault: an
 * unchecked exception or an error in a worker or in the writer (a bug, the JVM failing), and a
 * clean-up that fails after the run completed. Against a real PostgreSQL; every faulty run is
 * resumed and compared byte for byte with a fault-free run of the same input.
 */
class FaultContainmentTest {
    private static final int FIRMS = 4_000;
    private static final long SEED = 11;
    /** A hang is what this guards against: a run that ends at all ends in a few seconds. */
    private static final Duration BOUND = Duration.ofSeconds(60);

    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;

    private ListAppender<ILoggingEvent> engineLog;

    @BeforeAll
    static void database() {
        db = TestPostgres.demoDatabase(FIRMS, SEED);
    }

    @BeforeEach
    void captureEngineLog() {
        engineLog = new ListAppender<>();
        engineLog.start();
        ((Logger) LoggerFactory.getLogger(RunEngine.class)).addAppender(engineLog);
    }

    @AfterEach
    void releaseEngineLog() {
        ((Logger) LoggerFactory.getLogger(RunEngine.class)).detachAppender(engineLog);
    }

    // ---------------------------------------------------------------------------------------------
    // A worker

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"runtime-exception", "error"})
    void anUncheckedThrowableInAWorkerEndsTheRunAsAResumableInternalError(String kind) throws Exception {
        // 100 chunks: more than the workers may run ahead of the writer (ChunkBoard.LOOKAHEAD_CHUNKS), so a
        // worker dying on chunk 6 used to leave the writer waiting for it and the other worker waiting for room.
        Path ids = idFile(400);
        AppConfig config = config("processing.chunk_size=4", "processing.thread_count=2");
        RunReport clean = run(config, ids, tmp.resolve("clean"), pool -> pool, RunListener.NONE);
        Supplier<Throwable> injected = kind.equals("error") ? () -> new AssertionError("injected worker error")
                : () -> new IllegalStateException("injected worker bug");

        // The 6th chunk attempt throws in the worker, before its statement: a bug in a per-chunk check.
        AtomicInteger attempts = new AtomicInteger();
        RunReport faulty = run(config, ids, tmp.resolve("faulty"), pool -> new ConnectionSource() {
            @Override
            public Connection getConnection() throws SQLException {
                return pool.getConnection();
            }

            @Override
            public void beforeChunk() {
                if (attempts.incrementAndGet() == 6) {
                    throw sneaky(injected.get());
                }
            }
        }, RunListener.NONE);

        assertEquals(RunStatus.INTERNAL_ERROR, faulty.status());
        assertEquals(dev.firmquery.exit.ExitCode.INTERNAL, faulty.exitCode());
        String cause = kind.equals("error") ? "java.lang.AssertionError: injected worker error"
                : "java.lang.IllegalStateException: injected worker bug";
        assertTrue(faulty.run().stopReason().startsWith("internal error in worker "), faulty.run().stopReason());
        assertTrue(faulty.run().stopReason().contains(cause), faulty.run().stopReason());
        assertTrue(faulty.chunks().notRun() > 0, "the run stopped early");
        assertNoWorkerThreadIsLeft();
        assertLogged(cause);
        assertReportSays(faulty, cause);

        resumeAndCompare(config, faulty, clean);
    }

    // ---------------------------------------------------------------------------------------------
    // The writer

    @Test
    void anUncheckedExceptionInTheWriterEndsTheRunAsAResumableInternalError() throws Exception {
        Path ids = idFile(400);
        AppConfig config = config("processing.chunk_size=4", "processing.thread_count=2");
        RunReport clean = run(config, ids, tmp.resolve("clean"), pool -> pool, RunListener.NONE);

        // The writer thread calls progress() after each chunk it wrote; the 4th call throws.
        AtomicInteger written = new AtomicInteger();
        RunListener failing = new RunListener() {
            @Override
            public void progress(RunProgress p) {
                if (written.incrementAndGet() == 4) {
                    throw new IllegalArgumentException("injected writer bug");
                }
            }
        };
        Path out = tmp.resolve("faulty");
        RunReport faulty = run(config, ids, out, pool -> pool, failing);

        assertEquals(RunStatus.INTERNAL_ERROR, faulty.status());
        assertEquals(dev.firmquery.exit.ExitCode.INTERNAL, faulty.exitCode());
        String cause = "java.lang.IllegalArgumentException: injected writer bug";
        assertTrue(faulty.run().stopReason().startsWith("internal error while writing the output files: " + cause),
                faulty.run().stopReason());
        assertEquals(List.of("report"), faulty.outputs().files().stream().map(RunReport.OutputFileInfo::kind).toList(),
                "the half-written result files are discarded; the report says what happened");
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(faulty.outputs().files().get(0).path().getFileName().toString()),
                    s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList(),
                    "no result file and no temporary file is left");
        }
        assertNoWorkerThreadIsLeft();
        assertLogged(cause);
        assertReportSays(faulty, cause);

        resumeAndCompare(config, faulty, clean);
    }

    // ---------------------------------------------------------------------------------------------
    // The clean-up

    @Test
    void aCompletedRunWhoseWorkDirectoryCannotBeRemovedStaysCompletedWithAWarning() throws Exception {
        Path ids = idFile(120);
        AppConfig config = config("processing.chunk_size=10");
        RunRequest request = setup(config).prepare(choices(ids, tmp.resolve("out")));
        List<Path> openAtCleanUp = new ArrayList<>();
        AtomicReference<RunReport> finished = new AtomicReference<>();
        RunReport report;
        try (ConnectionPool pool = EngineRuns.pool(config, db)) {
            RunEngine engine = new RunEngine(pool, new RunListener() {
                @Override
                public void runFinished(RunReport r) {
                    finished.set(r);
                }
            }, new SplittableRandom(1), Clock.systemUTC());
            engine.removeWorkWith(dir -> {
                openAtCleanUp.addAll(openFilesUnder(dir));
                // What NFS does to a folder whose files are still open somewhere: they become .nfsXXXX files.
                throw new IOException(dir.resolve("spool/.nfs0000000000a1b2c300000001") + ": Device or resource busy");
            });
            report = engine.execute(request);
        }

        assertEquals(List.of(), openAtCleanUp, "everything in the run directory is closed before it is removed");
        assertEquals(RunStatus.COMPLETED, report.status());
        assertEquals(dev.firmquery.exit.ExitCode.COMPLETED, report.exitCode());
        Path workDir = dev.firmquery.run.store.RunStore.pathOf(tmp.resolve("out"), request.runId());
        assertEquals(1, report.outputs().warnings().size(), report.outputs().warnings().toString());
        String warning = report.outputs().warnings().get(0);
        assertTrue(warning.contains("could not be removed") && warning.contains(workDir.toString())
                && warning.contains("Device or resource busy") && warning.contains("rm -r " + workDir), warning);
        assertEquals(report, finished.get(), "the UI and the summary get the report with the warning");
        JsonNode json = new ObjectMapper().readTree(file(report, "report").toFile());
        assertEquals("completed", json.get("status").asText());
        assertEquals(warning, json.get("warnings").get(0).asText(), "the report on disk has the warning too");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file(report, "report"))));
        try (Stream<Path> s = Files.list(tmp.resolve("out"))) {
            assertEquals(List.of(), s.filter(f -> f.getFileName().toString().contains(".tmp-")).toList());
        }
        assertEquals(12, report.chunks().succeeded(), "every chunk ran");
    }

    // ---------------------------------------------------------------------------------------------

    private void resumeAndCompare(AppConfig config, RunReport faulty, RunReport clean) throws Exception {
        assertTrue(Files.isDirectory(faulty.run().workDirectory()), "the run directory is kept for the resume");
        JsonNode json = new ObjectMapper().readTree(file(faulty, "report").toFile());
        assertEquals("firmquery run --resume " + faulty.run().workDirectory(), json.get("resume_command").asText());

        RunRequest resume = setup(config).resume(faulty.run().workDirectory(), false);
        RunReport resumed;
        try (ConnectionPool pool = EngineRuns.pool(config, db)) {
            resumed = new RunEngine(pool, RunListener.NONE, new SplittableRandom(1), Clock.systemUTC()).execute(resume);
        }
        assertEquals(RunStatus.COMPLETED, resumed.status());
        assertArrayEquals(Files.readAllBytes(file(clean, "results-csv")), Files.readAllBytes(file(resumed, "results-csv")),
                "the resumed CSV is byte-identical to a fault-free run's");
        assertArrayEquals(Files.readAllBytes(file(clean, "missing")), Files.readAllBytes(file(resumed, "missing")));
        assertEquals(xlsxRows(file(clean, "results-xlsx")), xlsxRows(file(resumed, "results-xlsx")));
        assertEquals(clean.counts().rows(), resumed.counts().rows());
    }

    private static void assertReportSays(RunReport faulty, String cause) throws IOException {
        JsonNode json = new ObjectMapper().readTree(file(faulty, "report").toFile());
        assertEquals("internal_error", json.get("status").asText());
        assertTrue(json.get("stop_reason").asText().contains(cause), json.toString());
    }

    private void assertLogged(String cause) {
        List<ILoggingEvent> errors = engineLog.list.stream()
                .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR && e.getThrowableProxy() != null)
                .toList();
        assertFalse(errors.isEmpty(), "the internal error is logged with its stack trace");
        ILoggingEvent first = errors.get(0);
        assertEquals(cause, first.getThrowableProxy().getClassName() + ": " + first.getThrowableProxy().getMessage());
        assertTrue(first.getThrowableProxy().getStackTraceElementProxyArray().length > 0);
    }

    private static void assertNoWorkerThreadIsLeft() {
        List<String> alive = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("firmquery-worker-")).map(Thread::getName).toList();
        assertEquals(List.of(), alive, "the workers are cancelled and joined before the run returns");
    }

    /** Files this process holds open under {@code dir} (Linux: the links in /proc/self/fd). */
    private static List<Path> openFilesUnder(Path dir) {
        List<Path> open = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.startsWith(dir)) {
                        open.add(target);
                    }
                } catch (IOException e) {
                    // closed meanwhile (the listing's own descriptor)
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc/self/fd", e);
        }
        return open;
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }

    private Path idFile(int n) throws IOException {
        return Files.writeString(tmp.resolve("ids-" + n + ".txt"), Stream.iterate(0, i -> i + 1).limit(n)
                .map(i -> Long.toString(DemoData.firmId(i * 7))).collect(Collectors.joining("\n")));
    }

    private AppConfig config(String... overrides) {
        return TestConfigs.forDatabase(db, tmp, overrides);
    }

    private static RunSetup.Choices choices(Path ids, Path out) {
        return RunSetup.Choices.of(ids, "firm_details", out);
    }

    private RunReport run(AppConfig config, Path ids, Path out, Sources sources, RunListener listener) throws Exception {
        RunRequest request = setup(config).prepare(choices(ids, out));
        try (ConnectionPool pool = EngineRuns.pool(config, db)) {
            RunEngine engine = new RunEngine(sources.wrap(pool), listener, new SplittableRandom(1), Clock.systemUTC());
            return assertTimeoutPreemptively(BOUND, () -> engine.execute(request),
                    "the run hangs: a dead worker or writer must end it");
        }
    }
}
