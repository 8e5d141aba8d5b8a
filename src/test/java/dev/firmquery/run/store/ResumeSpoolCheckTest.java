package dev.firmquery.run.store;

import dev.firmquery.chunk.Chunk;
import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.db.Database;
import dev.firmquery.demo.DemoData;
import dev.firmquery.run.RunEngine;
import dev.firmquery.run.RunException;
import dev.firmquery.run.RunListener;
import dev.firmquery.run.RunProgress;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunSetup;
import dev.firmquery.run.RunStatus;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

import static dev.firmquery.run.RunOutputs.file;
import static dev.firmquery.run.RunOutputs.xlsxRows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resume trusts a journalled chunk only if its spool ranges are intact ({@link ResumeCheck}): a
 * chunk whose bytes were damaged after it was journalled runs again, and the finished files are
 * byte-identical to those of an uninterrupted run.
 */
@DisplayName("Resume checks the spool ranges of the journalled chunks")
class ResumeSpoolCheckTest {
    private static final int FIRMS = 4_000;
    private static final long SEED = 11;
    private static final int IDS = 200;
    private static final int CHUNK_SIZE = 10;
    private static final String SLOW_DETAILS = dev.firmquery.testing.SlowQueries.SLOW_DETAILS;

    private static TestPostgres.TestDatabase db;
    @TempDir
    static Path shared;
    private static Path template;
    private static Path ids;
    private static RunReport clean;

    @TempDir
    Path tmp;

    /** What happens to one journalled chunk between the sessions. */
    enum Damage {
        /** A byte of its CSV records flips (bad sector, stray write): the CRC-32C no longer matches. */
        CSV_BYTE_FLIPPED,
        /** Its CSV segment lost its tail (the disk filled up, a copy was cut short). */
        CSV_SEGMENT_TRUNCATED,
        /** A byte of its typed spool (for the XLSX) flips: the spool's own checksum fails. */
        TYPED_BYTE_FLIPPED,
        /** Its journal line is a firmquery 0.1.0 line, without ranges: its rows were kept elsewhere. */
        OLD_FORMAT_LINE
    }

    @BeforeAll
    static void cleanRun() throws Exception {
        db = TestPostgres.demoDatabase(FIRMS, SEED);
        template = Files.writeString(shared.resolve("slow.sql"), SLOW_DETAILS);
        ids = idFile(shared.resolve("ids.txt"));
        clean = run(config(shared), shared.resolve("clean"), RunListener.NONE);
        assertEquals(RunStatus.COMPLETED, clean.status());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Damage.class)
    void aJournalledChunkWhoseSpoolIsDamagedRunsAgainAndTheFilesMatchAnUninterruptedRun(Damage damage)
            throws Exception {
        RunReport cancelled = cancelAfter(6, tmp.resolve("out"));
        assertEquals(RunStatus.CANCELLED, cancelled.status());
        Path runDir = cancelled.run().workDirectory();
        JournalState before = Journal.read(runDir.resolve("journal.log"));
        SpooledChunk victim = before.done().values().stream()
                .filter(d -> d.rows() > 0).min((a, b) -> Integer.compare(a.chunk(), b.chunk()))
                .orElseThrow(() -> new AssertionError("no chunk with rows was journalled: " + before.done()));
        assertTrue(before.done().size() < IDS / CHUNK_SIZE, "the run stopped part-way: " + before.done().keySet());

        damage(damage, runDir, victim);
        RunRequest resumed = new RunSetup(config(tmp), RunSetup.queryRoots(TestConfigs.home()), Clock.systemDefaultZone())
                .resume(runDir, false);

        Set<Integer> trusted = resumed.resume().journal().done().keySet();
        assertFalse(trusted.contains(victim.chunk()), "chunk " + victim.chunk() + " is not trusted after " + damage);
        if (damage != Damage.CSV_SEGMENT_TRUNCATED) { // a cut segment also loses the chunks after the victim
            Set<Integer> others = new TreeSet<>(before.done().keySet());
            others.remove(victim.chunk());
            assertEquals(others, new TreeSet<>(trusted), "every intact chunk is reused");
        }

        Set<Integer> started = Collections.synchronizedSet(new HashSet<>());
        RunListener record = new RunListener() {
            @Override
            public void chunkStarted(int worker, Chunk chunk, int attempt) {
                started.add(chunk.number());
            }
        };
        RunReport report = execute(config(tmp), resumed, record);

        assertEquals(RunStatus.COMPLETED, report.status(), String.valueOf(report.outputs().failures()));
        assertTrue(started.contains(victim.chunk()), "the damaged chunk " + victim.chunk() + " ran again: " + started);
        for (int reused : trusted) {
            assertFalse(started.contains(reused), "the intact chunk " + reused + " did not run again");
        }
        assertArrayEquals(Files.readAllBytes(file(clean, "results-csv")), Files.readAllBytes(file(report, "results-csv")),
                "resumed CSV differs from the uninterrupted run's");
        assertArrayEquals(Files.readAllBytes(file(clean, "missing")), Files.readAllBytes(file(report, "missing")));
        assertEquals(xlsxRows(file(clean, "results-xlsx")), xlsxRows(file(report, "results-xlsx")));
    }

