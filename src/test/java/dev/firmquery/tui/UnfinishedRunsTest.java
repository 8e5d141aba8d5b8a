package dev.firmquery.tui;

import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.app.RunExecutor;
import dev.firmquery.config.AppConfig;
import dev.firmquery.run.ChunkOutcome;
import dev.firmquery.run.RunEngine;
import dev.firmquery.run.RunException;
import dev.firmquery.run.RunListener;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunSetup;
import dev.firmquery.run.RunStatus;
import dev.firmquery.run.store.RunStore;
import dev.firmquery.run.store.UnfinishedRun;
import dev.firmquery.testing.RealRunHarness;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import dev.firmquery.tui.unfinished.UnfinishedRuns;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static dev.firmquery.tui.InputWindowTest.flat;
import static dev.firmquery.tui.ScreenHarness.alt;
import static dev.firmquery.tui.ScreenHarness.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The list of unfinished runs (docs/tui.md, "Unfinished runs": the UI lists them at start and on Alt-U),
 * over run directories the real engine left in the output folder: a run cancelled after its first
 * chunk, a run that ended partial, a completed run kept with --keep-work, and a damaged directory.
 */
class UnfinishedRunsTest {
    private static final Instant TEN = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant FIVE_PAST = Instant.parse("2026-11-22T10:05:00Z");
    private static final String[] SETS = {"processing.chunk_size=5", "processing.retry_delay=0"};

    private static TestPostgres.TestDatabase db;

    @TempDir
    Path dir;

    @AutoClose
    private final RealRunHarness runs = new RealRunHarness();
    private ScreenHarness ui;

    @BeforeAll
    static void database() {
        db = RealRunHarness.firms("tui_unfinished", 40);
    }

    // ---------------------------------------------------------------------------------------------
    // Fixtures: real engine runs against the test PostgreSQL

    private RealRunHarness.Session session(Path out) {
        return runs.session(db, dir).out(out).set(SETS);
    }

    /** IDs 1 to 45; 41 to 45 are not in the table (missing). */
    private Path ids() throws IOException {
        Path ids = dir.resolve("ids.txt");
        return Files.exists(ids) ? ids : RealRunHarness.ids(ids, 1, 45);
    }

    /** Firm names, a fifth of a second per chunk: 9 chunks of 5 IDs on 2 workers. */
    private Path slowQuery() throws IOException {
        Path q = dir.resolve("slow_names.sql");
        Files.writeString(q, """
                -- Firm names, a fifth of a second per chunk.
                WITH pause AS MATERIALIZED (SELECT pg_sleep(0.2))
                SELECT t1.firm_root_id, t1.firm_name
                FROM firm t1
                CROSS JOIN pause
                WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})
                ORDER BY t1.firm_root_id
                """);
        return q;
    }

    /** Firm names; the chunk with firm 17 fails (division by zero) every time: the table fixed stays empty. */
    private Path fragileQuery() throws IOException {
        return Files.writeString(dir.resolve("fragile.sql"), RealRunHarness.FRAGILE);
    }

    private RunRequest prepare(Path query, Path out, Instant at) throws IOException, RunException {
        AppConfig cfg = session(out).config();
        return new RunSetup(cfg, RunSetup.queryRoots(TestConfigs.home()), Clock.fixed(at, ZoneOffset.UTC))
                .prepare(RunSetup.Choices.of(ids(), query.toString(), out));
    }

    /** Runs {@code request} on the engine; cancels it when its first chunk has finished if {@code cancel}. */
    private RunReport execute(RunRequest request, boolean cancel) throws RunException, InterruptedException {
        AtomicReference<RunEngine> engine = new AtomicReference<>();
        RunListener listener = new RunListener() {
            @Override
            public void chunkFinished(int worker, ChunkOutcome outcome) {
                if (cancel) {
                    engine.get().cancel();
                }
            }
        };
        engine.set(new RunEngine(session(dir.resolve("out")).pool(), listener, new SplittableRandom(5), Clock.systemUTC()));
        return engine.get().execute(request);
    }

    private RunReport cancelledRun(Path out, Instant at) throws Exception {
        RunReport r = execute(prepare(slowQuery(), out, at), true);
        assertEquals(RunStatus.CANCELLED, r.status(), "the fixture: a cancelled run");
        assertTrue(r.chunks().notRun() > 0, "the fixture: chunks left to run");
        return r;
    }

    private RunReport partialRun(Path out, Instant at) throws Exception {
        RunReport r = execute(prepare(fragileQuery(), out, at), false);
        assertEquals(RunStatus.PARTIAL, r.status(), "the fixture: a partial run");
        return r;
    }

