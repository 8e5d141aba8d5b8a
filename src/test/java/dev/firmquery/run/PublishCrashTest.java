package dev.firmquery.run;

import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.db.Database;
import dev.firmquery.demo.DemoData;
import dev.firmquery.run.store.RunStore;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.firmquery.run.RunOutputs.file;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process that dies while it publishes its files (halted at a step, as by SIGKILL: no clean-up at
 * all) leaves a run that a resume completes with the files of a run that never died, and no temporary
 * file. The child is {@link PublishCrash}, a real JVM; against a real PostgreSQL.
 */
@DisplayName("A crash while publishing the files")
class PublishCrashTest {
    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void database() {
        db = TestPostgres.demoDatabase(4_000, 11);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"BEFORE_LINK,results-csv", "AFTER_LINK,results-xlsx", "AFTER_LINK,report",
            "BEFORE_PUBLISHED_LINE,missing", "BEFORE_FINISHED_LINE,-"})
    void aResumeAfterACrashAtAStepOfPublishingCompletesWithTheSameFiles(String step, String kind) throws Exception {
        Path ids = Files.writeString(tmp.resolve("ids.txt"), Stream.iterate(0, i -> i + 1).limit(40)
                .map(i -> Long.toString(i % 5 == 4 ? 900_000_000L + i : DemoData.firmId(i * 7)))
                .collect(Collectors.joining("\n")));
        RunReport clean = execute(new RunSetup(config(), RunSetup.queryRoots(TestConfigs.home()), Clock.systemUTC())
                .prepare(RunSetup.Choices.of(ids, "firm_details", tmp.resolve("clean"))));
        Path out = tmp.resolve("out");

        assertEquals(PublishCrash.HALTED, child(step, kind, ids, out), "the child died at the step: "
                + Files.readString(tmp.resolve("child.txt")));
        Path work;
        try (Stream<Path> runs = Files.list(out.resolve(RunStore.DIR_NAME))) {
            work = runs.findFirst().orElseThrow();
        }
        java.util.Properties manifest = new java.util.Properties();
        try (var r = Files.newBufferedReader(work.resolve("run.properties"))) {
            manifest.load(r);
        }

        RunReport resumed = execute(new RunSetup(config(), RunSetup.queryRoots(TestConfigs.home()), Clock.systemUTC())
                .resume(work, false));

        assertEquals(RunStatus.COMPLETED, resumed.status());
        assertArrayEquals(Files.readAllBytes(file(clean, "results-csv")), Files.readAllBytes(file(resumed, "results-csv")));
        assertArrayEquals(Files.readAllBytes(file(clean, "missing")), Files.readAllBytes(file(resumed, "missing")));
        assertEquals(RunOutputs.xlsxRows(file(clean, "results-xlsx")), RunOutputs.xlsxRows(file(resumed, "results-xlsx")));
        assertEquals(manifest.getProperty("output.base_name") + ".csv", file(resumed, "results-csv").getFileName().toString(),
                "under the run's own names");
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp-")).toList(),
                    "no temporary file is left");
        }
    }

    private int child(String step, String kind, Path ids, Path out) throws IOException, InterruptedException {
        Path home = Files.createDirectories(tmp.resolve("child-home"));
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dfirmquery.home=" + TestConfigs.home(),
                PublishCrash.class.getName(), step, kind, ids.toString(), out.toString(), home.toString()));
        command.addAll(settings());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child.txt").toFile());
        pb.environment().putAll(TestConfigs.environment(db));
        pb.environment().put("FIRMQUERY_LOGGING_DIRECTORY", tmp.resolve("logs").toString());
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child hangs");
            return p.exitValue();
        } finally {
            p.destroyForcibly();
        }
    }

    private static List<String> settings() {
        return List.of("processing.chunk_size=8", "processing.thread_count=2");
    }

    private AppConfig config() {
        return TestConfigs.forDatabase(db, tmp, settings().toArray(String[]::new));
    }

    private RunReport execute(RunRequest request) throws Exception {
        try (ConnectionPool pool = new ConnectionPool(Database.dataSource(config().database(),
                TestConfigs.environment(db)), config().database())) {
            return new RunEngine(pool, RunListener.NONE, new SplittableRandom(1), Clock.systemUTC()).execute(request);
        }
    }
}
