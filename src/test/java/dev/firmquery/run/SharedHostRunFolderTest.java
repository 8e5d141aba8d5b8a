package dev.firmquery.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.db.ConnectionSource;
import dev.firmquery.db.Database;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.run.store.RunStore;
import dev.firmquery.run.store.UnfinishedRun;
import dev.firmquery.testing.OtherOsUser;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Run folders on a shared jump host (docs/reliability.md, "Shared host"): a run folder, its
 * {@code .firmquery} parent and the output folder are trusted only when no other user could have
 * written them, and what a run folder says is checked as strictly as fresh input. The attacker is a
 * real second OS user ({@link OtherOsUser}); the victim is this process (root in CI). Against a real
 * PostgreSQL, whose {@code firm} table counts the chunks that ran.
 */
@DisplayName("Run folders another user could have written")
class SharedHostRunFolderTest {
    private TestPostgres.TestDatabase db;
    private Path shared;

    @BeforeEach
    void setUp() throws Exception {
        OtherOsUser.require();
        db = TestPostgres.freshDatabase("shared_host_runs");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE firm (firm_root_id bigint PRIMARY KEY, firm_name text NOT NULL)");
            s.execute("INSERT INTO firm SELECT i, 'Firm ' || i FROM generate_series(1, 8) AS i");
        }
        // Reachable by the other user (0755 under the temporary folder), unlike a JUnit @TempDir.
        shared = OtherOsUser.sharedDirectory();
    }

    @AfterEach
    void tearDown() throws IOException {
        OtherOsUser.deleteShared(shared);
    }

    // ---------------------------------------------------------------------------------------------
    // Whose folders

    @Test
    void aRunAnotherUserPlantedInASharedOutputFolderIsNeitherListedResumedDeletedNorUsed() throws Exception {
        Path out = sticky(shared.resolve("out"));
        Path planted = plant(out);
        byte[] plantedQuery = Files.readAllBytes(planted.resolve("query.sql"));

        IOException listed = assertThrows(IOException.class, () -> RunStore.unfinished(out, Set.of()));
        assertTrue(listed.getMessage().contains(out.resolve(".firmquery") + " belongs to " + OtherOsUser.NAME
                + ", not to you"), listed.getMessage());
        RunException resumed = assertThrows(RunException.class, () -> setup().resume(planted, false));
        assertEquals(ExitCode.USAGE, resumed.exitCode());
        assertTrue(resumed.getMessage().contains("belongs to " + OtherOsUser.NAME + ", not to you"), resumed.getMessage());
        assertTrue(resumed.getMessage().contains("nothing in it is resumed"), resumed.getMessage());
        UnfinishedRun entry = new UnfinishedRun(planted, "x", null, null, null, null, 0, 0, 0,
                UnfinishedRun.State.DAMAGED, "planted");
        IOException deleted = assertThrows(IOException.class, () -> RunStore.delete(entry));
        assertTrue(deleted.getMessage().contains("nothing in it is deleted"), deleted.getMessage());
        RunException fresh = assertThrows(RunException.class, () -> run(out));
        assertTrue(fresh.getMessage().contains("belongs to " + OtherOsUser.NAME), fresh.getMessage());

        assertArrayEquals(plantedQuery, Files.readAllBytes(planted.resolve("query.sql")), "the planted run is untouched");
        assertEquals(List.of(".firmquery"), names(out), "nothing was written to the output folder");
        assertEquals(0, statementsRun(), "no statement ran");
    }

    @Test
    void aRunFolderInsideTheUsersOwnFirmqueryThatBelongsToAnotherUserIsLeftOutOfTheList() throws Exception {
        Path out = Files.createDirectory(shared.resolve("out"));
        Path mine = cancelledRun(out);
        Path theirs = out.resolve(".firmquery").resolve("20261122_101500-beef");
        copyTree(mine, theirs);
        OtherOsUser.own(theirs);

        List<UnfinishedRun> listed = RunStore.unfinished(out, Set.of());

        assertEquals(List.of(mine), listed.stream().map(UnfinishedRun::directory).toList());
        assertThrows(RunException.class, () -> setup().resume(theirs, false));
        assertTrue(Files.isDirectory(theirs));
    }

    @Test
    void aRunFolderOfTheUsersOwnThatItsGroupCanWriteIsRefusedWithTheChmodFixAndResumesOnceFixed() throws Exception {
        Path out = Files.createDirectory(shared.resolve("out"));
        Path work = cancelledRun(out);
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwx---"));

        RunException e = assertThrows(RunException.class, () -> setup().resume(work, false));
        assertTrue(e.getMessage().contains("can be written by its group (mode 0770)"), e.getMessage());
        assertTrue(e.getMessage().contains("chmod 700 " + work), e.getMessage());
        assertEquals(List.of(), RunStore.unfinished(out, Set.of()), "not listed either");

        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx------"));
        assertEquals(RunStatus.COMPLETED, execute(setup().resume(work, false)).status());
    }

    @Test
    void aSymbolicLinkInPlaceOfARunFolderIsRefused() throws Exception {
        Path out = Files.createDirectory(shared.resolve("out"));
        Path work = cancelledRun(out);
        Path link = Files.createSymbolicLink(work.resolveSibling("20261122_101500-beef"), work);

        RunException e = assertThrows(RunException.class, () -> setup().resume(link, false));

        assertTrue(e.getMessage().contains(link + " is a symbolic link"), e.getMessage());
    }

    @Test
    void aNewRunFolderAndItsFirmqueryParentAreCreated0700() throws Exception {
        Path out = Files.createDirectory(shared.resolve("out"));
        Path work = cancelledRun(out);

        for (Path p : List.of(out.resolve(".firmquery"), work, work.resolve("spool"))) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p,
                    LinkOption.NOFOLLOW_LINKS)), p.toString());
        }
    }

    @Test
    void anOutputFolderEveryUserCanWriteWithoutTheStickyBitIsRefusedWithTheFix() throws Exception {
        Path out = Files.createDirectory(shared.resolve("out"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));

        RunException e = assertThrows(RunException.class, () -> run(out));

        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("can be written by every user and has no sticky bit (mode 0777)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("chmod +t " + out), e.getMessage());
        assertEquals(List.of(), names(out));
        assertEquals(RunStatus.COMPLETED, run(sticky(shared.resolve("sticky"))).status(), "with the sticky bit it is fine");
    }

    @Test
    void anOutputFolderOfAnotherUserIsRefused() throws Exception {
        Path out = Files.createDirectory(shared.resolve("out"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxr-x"));
        OtherOsUser.own(out);

        RunException e = assertThrows(RunException.class, () -> run(out));

        assertTrue(e.getMessage().contains("the output folder " + out + " belongs to " + OtherOsUser.NAME
                + ", not to you"), e.getMessage());
        assertEquals(List.of(), names(out));
    }

    // ---------------------------------------------------------------------------------------------
    // What a run folder says

    @Test
    void aManifestThatSendsTheFilesToAnotherFolderIsRefused() throws Exception {
        Path out = Files.createDirectory(shared.resolve("out"));
        Path work = cancelledRun(out);
        Path elsewhere = Files.createDirectory(shared.resolve("elsewhere"));
        editManifest(work, "output.directory", elsewhere.toString());

        RunException e = assertThrows(RunException.class, () -> setup().resume(work, false));

        assertTrue(e.getMessage().contains("names the output folder " + elsewhere + ", but the run's folder is in "
                + out), e.getMessage());
        assertEquals(List.of(), names(elsewhere));
    }

    @Test
    void aManifestWithABaseNameOrAModeTheSettingsRefuseIsRefused() throws Exception {
        Path out = Files.createDirectory(shared.resolve("out"));
        Path work = cancelledRun(out);
        String base = manifestValue(work, "output.base_name");

        editManifest(work, "output.base_name", "../../etc/cron.d/x");
        assertTrue(assertThrows(RunException.class, () -> setup().resume(work, false)).getMessage()
                .contains("names the file base name '../../etc/cron.d/x'"));

        editManifest(work, "output.base_name", base);
        editManifest(work, "output.permissions", "rwxrwxrwx");
        String mode = assertThrows(RunException.class, () -> setup().resume(work, false)).getMessage();
        assertTrue(mode.contains("gives the run's files mode 0777, which output.file_mode does not allow"), mode);
    }

    @Test
    void aStoredQueryThatWritesIsRefusedUnlessWritesAreAllowedNow() throws Exception {
        Path out = Files.createDirectory(shared.resolve("out"));
        Path work = cancelledRun(out);
        String writes = "UPDATE firm SET firm_name = 'owned' WHERE firm_root_id IN ({ID_PLACEHOLDER})"
                + " RETURNING firm_root_id, firm_name";
        Files.writeString(work.resolve("query.sql"), writes);
        editManifest(work, "query.text_sha256", sha256(writes.getBytes(StandardCharsets.UTF_8)));

        RunException e = assertThrows(RunException.class, () -> setup().resume(work, false));

        assertTrue(e.getMessage().contains("no longer validates"), e.getMessage());
        assertTrue(e.getMessage().contains("allow_writes"), e.getMessage());
        try (Connection c = db.connect(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM firm WHERE firm_name = 'owned'")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
    }

    @Test
    void aJournalLineNamingAFileThatIsNotOneOfTheRunsOwnNeverGetsItDeleted() throws Exception {
        Path out = Files.createDirectory(shared.resolve("out"));
        Path work = cancelledRun(out);
        Path victim = Files.writeString(shared.resolve("victim.txt"), "keep me");
        Path neighbour = Files.writeString(out.resolve("report_of_someone.csv"), "keep me too");
        appendJournal(work, "published results-csv " + victim);
        appendJournal(work, "published missing " + neighbour);

        RunReport resumed = execute(setup().resume(work, false));

        assertEquals(RunStatus.COMPLETED, resumed.status());
        assertEquals("keep me", Files.readString(victim));
        assertEquals("keep me too", Files.readString(neighbour));
    }

    @Test
    void aResumeRemovesOnlyItsOwnLeftoverTemporaryFilesNotAnotherUsersOfTheSameName() throws Exception {
        Path out = sticky(shared.resolve("out"));
        Path work = cancelledRun(out);
        String base = manifestValue(work, "output.base_name");
        Path mine = Files.writeString(out.resolve("." + base + ".csv.tmp-111"), "left by a killed session");
        Path theirs = Files.writeString(out.resolve("." + base + ".csv.tmp-222"), "another user's run, writing");
        OtherOsUser.own(theirs);

        assertEquals(RunStatus.COMPLETED, execute(setup().resume(work, false)).status());

        assertFalse(Files.exists(mine));
        assertEquals("another user's run, writing", Files.readString(theirs));
    }

    @Test
    void theReportCarriesTheHashOfTheSqlTextThatRan() throws Exception {
        Path out = Files.createDirectory(shared.resolve("out"));
        Path work = cancelledRun(out);
        String ran = Files.readString(work.resolve("query.sql"));

        RunReport resumed = execute(setup().resume(work, false));

        String expected = sha256(ran.getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, resumed.query().textSha256());
        assertEquals(expected, new ObjectMapper().readTree(RunOutputs.file(resumed, "report").toFile())
                .get("query").get("text_sha256").asText());
    }

    // ---------------------------------------------------------------------------------------------
    // Fixtures

    private static Path sticky(Path dir) throws IOException {
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        // Java cannot set the sticky bit; chmod can.
        Process p = new ProcessBuilder("chmod", "1777", dir.toString()).inheritIO().start();
        try {
            assertEquals(0, p.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return dir;
    }

    /**
     * A run folder the other user planted in {@code out}: a copy of a real run of ours (made elsewhere),
     * pointed at {@code out}, with {@code .firmquery} and everything in it theirs.
     */
    private Path plant(Path out) throws Exception {
        Path elsewhere = Files.createDirectory(shared.resolve("template-run"));
        Path source = cancelledRun(elsewhere);
        Path planted = out.resolve(".firmquery").resolve(source.getFileName());
        OtherOsUser.Result mkdir = OtherOsUser.runAs(List.of("mkdir", "-m", "0755", out.resolve(".firmquery").toString()));
        assertEquals(0, mkdir.exitCode(), mkdir.output());
        copyTree(source, planted);
        editManifest(planted, "output.directory", out.toString());
        OtherOsUser.own(out.resolve(".firmquery"));
        statements.set(0); // from here on, a statement would be one the planted run made us run
        return planted;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
                } else if (!p.getFileName().toString().equals("lock")) {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static String manifestValue(Path work, String key) throws IOException {
        java.util.Properties p = new java.util.Properties();
        try (var r = Files.newBufferedReader(work.resolve("run.properties"))) {
            p.load(r);
        }
        return p.getProperty(key);
    }

    private static void editManifest(Path work, String key, String value) throws IOException {
        java.util.Properties p = new java.util.Properties();
        Path f = work.resolve("run.properties");
        try (var r = Files.newBufferedReader(f)) {
            p.load(r);
        }
        p.setProperty(key, value);
        try (var w = Files.newBufferedWriter(f)) {
            p.store(w, null);
        }
    }

    private static void appendJournal(Path work, String event) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(event.getBytes(StandardCharsets.UTF_8));
        Files.writeString(work.resolve("journal.log"), String.format("%08x %s%n", crc.getValue(), event),
                StandardOpenOption.APPEND);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private final AtomicInteger statements = new AtomicInteger();

    private int statementsRun() {
        return statements.get();
    }

    private AppConfig config() {
        return TestConfigs.forDatabase(db, shared, "processing.chunk_size=2", "processing.thread_count=1");
    }

    private RunSetup setup() {
        return new RunSetup(config(), RunSetup.queryRoots(TestConfigs.home()), Clock.systemUTC());
    }

    private Path query() throws IOException {
        Path q = shared.resolve("names.sql");
        if (!Files.exists(q)) {
            Files.writeString(q, "SELECT firm_root_id, firm_name FROM firm WHERE firm_root_id IN ({ID_PLACEHOLDER})"
                    + " ORDER BY firm_root_id");
        }
        return q;
    }

    private RunSetup.Choices choices(Path out) throws IOException {
        Path ids = shared.resolve("ids.txt");
        if (!Files.exists(ids)) {
            Files.writeString(ids, "1\n2\n3\n4\n5\n6\n7\n8\n");
        }
        return RunSetup.Choices.of(ids, query().toString(), out);
    }

    private RunReport run(Path out) throws Exception {
        return execute(setup().prepare(choices(out)));
    }

    /** A run in {@code out} cancelled as its second chunk starts: its folder, resumable. */
    private Path cancelledRun(Path out) throws Exception {
        AtomicReference<RunEngine> engine = new AtomicReference<>();
        AtomicInteger chunks = new AtomicInteger();
        RunReport cancelled = execute(setup().prepare(choices(out)), engine, () -> {
            if (chunks.incrementAndGet() == 2) {
                engine.get().cancel();
            }
        });
        assertEquals(RunStatus.CANCELLED, cancelled.status());
        assertFalse(cancelled.run().workDirectory() == null);
        return cancelled.run().workDirectory();
    }

    private RunReport execute(RunRequest request) throws Exception {
        return execute(request, new AtomicReference<>(), () -> { });
    }

    private RunReport execute(RunRequest request, AtomicReference<RunEngine> engine, Runnable beforeChunk)
            throws Exception {
        try (ConnectionPool pool = new ConnectionPool(Database.dataSource(config().database(),
                TestConfigs.environment(db)), config().database())) {
            engine.set(new RunEngine(new ConnectionSource() {
                @Override
                public Connection getConnection() throws SQLException {
                    return pool.getConnection();
                }

                @Override
                public void beforeChunk() {
                    statements.incrementAndGet();
                    beforeChunk.run();
                }
            }, RunListener.NONE, new SplittableRandom(1), Clock.systemUTC()));
            return engine.get().execute(request);
        }
    }
}
