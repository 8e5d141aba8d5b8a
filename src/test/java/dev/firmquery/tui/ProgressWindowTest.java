package dev.firmquery.tui;

import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.chunk.Chunk;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.run.ChunkOutcome;
import dev.firmquery.run.RunProgress;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunStatus;
import dev.firmquery.tui.core.View;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static dev.firmquery.tui.InputWindowTest.flat;
import static dev.firmquery.tui.ScreenHarness.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The progress window fed by a scripted stream of engine events through the UI's listener: 1,000
 * IDs in 10 chunks of 100 on two workers.
 */
class ProgressWindowTest {
    @TempDir
    Path dir;

    private ScreenHarness ui;
    private final ScriptedRunner engine = new ScriptedRunner();
    private RunRequest request;

    @BeforeEach
    void startRun() throws IOException {
        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, LongStream.rangeClosed(1001, 2000).mapToObj(Long::toString)
                .collect(Collectors.joining("\n")));
        ui = new ScreenHarness(Sessions.session(dir, java.util.Map.of(),
                new TuiSession.Preselection(ids, "firm_names", dir.resolve("out"), null),
                "processing.chunk_size=100"), engine);
        ui.awaitText("Preview: ready to run");
        ui.press(KeyType.F5);
        request = engine.awaitRequest();
    }

    @AfterEach
    void close() {
        ui.close();
    }

    private Chunk chunk(int n) {
        return request.plan().get(n - 1);
    }

    private ChunkOutcome succeeded(int n, long rows) {
        return new ChunkOutcome(chunk(n), ChunkOutcome.State.SUCCEEDED, rows, 1, null, null);
    }

    @Test
    @DisplayName("progress events show the bar, chunk/ID/row counts, the workers and the recent chunk events")
    void progressFromEvents() {
        assertEquals(10, request.plan().size());
        engine.emit(l -> l.runStarted(request, List.of()));
        engine.emit(l -> l.chunkStarted(1, chunk(1), 1));
        engine.emit(l -> l.chunkStarted(2, chunk(2), 1));
        engine.emit(l -> l.chunkFinished(1, succeeded(1, 150)));
        engine.emit(l -> l.chunkStarted(1, chunk(3), 1));
        engine.emit(l -> l.chunkRetrying(2, chunk(2), 1, "40001 could not serialize access", Duration.ofSeconds(5)));
        engine.emit(l -> l.progress(new RunProgress(10, 1, 0, 1000, 100, 150, 1, Duration.ofSeconds(2))));
        String screen = ui.awaitText("Chunks 1/10");
        assertTrue(screen.contains("IDs 100 of 1,000   Rows 150"), screen);
        assertTrue(screen.contains("10%]") || screen.contains(" 10%"), screen);
        assertTrue(screen.contains("Retries 1   State running"), screen);
        String flat = flat(screen);
        assertTrue(flat.contains("1 3/10 100 1/3"), "worker 1 on chunk 3: " + screen);
        assertTrue(flat.contains("2 2/10 100 1/3") && flat.contains("retry in"), "worker 2 waiting to retry: " + screen);
        assertTrue(screen.contains("12:00:00 chunk 1/10 done: 100 IDs, 150 rows"), screen);
        assertTrue(screen.contains("12:00:00 chunk 2/10 retrying after attempt 1 of 3 in 5.0 s: 40001"), screen);
        assertTrue(ui.row(23).contains("│ running 10% │"), ui.row(23));

        engine.emit(l -> l.chunkFinished(2, new ChunkOutcome(chunk(2), ChunkOutcome.State.FAILED, 0, 3,
                "chunk 2/10 failed after 3 tries: 57014 canceling statement due to statement timeout", null)));
        engine.emit(l -> l.progress(new RunProgress(10, 2, 1, 1000, 200, 150, 2, Duration.ofSeconds(3))));
        screen = ui.awaitText("Chunks 2/10 (1 failed)");
        assertTrue(screen.contains("chunk 2/10 FAILED: chunk 2/10 failed after 3 tries"), screen);
    }

    @Test
    @DisplayName("the run executes on the UI's background executor as firmquery-run-1, never on the GUI thread")
    void runsOffTheGuiThread() {
        Thread run = engine.executedOn();
        assertNotEquals(Thread.currentThread(), run, "the test's thread is the GUI thread");
        assertEquals("firmquery-run-1", run.getName());
        assertTrue(run.isDaemon());
    }

    @Test
    @DisplayName("a burst of thousands of events is applied through the coalescer and ends on the last state")
    void burstOfEvents() {
        engine.emit(l -> l.runStarted(request, List.of()));
        for (int i = 1; i <= 5000; i++) {
            int n = i;
            engine.emit(l -> l.progress(new RunProgress(10, Math.min(10, n / 500), 0, 1000, Math.min(1000, n / 5), n,
                    0, Duration.ofSeconds(1))));
        }
        String screen = ui.awaitText("Rows 5,000");
        assertTrue(screen.contains("Chunks 10/10") && screen.contains("IDs 1,000 of 1,000"), screen);
    }

    @Test
    @DisplayName("Esc asks before cancelling; yes cancels the engine, and the partial results are shown")
    void cancelAsksThenShowsPartialResults() {
        engine.emit(l -> l.runStarted(request, List.of()));
        engine.emit(l -> l.chunkFinished(1, succeeded(1, 150)));
        engine.emit(l -> l.progress(new RunProgress(10, 1, 0, 1000, 100, 150, 0, Duration.ofSeconds(1))));
        ui.awaitText("Chunks 1/10");

        ui.press(KeyType.Escape);
        assertTrue(ui.text().contains("Cancel run 1?"), ui.text());
        ui.press(key('n'));
        assertFalse(ui.text().contains("Cancel run 1?"), ui.text());
        assertEquals(0, engine.cancels());

        ui.press(ScreenHarness.ctrl('c'));
        assertTrue(ui.text().contains("Cancel run 1?"), ui.text());
        ui.press(key('y'));
        assertEquals(1, engine.cancels());
        assertTrue(ui.awaitText("State cancelling").contains("cancel requested"), ui.text());

        engine.finish(r -> Reports.of(r, RunStatus.CANCELLED, 1, 0, 150, 12, List.of(), List.of()));
        String screen = ui.awaitText("Run 1: CANCELLED in 1:23");
        assertTrue(screen.contains("Chunks   10: 1 succeeded, 0 failed, 9 not run; 3 retries"), screen);
        assertTrue(flat(screen).contains("cancelled by you; the finished chunks are written"), screen);
        assertEquals(View.RESULTS, ui.ui.view());
    }

    @Test
    @DisplayName("q during a run asks; quitting cancels the run and closes the UI once the files are written")
    void quitDuringARun() {
        engine.emit(l -> l.runStarted(request, List.of()));
        ui.press(key('q'));
        assertTrue(ui.text().contains("Quit firmquery?"), ui.text());
        ui.press(KeyType.Escape);
        assertFalse(ui.ui.isClosed());
        assertEquals(0, engine.cancels());

        ui.press(KeyType.F10);
        ui.press(key('y'));
        assertEquals(1, engine.cancels());
        assertFalse(ui.ui.isClosed(), "the UI waits for the files of the finished chunks");
        engine.finish(r -> Reports.of(r, RunStatus.CANCELLED, 0, 0, 0, 0, List.of(), List.of()));
        ui.await(t -> ui.ui.isClosed(), "the UI to close");
        assertEquals(ExitCode.COMPLETED, ui.ui.exitCode());
    }

    @Test
    @DisplayName("a signal (SIGTERM/SIGHUP) cancels the run, waits for its files, then ends with exit code 130")
    void shutdownRequestCancelsAndEndsWith130() {
        engine.emit(l -> l.runStarted(request, List.of()));
        ui.ui.requestShutdown("SIGTERM");
        ui.settle();
        assertEquals(1, engine.cancels());
        assertFalse(ui.ui.isClosed());
        engine.finish(r -> Reports.of(r, RunStatus.CANCELLED, 0, 0, 0, 0, List.of(), List.of()));
        ui.await(t -> ui.ui.isClosed(), "the UI to close");
        assertEquals(ExitCode.INTERRUPTED, ui.ui.exitCode());
    }

    @Test
    @DisplayName("while a run is active, Run does not start a second one")
    void noSecondRunWhileActive() {
        engine.emit(l -> l.runStarted(request, List.of()));
        ui.press(KeyType.F2);
        assertTrue(ui.text().contains("Run: run in progress"), ui.text());
        ui.press(KeyType.F5);
        assertEquals(View.PROGRESS, ui.ui.view());
    }
}