    private RunReport completedRunKept(Path out, Instant at) throws Exception {
        RunReport r = execute(prepare(slowQuery(), out, at).withKeepWork(true), false);
        assertEquals(RunStatus.COMPLETED, r.status(), "the fixture: a completed run");
        assertTrue(Files.isDirectory(r.run().workDirectory()), "--keep-work kept " + r.run().workDirectory());
        return r;
    }

    private ScreenHarness open(Path out, RunExecutor.Factory runners) {
        ui = session(out).open(ScreenHarness::new, runners);
        return ui;
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    @DisplayName("at start the UI lists two unfinished runs; Resume finishes one to a CSV identical to an uninterrupted run's")
    void listAtStartAndResume() throws Exception {
        Path out = dir.resolve("out");
        RunReport cancelled = cancelledRun(out, TEN);
        RunReport partial = partialRun(out, FIVE_PAST);
        RunReport reference = execute(prepare(slowQuery(), dir.resolve("ref"), TEN), false);
        assertEquals(RunStatus.COMPLETED, reference.status());

        ui = session(out).open(ScreenHarness::new);
        String screen = ui.awaitText("Unfinished runs");
        assertTrue(flat(screen).contains("2 unfinished runs in " + out + " (newest first):"), screen);
        String partialRow = line(screen, partial.runId());
        String cancelledRow = line(screen, cancelled.runId());
        assertTrue(flat(partialRow).contains("fragile ids.txt 8/9 partial"), partialRow);
        assertTrue(flat(cancelledRow).matches(".*slow_names ids.txt [1-8]/9 cancelled.*"), cancelledRow);
        assertTrue(screen.indexOf(partial.runId()) < screen.indexOf(cancelled.runId()), "newest first:\n" + screen);
        assertTrue(flat(screen).contains("Chunks 8 of 9 done, 1 failed, 0 not run; Resume runs the 1 left"),
                "the newest run's details:\n" + screen);
        assertTrue(flat(screen).contains("Status partial: 1 chunk failed after the retries"), screen);
        assertTrue(screen.contains("<Resume (r)>") && screen.contains("<Delete (d)>") && screen.contains("<Later (l/Esc)>"),
                screen);

        ui.press(KeyType.ArrowDown);
        screen = ui.text();
        assertTrue(flat(screen).contains("Run " + cancelled.runId() + ", started "), screen);
        assertTrue(flat(screen).contains("Status cancelled by the user"), screen);
        assertTrue(flat(screen).matches(".*Chunks [1-8] of 9 done, 0 failed, [1-8] not run; Resume runs the [1-8] left.*"),
                screen);
        assertTrue(flat(screen).contains("Files " + out.resolve("firm_query_20261122_100000") + ".*"), screen);

        ui.press(key('r'));
        screen = ui.awaitText("Run 1: COMPLETED");
        assertTrue(flat(screen).contains("Chunks 9: 9 succeeded, 0 failed, 0 not run"), screen);
        assertArrayEquals(Files.readAllBytes(csv(reference)), Files.readAllBytes(out.resolve("firm_query_20261122_100000.csv")),
                "the resumed run's CSV is byte for byte the uninterrupted run's");
        assertArrayEquals(Files.readAllBytes(missing(reference)),
                Files.readAllBytes(out.resolve("firm_query_20261122_100000_missing.csv")), "and so is the missing list");
        assertFalse(Files.exists(cancelled.run().workDirectory()), "the completed run's working folder is removed");

        ui.press(alt('u'));
        screen = ui.awaitText("1 unfinished run in");
        String list = box(screen, "Unfinished runs");
        assertTrue(list.contains(partial.runId()) && !list.contains(cancelled.runId()), screen);
        ui.press(key('l'));
        assertFalse(ui.text().contains("Unfinished runs"), ui.text());
    }

    @Test
    @DisplayName("a completed run kept with --keep-work is not listed: nothing pops up, and M-u says there is nothing")
    void completedRunIsNotListed() throws Exception {
        Path out = dir.resolve("out");
        completedRunKept(out, TEN);
        assertEquals(List.of(), RunStore.unfinished(out, Set.of()));

        open(out, new ScriptedRunner());
        ui.press(alt('u'));
        String screen = ui.awaitText("No unfinished runs in");
        assertFalse(screen.contains("(newest first)") || screen.contains("1 unfinished run"), screen);
        ui.press(KeyType.Enter);
        assertFalse(ui.text().contains("No unfinished runs"), ui.text());
    }

    @Test
    @DisplayName("a damaged run folder is listed as damaged with only Delete, which removes the folder and keeps the files")
    void damagedRunIsDeletedOnly() throws Exception {
        Path out = dir.resolve("out");
        Path damaged = out.resolve(".firmquery").resolve("20261122_090000-dead");
        Files.createDirectories(damaged.resolve("spool"));
        Files.writeString(damaged.resolve("run.properties"), "format=1\nrun_id=20261122_090000-dead\n");
        Files.writeString(damaged.resolve("spool").resolve("chunk-0000001.spool"), "rows");
        Path published = out.resolve("firm_query_20261122_090000.csv");
        Files.writeString(published, "firm_root_id,firm_name\n1,Firm 1\n");

        open(out, new ScriptedRunner());
        String screen = ui.awaitText("Unfinished runs");
        assertTrue(flat(screen).contains("20261122_090000-dead damaged: cannot read"), screen);
        String list = box(screen, "Unfinished runs");
        // A long path wraps wherever the temporary folder's length puts the edge: compare without blanks.
        assertTrue(unspaced(list).contains(unspaced("Status damaged: cannot read " + damaged + "/run.properties (")),
                screen);
        assertTrue(screen.contains("<Resume: damaged>"), screen);

        ui.press(key('r'));
        assertTrue(ui.text().contains("Unfinished runs"), "Resume is not offered:\n" + ui.text());
        ui.press(key('d'));
        screen = ui.awaitText("Delete run 20261122_090000-dead?");
        assertTrue(unspaced(box(screen, "Delete run")).contains(unspaced("This removes the damaged working folder "
                + damaged + " The files in " + out + " are kept.")), screen);
        ui.press(key('y'));
        screen = ui.awaitText("No unfinished runs in");
        assertTrue(flat(screen).contains("Deleted run 20261122_090000-dead."), screen);
        assertFalse(Files.exists(damaged), "the run folder is deleted");
        assertFalse(Files.exists(out.resolve(".firmquery")), "and the .firmquery folder it leaves empty");
        assertEquals("firm_query_20261122_090000.csv", Files.list(out).map(p -> p.getFileName().toString())
                .collect(Collectors.joining(",")), "the published file is kept");
        assertEquals("firm_query_20261122_090000.csv", published.getFileName().toString());
        assertEquals("firm_root_id,firm_name\n1,Firm 1\n", Files.readString(published));
    }

    @Test
    @DisplayName("deleting a run folder from the list is audited: one line with action delete")
    void deletingIsAudited() throws Exception {
        Path out = dir.resolve("out");
        Path damaged = out.resolve(".firmquery").resolve("20261122_090000-dead");
        Files.createDirectories(damaged);
        Files.writeString(damaged.resolve("run.properties"), "format=1\n");
        try (dev.firmquery.testing.AuditLines audit = dev.firmquery.testing.AuditLines.capture()) {
            open(out, new ScriptedRunner());
            ui.awaitText("Unfinished runs");
            ui.press(key('d'));
            ui.awaitText("Delete run 20261122_090000-dead?");
            ui.press(key('y'));
            ui.awaitText("No unfinished runs in");

            com.fasterxml.jackson.databind.JsonNode line = audit.only();
            assertEquals("delete", line.get("action").asText());
            assertEquals("deleted", line.get("outcome").asText());
            assertEquals("20261122_090000-dead", line.get("run_id").asText());
            assertEquals(damaged.toString(), line.get("directory").asText());
            assertEquals(System.getProperty("user.name"), line.get("os_user").asText());
        }
    }

    @Test
    @DisplayName("eight runs fit at 80x24: six lines show, the list scrolls, and the frame stays visible")
    void manyRunsScroll() throws Exception {
        Path out = dir.resolve("out");
        for (int i = 1; i <= 8; i++) {
            Path d = out.resolve(".firmquery").resolve(String.format("20261122_0900%02d-dead", i));
            Files.createDirectories(d);
            Files.writeString(d.resolve("run.properties"), "format=1\n");
        }
        open(out, new ScriptedRunner());
        String screen = ui.awaitText("Unfinished runs");
        assertTrue(screen.contains("8 unfinished runs in"), screen);
        assertTrue(screen.contains("20261122_090008-dead") && !screen.contains("20261122_090002-dead"),
                "newest first, six lines:\n" + screen);
        assertTrue(ui.row(23).contains("│ idle │"), "the status bar stays on the last row:\n" + screen);
        ui.press(KeyType.End);
        screen = ui.text();
        assertTrue(line(screen, "▸").contains("20261122_090001-dead"), screen);
        assertTrue(flat(screen).contains("Folder " + out.resolve(".firmquery/20261122_090001-dead")), screen);
    }

    @Test
    @DisplayName("Delete asks first; No keeps the run and shows the list again")
    void deleteAsksFirst() throws Exception {
        Path out = dir.resolve("out");
        RunReport partial = partialRun(out, FIVE_PAST);
        open(out, new ScriptedRunner());
        ui.awaitText("Unfinished runs");
        ui.press(key('d'));
        String screen = ui.awaitText("Delete run " + partial.runId() + "?");
        String question = unspaced(box(screen, "Delete run"));
        assertTrue(question.contains(unspaced("run " + partial.runId() + " (fragile, 8 of 9 chunks done) with its journal")),
                screen);
        assertTrue(question.contains(unspaced("resumed: " + partial.run().workDirectory())), screen);
        assertTrue(question.contains(unspaced("The files it already wrote are kept: "
                + out.resolve("firm_query_20261122_100500") + ".*")), screen);
        ui.press(key('n'));
        ui.awaitText("1 unfinished run in");
        assertTrue(Files.isDirectory(partial.run().workDirectory()));
        ui.press(KeyType.Escape);
        assertTrue(flat(ui.text()).contains("1 unfinished run: M-u lists it."), ui.text());
    }

    @Test
    @DisplayName("the list words each run: the ID file by its name, the state in a word, a damaged run with its reason")
    void wording() {
        Path folder = dir.resolve("out/.firmquery/20261122_100000-abcd");
        UnfinishedRun interrupted = new UnfinishedRun(folder, "20261122_100000-abcd", TEN, "slow_names",
                dir.resolve("ids.txt").toString(), dir.resolve("out/firm_query_20261122_100000"), 9, 3, 0,
                UnfinishedRun.State.INTERRUPTED, null);
        UnfinishedRun damaged = new UnfinishedRun(folder, "20261122_100000-abcd", null, null, null, null, 0, 0, 0,
                UnfinishedRun.State.DAMAGED, "cannot read run.properties");

        assertEquals("ids.txt", UnfinishedRuns.inputName(interrupted));
        assertEquals("standard input", UnfinishedRuns.inputName(withInput(interrupted, "-")));
        assertEquals("pasted text", UnfinishedRuns.inputName(withInput(interrupted, "pasted text")));
        assertEquals("", UnfinishedRuns.inputName(damaged));
        assertEquals("interrupted", UnfinishedRuns.status(interrupted));
        assertEquals("damaged: cannot read run.properties", UnfinishedRuns.status(damaged));
        assertEquals(List.of("interrupted", "partial", "failed", "cancelled", "internal error", "in use", "damaged"),
                Arrays.stream(UnfinishedRun.State.values()).map(UnfinishedRuns::label).toList());
    }

    private static UnfinishedRun withInput(UnfinishedRun r, String inputSource) {
        return new UnfinishedRun(r.directory(), r.runId(), r.created(), r.queryName(), inputSource, r.outputs(),
                r.chunks(), r.done(), r.failed(), r.state(), r.problem());
    }

    // ---------------------------------------------------------------------------------------------

    private static String line(String screen, String containing) {
        for (String l : screen.split("\n")) {
            if (l.contains(containing)) {
                return l;
            }
        }
        throw new AssertionError("no line with " + containing + " on the screen:\n" + screen);
    }

    /** {@code text} without any blank, for comparing text whose wrap points depend on a path's length. */
    private static String unspaced(String text) {
        return text.replaceAll("\\s+", "");
    }

    /** The text inside the dialog titled {@code title}, its lines joined with single blanks. */
    private static String box(String screen, String title) {
        String[] rows = screen.split("\n");
        StringBuilder b = new StringBuilder();
        int left = -1;
        int right = -1;
        for (String row : rows) {
            if (left < 0) {
                if (row.contains("── " + title)) {
                    left = row.indexOf('┌');
                    right = row.indexOf('┐');
                }
                continue;
            }
            if (row.length() > left && row.charAt(left) == '└') {
                break;
            }
            b.append(' ').append(row, left + 1, Math.min(right, row.length()));
        }
        if (left < 0) {
            throw new AssertionError("no dialog '" + title + "' on the screen:\n" + screen);
        }
        return b.toString().replaceAll("\\s+", " ").strip();
    }

    private static Path csv(RunReport r) {
        return r.outputs().files().stream().filter(f -> f.kind().equals("results-csv")).findFirst().orElseThrow().path();
    }

    private static Path missing(RunReport r) {
        return r.outputs().files().stream().filter(f -> f.kind().equals("missing")).findFirst().orElseThrow().path();
    }
}