    private static void damage(Damage damage, Path runDir, SpooledChunk victim) throws IOException {
        Path spool = runDir.resolve("spool");
        switch (damage) {
            case CSV_BYTE_FLIPPED -> flip(spool.resolve(victim.csv().segment()), victim.csv().offset() + victim.csv().length() / 2);
            case CSV_SEGMENT_TRUNCATED -> {
                try (FileChannel ch = FileChannel.open(spool.resolve(victim.csv().segment()), StandardOpenOption.WRITE)) {
                    ch.truncate(victim.csv().offset() + victim.csv().length() - 1);
                }
            }
            case TYPED_BYTE_FLIPPED -> flip(spool.resolve(victim.typed().segment()),
                    victim.typed().offset() + victim.typed().length() / 2);
            case OLD_FORMAT_LINE -> {
                Path journal = runDir.resolve("journal.log");
                List<String> lines = new ArrayList<>();
                for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                    boolean isVictim = line.substring(9).startsWith("done " + victim.chunk() + " ");
                    lines.add(isVictim ? crcLine("done " + victim.chunk() + " " + victim.rows() + " " + victim.attempts())
                            : line);
                }
                Files.writeString(journal, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            }
        }
    }

    private static void flip(Path file, long position) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[Math.toIntExact(position)] ^= 0x01;
        Files.write(file, bytes);
    }

    private static String crcLine(String event) {
        CRC32 crc = new CRC32();
        crc.update(event.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x %s", crc.getValue(), event);
    }

    // ---------------------------------------------------------------------------------------------
    // Runs

    private static AppConfig config(Path home) {
        return TestConfigs.forDatabase(db, home, "processing.chunk_size=" + CHUNK_SIZE);
    }

    /** {@code IDS} existing firm IDs in a seeded shuffled order, one in ten absent from the database. */
    private static Path idFile(Path file) throws IOException {
        List<Long> list = new ArrayList<>();
        for (int i = 0; i < IDS; i++) {
            list.add(i % 10 == 9 ? 1_000_000_000L + i : DemoData.firmId(i));
        }
        Collections.shuffle(list, new Random(SEED));
        return Files.writeString(file, list.stream().map(String::valueOf).collect(Collectors.joining("\n")));
    }

    private static RunRequest prepare(AppConfig config, Path outDir) throws RunException {
        return new RunSetup(config, RunSetup.queryRoots(TestConfigs.home()), Clock.systemDefaultZone())
                .prepare(RunSetup.Choices.of(ids, template.toString(), outDir));
    }

    private static RunReport run(AppConfig config, Path outDir, RunListener listener) throws Exception {
        return execute(config, prepare(config, outDir), listener);
    }

    private static RunReport execute(AppConfig config, RunRequest request, RunListener listener) throws Exception {
        try (ConnectionPool pool = new ConnectionPool(Database.dataSource(config.database(), TestConfigs.environment(db)),
                config.database())) {
            return new RunEngine(pool, listener, new SplittableRandom(1), Clock.systemUTC()).execute(request);
        }
    }

    /** A run cancelled once {@code chunks} chunks are in the files: its directory stays, resumable. */
    private RunReport cancelAfter(int chunks, Path outDir) throws Exception {
        AppConfig config = config(tmp);
        RunEngine[] engine = new RunEngine[1];
        RunListener cancel = new RunListener() {
            @Override
            public void progress(RunProgress p) {
                if (p.chunksDone() == chunks) {
                    engine[0].cancel();
                }
            }
        };
        RunRequest request = prepare(config, outDir);
        try (ConnectionPool pool = new ConnectionPool(Database.dataSource(config.database(), TestConfigs.environment(db)),
                config.database())) {
            engine[0] = new RunEngine(pool, cancel, new SplittableRandom(1), Clock.systemUTC());
            return engine[0].execute(request);
        }
    }
}
