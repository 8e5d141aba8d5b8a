package dev.firmquery.run;

import dev.firmquery.cli.Main;
import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.db.Database;
import dev.firmquery.demo.DemoData;
import dev.firmquery.localpg.PostgresServer;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.testing.CliHarness;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.firmquery.run.RunOutputs.file;
import static dev.firmquery.run.RunOutputs.xlsxRows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault injection against a real PostgreSQL (docs/reliability.md, "Faults and what happens"): killed
 * backends, a killed firmquery process, slow chunks, a database that goes away and comes back, changed
 * inputs on resume. Each faulty run's files are compared with a fault-free run of the same input.
 */
class ReliabilityTest {
    /** The figures docs/reliability.md quotes; grep "figures:" in target/test.log. */
    private static final org.slf4j.Logger figures = org.slf4j.LoggerFactory.getLogger("reliability.figures");
    private static final int FIRMS = 4_000;
    private static final long SEED = 11;
    private static final String SLOW_DETAILS = dev.firmquery.testing.SlowQueries.SLOW_DETAILS;

    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void database() {
        db = TestPostgres.demoDatabase(FIRMS, SEED);
    }

    // ---------------------------------------------------------------------------------------------
    // Resume

    @ParameterizedTest(name = "kill point seed {0}")
    @ValueSource(ints = {1, 2, 3})
    void aRunKilledWithSigkillResumesToByteIdenticalFiles(int seed) throws Exception {
        Path template = Files.writeString(tmp.resolve("slow.sql"), SLOW_DETAILS);
        Path ids = idFile(1_200, 97);
        Path clean = tmp.resolve("clean");
        assertEquals(ExitCode.COMPLETED, firmquery(TestConfigs.environment(db), "run", "--ids", ids.toString(),
                "--query",
                template.toString(), "--out", clean.toString(), "--set", "processing.chunk_size=20"));

        // Kill the process once a seeded number of chunks is journalled: somewhere in the middle.
        int killAfter = 5 + new Random(seed).nextInt(40);
        Path out = tmp.resolve("killed");
        Process p = firmqueryProcess(TestConfigs.environment(db), "run", "--ids", ids.toString(), "--query",
                template.toString(), "--out", out.toString(), "--set", "processing.chunk_size=20");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (journalled(out) < killAfter && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(p.isAlive(), "the run ended before it could be killed");
            new ProcessBuilder("kill", "-KILL", Long.toString(p.pid())).start().waitFor();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        Path runDir = onlyRunDirectory(out);
        int doneBefore = journalled(out);
        assertTrue(doneBefore >= killAfter && doneBefore < 60, "killed mid-run after " + doneBefore + " chunks");

        assertEquals(ExitCode.COMPLETED, firmquery(TestConfigs.environment(db), "run", "--resume",
                runDir.toString()), stderr());

        assertArrayEquals(Files.readAllBytes(only(clean, ".csv")), Files.readAllBytes(only(out, ".csv")),
                "resumed CSV differs from the clean run's");
        figures.info("figures: SIGKILL after {} of 60 chunks journalled, resumed; CSV of {} bytes ({} lines) byte-identical",
                doneBefore, Files.size(only(out, ".csv")), Files.readAllLines(only(out, ".csv")).size());
        assertArrayEquals(Files.readAllBytes(only(clean, "_missing.csv")), Files.readAllBytes(only(out, "_missing.csv")));
        assertEquals(xlsxRows(only(clean, ".xlsx")), xlsxRows(only(out, ".xlsx")), "resumed XLSX rows differ");
        assertTrue(stderr().contains("resume: run"), stderr());
        assertTrue(!Files.exists(runDir), "the completed run's directory is removed");
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(), s.filter(f -> f.getFileName().toString().contains(".tmp-")).toList(),
                    "no temporary file is left behind");
        }
    }

    @Test
    void resumeRefusesWhenTheQueryChangedSinceTheRunStarted() throws Exception {
        Path template = Files.writeString(tmp.resolve("slow.sql"), SLOW_DETAILS);
        Path ids = idFile(400, 5);
        RunReport cancelled = cancelAfter(3, template, ids, tmp.resolve("out"));
        assertEquals(RunStatus.CANCELLED, cancelled.status());

        Files.writeString(template, SLOW_DETAILS.replace("t1.firm_name,", "upper(t1.firm_name) AS firm_name,"));
        ExitCode code = firmquery(TestConfigs.environment(db), "run", "--resume", cancelled.run().workDirectory().toString());

        assertEquals(ExitCode.USAGE, code);
        assertTrue(stderr().contains("changed since run " + cancelled.runId()), stderr());
        assertTrue(stderr().contains("Restore the file, or start a new run"), stderr());
    }

    @Test
    void aCancelledRunKeepsItsDirectoryAndTellsHowToResume() throws Exception {
        Path template = Files.writeString(tmp.resolve("slow.sql"), SLOW_DETAILS);
        RunReport cancelled = cancelAfter(3, template, idFile(400, 5), tmp.resolve("out"));
        assertTrue(Files.isRegularFile(cancelled.run().workDirectory().resolve("journal.log")));
        String report = Files.readString(file(cancelled, "report"));
        assertTrue(report.contains("\"resume_command\": \"firmquery run --resume " + cancelled.run().workDirectory()), report);
    }

    @Test
    void retryFailedRerunsOnlyTheFailedChunks() throws Exception {
        TestPostgres.TestDatabase poisoned = TestPostgres.freshDatabase("poisoned");
        try (Connection c = poisoned.connect(); Statement s = c.createStatement()) {
            DemoData.create(c, 1_000, SEED);
            s.execute("CREATE TABLE poison (id bigint PRIMARY KEY)");
            s.execute("INSERT INTO poison VALUES (" + DemoData.firmId(42) + ")");
        }
        Path template = Files.writeString(tmp.resolve("poison.sql"), """
                SELECT t1.firm_root_id, t1.firm_name,
                       1 / (CASE WHEN EXISTS (SELECT 1 FROM poison p WHERE p.id = t1.firm_root_id) THEN 0 ELSE 1 END) AS ok
                FROM firm t1 WHERE t1.firm_root_id IN ({ID_PLACEHOLDER}) ORDER BY t1.firm_root_id
                """);
        Path ids = idFile(200, 1);
        Map<String, String> env = TestConfigs.environment(poisoned);
        Path out = tmp.resolve("out");
        assertEquals(ExitCode.PARTIAL, firmquery(env, "run", "--ids", ids.toString(), "--query",
                template.toString(), "--out",
                out.toString(), "--set", "processing.chunk_size=20"));
        Path runDir = onlyRunDirectory(out);
        assertTrue(stdout().contains("--retry-failed " + runDir), stdout());
        long doneBefore = journalLines(runDir, "done");

        try (Connection c = poisoned.connect(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM poison");
        }
        assertEquals(ExitCode.COMPLETED, firmquery(env, "run", "--retry-failed", runDir.toString()), stderr());

        Path clean = tmp.resolve("clean");
        assertEquals(ExitCode.COMPLETED, firmquery(env, "run", "--ids", ids.toString(), "--query",
                template.toString(), "--out",
                clean.toString(), "--set", "processing.chunk_size=20"));
        assertArrayEquals(Files.readAllBytes(only(clean, ".csv")), Files.readAllBytes(only(out, ".csv")));
        assertEquals(List.of(), listFiles(out, "_failed.csv"), "the failed list of the partial run is superseded");
        assertEquals(9, doneBefore, "9 of 10 chunks succeeded the first time");
    }

    @Test
    void retryFailedRefusesARunThatWasInterruptedRatherThanFinished() throws Exception {
        Path template = Files.writeString(tmp.resolve("slow.sql"), SLOW_DETAILS);
        RunReport cancelled = cancelAfter(2, template, idFile(400, 5), tmp.resolve("out"));
        assertEquals(ExitCode.USAGE, firmquery(TestConfigs.environment(db), "run", "--retry-failed",
                cancelled.run().workDirectory().toString()));
        assertTrue(stderr().contains("--resume " + cancelled.run().workDirectory()), stderr());
    }

    // ---------------------------------------------------------------------------------------------
    // Faults during a run

    @Test
    void killedBackendsAreRetriedOnNewConnectionsAndTheOutputIsUnchanged() throws Exception {
        Path template = Files.writeString(tmp.resolve("slow.sql"), SLOW_DETAILS);
        Path ids = idFile(1_200, 3);
        AppConfig config = TestConfigs.forDatabase(db, tmp, "processing.chunk_size=20", "processing.retry_delay=0.05",
                "processing.max_retries=5");
        RunReport clean = run(config, ids, template, tmp.resolve("clean"), RunListener.NONE);

        AtomicInteger killed = new AtomicInteger();
        Thread killer = new Thread(() -> {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                for (int round = 0; round < 6; round++) {
                    Thread.sleep(150);
                    try (ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) "
                            + "FROM pg_stat_activity WHERE application_name LIKE 'firmquery/%' AND pid <> pg_backend_pid()")) {
                        rs.next();
                        killed.addAndGet(rs.getInt(1));
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "backend-killer");
        killer.start();
        RunReport faulty;
        try {
            faulty = run(config, ids, template, tmp.resolve("faulty"), RunListener.NONE);
        } finally {
            killer.join(); // never let the killer reach the next test's connections
        }

        assertTrue(killed.get() > 0, "no backend was killed");
        figures.info("figures: {} backends terminated during a 60-chunk run; {} retries; {} rows byte-identical",
                killed.get(), faulty.chunks().retries(), faulty.counts().rows());
        assertEquals(RunStatus.COMPLETED, faulty.status());
        assertTrue(faulty.chunks().retries() > 0, "retries: " + faulty.chunks().retries());
        assertArrayEquals(Files.readAllBytes(file(clean, "results-csv")), Files.readAllBytes(file(faulty, "results-csv")));
    }

    @Test
    void aChunkThatTimesOutIsSplitInHalvesAndCompletes() throws Exception {
        // 0.04 s per row: 80 rows take 3.2 s, over the 2 s timeout; each half (1.6 s) fits.
        Path template = Files.writeString(tmp.resolve("per_row.sql"),
                "SELECT firm_root_id, pg_sleep(0.04) IS NULL AS slept FROM firm WHERE firm_root_id IN ({ID_PLACEHOLDER})"
                        + " ORDER BY firm_root_id");
        Path ids = idFile(80, 8); // 72 existing firms, 8 absent
        RunReport r = run(TestConfigs.forDatabase(db, tmp, "processing.chunk_size=80", "database.query_timeout=2"),
                ids, template, tmp.resolve("out"), RunListener.NONE);
        assertEquals(RunStatus.COMPLETED, r.status());
        assertEquals(72, r.counts().rows());
        assertEquals(1, r.chunks().retries(), "one retry: the split");
    }

    @Test
    void aChunkStillTooSlowAfterTheSplitFailsWithTheTimeoutHint() throws Exception {
        long slow = DemoData.firmId(2);
        Path template = Files.writeString(tmp.resolve("one_slow.sql"),
                "SELECT firm_root_id, CASE WHEN firm_root_id = " + slow + " THEN pg_sleep(3) IS NULL END AS slept"
                        + " FROM firm WHERE firm_root_id IN ({ID_PLACEHOLDER})");
        Path ids = Files.writeString(tmp.resolve("ids.txt"), DemoData.firmId(1) + "\n" + slow + "\n" + DemoData.firmId(3));
        RunReport r = run(TestConfigs.forDatabase(db, tmp, "database.query_timeout=1"), ids, template,
                tmp.resolve("out"), RunListener.NONE);
        assertEquals(RunStatus.FAILED, r.status());
        String error = r.outputs().failures().get(0).error();
        assertTrue(error.contains("57014") && error.contains("even split in two halves")
                && error.contains("database.query_timeout"), error);
    }

    @Test
    void aServerRestartMidRunPausesTheRunWhichThenCompletes() throws Exception {
        try (PostgresServer server = PostgresServer.start(PostgresServer.Options.defaults().withDatabase("restart"))) {
            try (Connection c = server.dataSource().getConnection()) {
                DemoData.create(c, FIRMS, SEED);
            }
            TestPostgres.TestDatabase target = new TestPostgres.TestDatabase(server.database(), server.jdbcUrl(),
                    server.host(), server.port(), server.user(), server.password(), server.dataSource());
            Path template = Files.writeString(tmp.resolve("slow.sql"), SLOW_DETAILS);
            Path ids = idFile(1_200, 4);
            AppConfig config = TestConfigs.forDatabase(target, tmp, "processing.chunk_size=20",
                    "processing.retry_delay=0.2", "processing.outage_wait=60", "database.connection_timeout=2");
            RunReport clean = run(config, ids, template, tmp.resolve("clean"), RunListener.NONE, target);

            AtomicInteger paused = new AtomicInteger();
            RunListener restartAfterTen = new RunListener() {
                @Override
                public void progress(RunProgress p) {
                    if (p.chunksDone() == 10) {
                        Thread t = new Thread(() -> {
                            try {
                                server.stopServer();
                                Thread.sleep(1500);
                                server.startAgain();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }, "restarter");
                        t.start();
                    }
                }

                @Override
                public void runPaused(String reason) {
                    paused.incrementAndGet();
                }
            };
            RunReport faulty = run(config, ids, template, tmp.resolve("faulty"), restartAfterTen, target);

            assertEquals(RunStatus.COMPLETED, faulty.status(), String.valueOf(faulty.outputs().failures()));
            assertTrue(paused.get() >= 1, "the run paused during the outage");
            figures.info("figures: server restarted after 10 of 60 chunks; run paused {} time(s), {} retries, {} rows"
                    + " byte-identical", paused.get(), faulty.chunks().retries(), faulty.counts().rows());
            assertArrayEquals(Files.readAllBytes(file(clean, "results-csv")), Files.readAllBytes(file(faulty, "results-csv")));
        }
    }

    @Test
    void anOutageLongerThanOutageWaitEndsPartialAndResumes() throws Exception {
        try (PostgresServer server = PostgresServer.start(PostgresServer.Options.defaults().withDatabase("outage"))) {
            try (Connection c = server.dataSource().getConnection()) {
                DemoData.create(c, FIRMS, SEED);
            }
            TestPostgres.TestDatabase target = new TestPostgres.TestDatabase(server.database(), server.jdbcUrl(),
                    server.host(), server.port(), server.user(), server.password(), server.dataSource());
            Path template = Files.writeString(tmp.resolve("slow.sql"), SLOW_DETAILS);
            Path ids = idFile(1_200, 6);
            AppConfig config = TestConfigs.forDatabase(target, tmp, "processing.chunk_size=20",
                    "processing.retry_delay=0.2", "processing.outage_wait=2", "database.connection_timeout=1");
            RunReport clean = run(config, ids, template, tmp.resolve("clean"), RunListener.NONE, target);

            RunListener stopAfterTen = new RunListener() {
                @Override
                public void progress(RunProgress p) {
                    if (p.chunksDone() == 10) {
                        new Thread(server::stopServer, "stopper").start();
                    }
                }
            };
            RunReport broken = run(config, ids, template, tmp.resolve("faulty"), stopAfterTen, target);
            assertEquals(RunStatus.PARTIAL, broken.status());
            assertTrue(broken.run().stopReason().contains("processing.outage_wait"), broken.run().stopReason());
            assertTrue(broken.chunks().notRun() > 0);

            server.startAgain();
            assertEquals(ExitCode.COMPLETED, firmquery(TestConfigs.environment(target), "run", "--resume",
                    broken.run().workDirectory().toString()), stderr());
            assertArrayEquals(Files.readAllBytes(file(clean, "results-csv")),
                    Files.readAllBytes(only(tmp.resolve("faulty"), ".csv")));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Hostile input

    @Test
    void hostileInputsAreRefusedAndTheDatabaseIsUnchanged() throws Exception {
        TestPostgres.TestDatabase target = TestPostgres.freshDatabase("hostile");
        try (Connection c = target.connect()) {
            DemoData.create(c, 200, SEED);
        }
        String before = fingerprint(target);
        Map<String, String> env = TestConfigs.environment(target);
        Path out = tmp.resolve("out");

        Path injection = Files.writeString(tmp.resolve("inject.txt"), "1); DROP TABLE firm; --\n"
                + DemoData.firmId(1) + "\n");
        assertEquals(ExitCode.COMPLETED, firmquery(env, "run", "--ids", injection.toString(), "--query",
                "firm_details", "--out",
                out.toString()), stderr());
        // The .txt separators split the fragment into five values, each invalid: none reaches SQL.
        assertTrue(stderr().contains("1 valid, 0 duplicates, 5 invalid"), stderr());

        Path binary = Files.write(tmp.resolve("ids.csv"), new byte[] {0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 1, 2});
        assertEquals(ExitCode.USAGE, firmquery(env, "run", "--ids", binary.toString(), "--query", "firm_details"));

        for (String sql : List.of(
                "SELECT 1 AS firm_root_id WHERE 1 IN ({ID_PLACEHOLDER}); DROP TABLE firm",
                "DELETE FROM firm WHERE firm_root_id IN ({ID_PLACEHOLDER})",
                "WITH d AS (DELETE FROM firm RETURNING firm_root_id) SELECT * FROM d WHERE firm_root_id IN ({ID_PLACEHOLDER})",
                "SELECT firm_root_id FROM firm WHERE firm_name = '{ID_PLACEHOLDER}'",
                "SELECT firm_root_id FROM firm WHERE firm_root_id IN ({ID_PLACEHOLDER}) AND firm_root_id IN ({ID_PLACEHOLDER})")) {
            Path template = Files.writeString(tmp.resolve("hostile.sql"), sql);
            assertEquals(ExitCode.USAGE, firmquery(env, "run", "--ids", injection.toString(), "--query",
                    template.toString(),
                    "--out", out.toString()), sql);
            assertTrue(stderr().contains("hostile.sql:"), "the message names file:line:column for " + sql);
        }
        assertEquals(before, fingerprint(target), "the database was changed");
    }

    @Test
    void anOutputPathThatIsAFileIsRefusedWithThePath() throws Exception {
        Path notADirectory = Files.writeString(tmp.resolve("output"), "x");
        ExitCode code = firmquery(TestConfigs.environment(db), "run", "--ids", idFile(3, 1).toString(), "--query",
                "firm_details", "--out", notADirectory.toString());
        assertEquals(ExitCode.USAGE, code);
        assertTrue(stderr().contains(notADirectory.toString()), stderr());
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    private CliHarness cli;

    /** {@code firmquery args...} in-process, as a user would run it. */
    private ExitCode firmquery(Map<String, String> env, String... args) {
        if (cli == null) {
            cli = new CliHarness(tmp);
        }
        return cli.run(env, args);
    }

    private String stdout() {
        return cli.stdout();
    }

    private String stderr() {
        return cli.stderr();
    }

    private Process firmqueryProcess(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dfirmquery.home=" + TestConfigs.home(),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.environment().put("FIRMQUERY_LOGGING_DIRECTORY", tmp.resolve("logs").toString());
        pb.redirectOutput(tmp.resolve("child-stdout.txt").toFile());
        pb.redirectError(tmp.resolve("child-stderr.txt").toFile());
        return pb.start();
    }

    /** {@code count} existing firm IDs in a seeded shuffled order, plus a few absent ones. */
    private Path idFile(int count, long seed) throws IOException {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(i % 10 == 9 ? 1_000_000_000L + i : DemoData.firmId(i));
        }
        java.util.Collections.shuffle(ids, new Random(seed));
        return Files.writeString(tmp.resolve("ids-" + count + "-" + seed + ".txt"),
                ids.stream().map(String::valueOf).collect(Collectors.joining("\n")));
    }

    private RunReport cancelAfter(int chunks, Path template, Path ids, Path outDir) throws Exception {
        AppConfig config = TestConfigs.forDatabase(db, tmp, "processing.chunk_size=10");
        RunEngine[] engine = new RunEngine[1];
        RunListener cancel = new RunListener() {
            @Override
            public void progress(RunProgress p) {
                if (p.chunksDone() == chunks) {
                    engine[0].cancel();
                }
            }
        };
        RunRequest request = new RunSetup(config, RunSetup.queryRoots(TestConfigs.home()), Clock.systemDefaultZone())
                .prepare(RunSetup.Choices.of(ids, template.toString(), outDir));
        try (ConnectionPool pool = new ConnectionPool(Database.dataSource(config.database(), TestConfigs.environment(db)),
                config.database())) {
            engine[0] = new RunEngine(pool, cancel, new SplittableRandom(1), Clock.systemUTC());
            return engine[0].execute(request);
        }
    }

    private RunReport run(AppConfig config, Path ids, Path template, Path outDir, RunListener listener) throws Exception {
        return run(config, ids, template, outDir, listener, db);
    }

    private RunReport run(AppConfig config, Path ids, Path template, Path outDir, RunListener listener,
                          TestPostgres.TestDatabase target) throws Exception {
        RunRequest request = new RunSetup(config, RunSetup.queryRoots(TestConfigs.home()), Clock.systemDefaultZone())
                .prepare(RunSetup.Choices.of(ids, template.toString(), outDir));
        try (ConnectionPool pool = new ConnectionPool(Database.dataSource(config.database(),
                TestConfigs.environment(target)), config.database())) {
            return new RunEngine(pool, listener, new SplittableRandom(1), Clock.systemUTC()).execute(request);
        }
    }

    private static int journalled(Path out) throws IOException {
        Path root = out.resolve(".firmquery");
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> runs = Files.list(root)) {
            int n = 0;
            for (Path run : runs.toList()) {
                n += (int) journalLines(run, "done");
            }
            return n;
        }
    }

    private static long journalLines(Path runDir, String event) throws IOException {
        Path journal = runDir.resolve("journal.log");
        if (!Files.exists(journal)) {
            return 0;
        }
        return Files.readAllLines(journal).stream().filter(l -> l.length() > 9 && l.substring(9).startsWith(event + " "))
                .count();
    }

    private static Path onlyRunDirectory(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out.resolve(".firmquery"))) {
            List<Path> runs = s.toList();
            assertEquals(1, runs.size(), runs.toString());
            return runs.get(0);
        }
    }

    private static List<Path> listFiles(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().matches("firm_query_\\d{8}_\\d{6}(_\\d+)?"
                    + java.util.regex.Pattern.quote(suffix))).toList();
        }
    }

    private static Path only(Path dir, String suffix) throws IOException {
        List<Path> files = listFiles(dir, suffix);
        assertEquals(1, files.size(), "files ending " + suffix + " in " + dir + ": " + files);
        return files.get(0);
    }


    /** Tables and their row counts: what a hostile template would change. */
    private static String fingerprint(TestPostgres.TestDatabase target) throws Exception {
        try (Connection c = target.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class "
                     + "WHERE relnamespace = 'public'::regnamespace), (SELECT count(*) FROM firm), "
                     + "(SELECT count(*) FROM firm_identifier)")) {
            rs.next();
            return rs.getString(1) + "|" + rs.getLong(2) + "|" + rs.getLong(3);
        }
    }
}
