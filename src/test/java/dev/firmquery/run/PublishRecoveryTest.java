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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.firmquery.run.RunOutputs.file;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Publishing a run's files is journalled as an intent before each file appears under its name, so a
 * failure at any step of publishing (a full disk, an I/O error, a name another run took) leaves a run
 * that a resume completes, with the same bytes as a run that never failed. Each step is injected
 * through {@link RunEngine#publishFaultsWith}; against a real PostgreSQL.
 */
@DisplayName("A failure while publishing the files")
class PublishRecoveryTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:15:00Z"), ZoneOffset.UTC);
    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void database() {
        db = TestPostgres.demoDatabase(4_000, 11);
    }

    /** Every step of every file a run without failed chunks publishes, in publishing order. */
    static Stream<Arguments> steps() {
        List<String> kinds = List.of("results-csv", "results-xlsx", "missing", "report");
        Stream<Arguments> perFile = Stream.of(PublishFaults.Step.BEFORE_LINK, PublishFaults.Step.AFTER_LINK,
                PublishFaults.Step.BEFORE_PUBLISHED_LINE).flatMap(s -> kinds.stream().map(k -> Arguments.of(s, k)));
        return Stream.concat(perFile, Stream.of(Arguments.of(PublishFaults.Step.BEFORE_FINISHED_LINE, null)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("steps")
    void aResumeAfterAFailureAtAnyStepOfPublishingCompletesWithTheSameFiles(PublishFaults.Step step, String kind)
            throws Exception {
        Path ids = idFile();
        RunReport clean = execute(setup().prepare(choices(ids, tmp.resolve("clean"))), PublishFaults.NONE);
        RunRequest request = setup().prepare(choices(ids, tmp.resolve("out")));
        AtomicBoolean injected = new AtomicBoolean();

        assertThrows(RunException.class, () -> execute(request, (at, k, path) -> {
            if (at == step && java.util.Objects.equals(k, kind) && injected.compareAndSet(false, true)) {
                throw new IOException("injected: disk failure " + at + " " + k);
            }
        }));
        assertTrue(injected.get(), "the fault was injected");
        Path work = RunStore.pathOf(tmp.resolve("out"), request.runId());

        RunReport resumed = execute(setup().resume(work, false), PublishFaults.NONE);

        assertEquals(RunStatus.COMPLETED, resumed.status());
        assertArrayEquals(Files.readAllBytes(file(clean, "results-csv")), Files.readAllBytes(file(resumed, "results-csv")));
        assertArrayEquals(Files.readAllBytes(file(clean, "missing")), Files.readAllBytes(file(resumed, "missing")));
        assertEquals(RunOutputs.xlsxRows(file(clean, "results-xlsx")), RunOutputs.xlsxRows(file(resumed, "results-xlsx")));
        assertEquals(request.output().baseName(), resumed.outputs().files().get(0).path().getFileName().toString()
                .replace(".csv", ""), "under the run's own names");
        assertEquals(List.of(), leftovers(tmp.resolve("out")), "no temporary file is left");
    }

    @Test
    void aNameAnotherRunTookWhileThisOnePublishedIsLeftAloneAndTheResumeWritesUnderTheNextFreeName() throws Exception {
        Path ids = idFile();
        RunReport clean = execute(setup().prepare(choices(ids, tmp.resolve("clean"))), PublishFaults.NONE);
        RunRequest request = setup().prepare(choices(ids, tmp.resolve("out")));
        Path theirs = request.output().resultCsv();
        byte[] theirBytes = "firm_root_id,other\n1,theirs\n".getBytes(StandardCharsets.UTF_8);

        RunException e = assertThrows(RunException.class, () -> execute(request, (at, k, path) -> {
            if (at == PublishFaults.Step.BEFORE_LINK && "results-csv".equals(k)) {
                Files.write(theirs, theirBytes); // another run, a moment before this one links its file
            }
        }));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());

        RunReport resumed = execute(setup().resume(RunStore.pathOf(tmp.resolve("out"), request.runId()), false),
                PublishFaults.NONE);

        assertEquals(RunStatus.COMPLETED, resumed.status());
        assertArrayEquals(theirBytes, Files.readAllBytes(theirs), "the other run's file is untouched");
        assertEquals(request.output().baseName() + "_2.csv", file(resumed, "results-csv").getFileName().toString());
        assertArrayEquals(Files.readAllBytes(file(clean, "results-csv")), Files.readAllBytes(file(resumed, "results-csv")));
        try (Stream<Path> files = Files.list(tmp.resolve("out"))) {
            assertEquals(List.of(theirs.getFileName().toString()), files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(request.output().baseName() + ".")
                            || n.startsWith(request.output().baseName() + "_m")
                            || n.startsWith(request.output().baseName() + "_r")).toList(),
                    "nothing else is left under the first name: the run's own earlier files were replaced");
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static List<String> leftovers(Path out) throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp-")).toList();
        }
    }

    private Path idFile() throws IOException {
        // 40 IDs, every fifth one unknown: a missing list with content.
        return Files.writeString(tmp.resolve("ids.txt"), Stream.iterate(0, i -> i + 1).limit(40)
                .map(i -> Long.toString(i % 5 == 4 ? 900_000_000L + i : DemoData.firmId(i * 7)))
                .collect(Collectors.joining("\n")));
    }

    private AppConfig config() {
        return TestConfigs.forDatabase(db, tmp, "processing.chunk_size=8", "processing.thread_count=2");
    }

    private RunSetup setup() {
        return new RunSetup(config(), RunSetup.queryRoots(TestConfigs.home()), CLOCK);
    }

    private static RunSetup.Choices choices(Path ids, Path out) {
        return RunSetup.Choices.of(ids, "firm_details", out);
    }

    private RunReport execute(RunRequest request, PublishFaults faults) throws Exception {
        try (ConnectionPool pool = new ConnectionPool(Database.dataSource(config().database(),
                TestConfigs.environment(db)), config().database())) {
            RunEngine engine = new RunEngine(pool, RunListener.NONE, new SplittableRandom(1), Clock.systemUTC());
            engine.publishFaultsWith(faults);
            return engine.execute(request);
        }
    }
}
