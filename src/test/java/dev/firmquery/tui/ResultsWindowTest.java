package dev.firmquery.tui;

import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.run.ChunkOutcome;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunStatus;
import dev.firmquery.tui.core.View;
import dev.firmquery.tui.widget.Fmt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static dev.firmquery.tui.InputWindowTest.flat;
import static dev.firmquery.tui.ScreenHarness.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The results window after a scripted run whose files are written by the test. */
class ResultsWindowTest {
    @TempDir
    Path dir;

    private ScreenHarness ui;
    private final ScriptedRunner engine = new ScriptedRunner();

    @AfterEach
    void close() {
        if (ui != null) {
            ui.close();
        }
    }

    /** Runs 1,000 IDs in 10 chunks and ends the run with a partial report: chunks 1-9 succeeded, 10 failed. */
    private RunRequest partialRun() throws IOException {
        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, LongStream.rangeClosed(1001, 2000).mapToObj(Long::toString)
                .collect(Collectors.joining("\n")));
        ui = new ScreenHarness(Sessions.session(dir, Map.of(),
                new TuiSession.Preselection(ids, "firm_names", dir.resolve("out"), null), "processing.chunk_size=100"),
                engine);
        ui.awaitText("Preview: ready to run");
        ui.press(KeyType.F5);
        RunRequest request = engine.awaitRequest();
        Path out = request.output().directory();
        Files.createDirectories(out);
        Path csv = out.resolve(request.output().baseName() + ".csv");
        StringBuilder rows = new StringBuilder("firm_root_id,firm_name,country_code,founded_on,employees,revenue_musd,"
                + "updated_at,id_scheme,id_value,valid_from,is_active\n");
        for (int i = 0; i < 150; i++) {
            rows.append(1001 + i).append(",\"Firm, number ").append(i).append("\",FR,1999-01-01,12,0.5,"
                    + "2024-01-01 10:00:00+00,LEI,LEI").append(i).append(",2020-01-01,true\n");
        }
        Files.writeString(csv, rows);
        Path missing = out.resolve(request.output().baseName() + "_missing.csv");
        Files.writeString(missing, "firm_root_id\n1777\n1888\n");
        Path failed = out.resolve(request.output().baseName() + "_failed.csv");
        Files.writeString(failed, LongStream.rangeClosed(1901, 2000).mapToObj(i -> i + ",10,timeout")
                .collect(Collectors.joining("\n", "firm_root_id,chunk,error\n", "\n")));
        List<RunReport.OutputFileInfo> files = List.of(Reports.file("results-csv", csv, Files.size(csv)),
                Reports.file("missing", missing, Files.size(missing)), Reports.file("failed", failed, Files.size(failed)));
        engine.emit(l -> l.runStarted(request, List.of()));
        for (int n = 1; n <= 9; n++) {
            ChunkOutcome ok = new ChunkOutcome(request.plan().get(n - 1), ChunkOutcome.State.SUCCEEDED, 15, 1,
                    null, null);
            engine.emit(l -> l.chunkFinished(1, ok));
        }
        ChunkOutcome bad = new ChunkOutcome(request.plan().get(9), ChunkOutcome.State.FAILED, 0, 3, "timeout", null);
        engine.emit(l -> l.chunkFinished(2, bad));
        engine.finish(r -> Reports.of(r, RunStatus.PARTIAL, 9, 1, 150, 2, List.of(new RunReport.ChunkFailure(10, 100, 3,
                "chunk 10/10 failed after 3 tries: 57014 canceling statement due to statement timeout")), files,
                out.resolve(".firmquery").resolve(r.runId())));
        return request;
    }

    @Test
    @DisplayName("the summary shows status, counts, duration and every file with its full path and size")
    void summary() throws IOException {
        RunRequest request = partialRun();
        String screen = ui.awaitText("Run 1: PARTIAL in 1:23");
        Path out = request.output().directory();
        String base = request.output().baseName();
        String flat = flat(screen);
        assertTrue(screen.contains("Run 1: PARTIAL in 1:23 (" + request.runId() + ")"), screen);
        assertTrue(flat.contains("Chunks 10: 9 succeeded, 1 failed, 0 not run; 3 retries"), screen);
        assertTrue(flat.contains("Rows 150 missing IDs 2 failed IDs 100"), screen);
        assertTrue(screen.contains(out.resolve(base + ".csv") + " (" + Fmt.bytes(Files.size(out.resolve(base + ".csv")))
                + ")") || screen.contains(base + ".csv (" + Fmt.bytes(Files.size(out.resolve(base + ".csv"))) + ")"),
                screen);
        assertTrue(ui.row(23).contains("run 1 partial"), ui.row(23));
        assertTrue(screen.contains("<2 Failed chunks (1)>"), screen);
    }

    @Test
    @DisplayName("failed chunks, missing IDs and the first rows can be browsed")
    void browseLists() throws IOException {
        partialRun();
        String screen = ui.awaitText("chunk 10: 100 IDs, 3 attempts: chunk 10/10 failed");
        assertTrue(screen.contains("1901  (chunk 10)"), screen);

        ui.press(key('1'));
        screen = ui.awaitText("2 IDs returned no rows");
        assertTrue(screen.contains("\n1777\n") && screen.contains("\n1888\n"), screen);

        ui.press(key('3'));
        screen = ui.awaitText("First 100 of 150 rows");
        assertTrue(screen.contains("firm_root_id") && screen.contains("Firm, number 0"), screen);
        assertFalse(screen.contains("is_active"), "the last column is off screen at first: " + screen);
        for (int i = 0; i < 10; i++) {
            ui.press(KeyType.ArrowRight);
        }
        screen = ui.text();
        assertTrue(screen.contains("is_active") && screen.contains("true"), "scrolled right: " + screen);
    }

    @Test
    @DisplayName("a new run goes back to the input with the same choices")
    void newRun() throws IOException {
        partialRun();
        ui.awaitText("Run 1: PARTIAL");
        ui.press(ScreenHarness.alt('n'));
        assertEquals(View.INPUT, ui.ui.view());
        assertTrue(ui.text().contains("<Run F5/^R>"), ui.text());
        assertTrue(ui.text().contains("F5 runs this one again"), ui.text());
    }

    @Test
    @DisplayName("re-run asks first, naming the failed chunks and the equivalent --retry-failed command")
    void rerunAsks() throws IOException {
        RunRequest request = partialRun();
        ui.awaitText("Run 1: PARTIAL");
        assertTrue(flat(ui.text()).contains("Resume F6 runs the rest; or later: firmquery run --retry-failed"),
                ui.text());
        ui.press(KeyType.F6);
        String screen = flat(ui.text());
        assertTrue(screen.contains("Run 1 (firm_names) left 1 failed chunk (100 IDs)."), screen);
        assertTrue(screen.contains("Same as: firmquery run --retry-failed"), screen);
        assertTrue(screen.contains("/out/.firmquery/"), "the run directory it resumes: " + screen);
        ui.press(key('n'));
        assertFalse(ui.text().contains("Re-run them"), ui.text());
        assertEquals(View.RESULTS, ui.ui.view());
    }
}
