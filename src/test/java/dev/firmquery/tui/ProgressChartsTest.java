package dev.firmquery.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.chunk.Chunk;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.run.ChunkOutcome;
import dev.firmquery.run.RunProgress;
import dev.firmquery.run.RunRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The progress window's rows-per-second sparkline, chunk latency histogram and pool line on
 * Lanterna's virtual terminal: Unicode blocks on a UTF-8 terminal, ASCII on one without, whole at
 * 80x24 and at 60x20.
 */
class ProgressChartsTest {
    /**
     * One column (the run is under a second old) at the full height, and its peak: the 450 rows divided by
     * the part of the second that has passed on the wall clock, so only its shape is checked here
     * (RunChartsTest checks the arithmetic).
     */
    private static final java.util.regex.Pattern PEAK_UNICODE = java.util.regex.Pattern.compile(
            "Rows/s  █  peak [1-9][0-9.,]*[kM]?");
    private static final java.util.regex.Pattern PEAK_ASCII = java.util.regex.Pattern.compile(
            "Rows/s  #  peak [1-9][0-9.,]*[kM]?");

    @TempDir
    Path dir;

    private ScreenHarness ui;
    private final ScriptedRunner engine = new ScriptedRunner();
    private RunRequest request;

    @AfterEach
    void close() {
        if (ui != null) {
            ui.close();
        }
    }

    private void startRun(Map<String, String> env, TerminalSize size) throws IOException {
        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, LongStream.rangeClosed(1001, 2000).mapToObj(Long::toString)
                .collect(Collectors.joining("\n")));
        ui = new ScreenHarness(Sessions.session(dir, env,
                new TuiSession.Preselection(ids, "firm_names", dir.resolve("out"), null),
                "processing.chunk_size=100"), engine, size);
        ui.awaitText("ready to run");
        ui.press(KeyType.F5);
        request = engine.awaitRequest();
        engine.emit(l -> l.runStarted(request, List.of()));
        for (int n = 1; n <= 3; n++) {
            Chunk c = request.plan().get(n - 1);
            engine.emit(l -> l.chunkStarted(1, c, 1));
            engine.emit(l -> l.chunkFinished(1, new ChunkOutcome(c, ChunkOutcome.State.SUCCEEDED, 150, 1, null, null)));
        }
        engine.emit(l -> l.progress(new RunProgress(10, 3, 0, 1000, 300, 450, 0, Duration.ofSeconds(1))));
        ui.awaitText("Rows 450"); // the events reach the screen from the engine's thread
        ui.pool.set(new ConnectionPool.PoolState(2, 1, 1, 0));
        ui.scheduler.tick();
        ui.settle();
    }

    @Test
    @DisplayName("a UTF-8 terminal shows the sparkline and the histogram in block characters, and the pool")
    void unicodeCharts() throws IOException {
        startRun(Map.of("LANG", "en_US.UTF-8", "TERM", "xterm-256color"), new TerminalSize(80, 24));

        String screen = ui.awaitText("Pool    2 open: 1 busy, 1 idle");
        assertTrue(PEAK_UNICODE.matcher(screen).find(), screen);
        // three chunks that took milliseconds: all in the first bucket (<= 50 ms), the others empty
        assertTrue(screen.contains("Latency ████"), screen);
        assertTrue(screen.contains("<=    50ms .1s  .25s .5s  1s   2.5s 5s   10s  more"), screen);
        assertTrue(screen.contains("Cancel run"), "the buttons still fit: " + screen);
    }

    @Test
    @DisplayName("a terminal without Unicode shows the same charts in ASCII")
    void asciiCharts() throws IOException {
        startRun(Map.of("LANG", "C", "TERM", "vt100"), new TerminalSize(80, 24));

        String screen = ui.awaitText("Pool    2 open: 1 busy, 1 idle");
        assertTrue(PEAK_ASCII.matcher(screen).find(), screen);
        assertTrue(screen.contains("Latency ####"), screen);
        assertFalse(screen.chars().anyMatch(ch -> ch > 127), "nothing but ASCII on the screen: " + screen);
    }

    @Test
    @DisplayName("at 60x20 the charts, the labels and the pool are whole")
    void smallTerminal() throws IOException {
        startRun(Map.of("LANG", "en_US.UTF-8", "TERM", "xterm-256color"), new TerminalSize(60, 20));

        String screen = ui.awaitText("Pool    2 open: 1 busy, 1 idle");
        if (Boolean.getBoolean("firmquery.printScreens")) {
            System.out.println(screen);
        }
        assertTrue(PEAK_UNICODE.matcher(screen).find(), screen);
        assertTrue(screen.contains("<=    50ms .1s  .25s .5s  1s   2.5s 5s   10s  more"), screen);
    }

    @Test
    @DisplayName("a pool that waits for connections says how many wait")
    void poolWaiting() throws IOException {
        startRun(Map.of("LANG", "en_US.UTF-8", "TERM", "xterm-256color"), new TerminalSize(80, 24));
        ui.pool.set(new ConnectionPool.PoolState(2, 2, 0, 3));
        ui.scheduler.tick();

        ui.awaitText("Pool    2 open: 2 busy, 0 idle, 3 waiting for a connection");
    }
}
