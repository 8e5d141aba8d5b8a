package dev.firmquery.tui;

import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.app.RunExecutor;
import dev.firmquery.kerberos.ExpiredTicketHandler;
import dev.firmquery.run.ChunkExplainer;
import dev.firmquery.run.RunListener;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The progress window's "Plan of slowest chunk" button on a finished run: the chunk is explained
 * through the session's runners off the GUI thread and its plan shown in a dialog, server text printable.
 */
class ChunkPlanWindowTest {
    @TempDir
    Path dir;

    private ScreenHarness ui;
    private final ScriptedRunner engine = new ScriptedRunner();
    private final AtomicInteger explained = new AtomicInteger(-1);
    private volatile boolean fail;

    private final RunExecutor.Factory runners = new RunExecutor.Factory() {
        @Override
        public RunExecutor create(RunListener listener, ExpiredTicketHandler tickets) {
            return engine.create(listener, tickets);
        }

        @Override
        public ChunkExplainer.Explained explain(RunRequest request, int index) throws SQLException {
            if (fail) {
                throw new SQLException("FATAL: terminating connection\u001b[2J", "57P01");
            }
            explained.set(index);
            return new ChunkExplainer.Explained(ChunkExplainer.Server.POSTGRESQL, "PostgreSQL 16.4",
                    request.plan().get(index), List.of("Index Scan using firm_pkey on firm t1\u001b[1m",
                    "  Index Cond: (firm_root_id = ANY ($1))"), 12, 100, List.of());
        }
    };

    @AfterEach
    void close() {
        if (ui != null) {
            ui.close();
        }
    }

    private void finishedRun() throws IOException {
        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, LongStream.rangeClosed(1001, 2000).mapToObj(Long::toString)
                .collect(Collectors.joining("\n")));
        ui = new ScreenHarness(Sessions.session(dir, Map.of(),
                new TuiSession.Preselection(ids, "firm_names", dir.resolve("out"), null),
                "processing.chunk_size=100"), runners);
        ui.awaitText("ready to run");
        ui.press(KeyType.F5);
        RunRequest request = engine.awaitRequest();
        engine.emit(l -> l.runStarted(request, List.of()));
        engine.finish(r -> Reports.of(r, RunStatus.COMPLETED, 10, 0, 1000, 0, List.of(), List.of()));
        ui.awaitText("Run 1: COMPLETED");
        ui.press(KeyType.F8);
        ui.awaitText("Plan of slowest chunk");
    }

    /** Tabs from the event list (the window's focus once the run is over) past Results to the button. */
    private void pressPlan() {
        ui.press(KeyType.Tab, KeyType.Tab, KeyType.Enter);
    }

    @Test
    @DisplayName("the plan of the first chunk (no chunk was timed) is shown in a dialog, server text printable")
    void showsThePlan() throws IOException {
        finishedRun();
        pressPlan();

        String screen = ui.awaitText("Index Scan using firm_pkey on firm t1");
        assertTrue(screen.contains("Plan of the first chunk 1/10"), screen);
        assertTrue(screen.contains("firm_names on PostgreSQL 16.4: 12 ms, 100 rows"), screen);
        assertTrue(screen.contains("Index Cond: (firm_root_id = ANY ($1))"), screen);
        assertFalse(screen.contains("\u001b"), screen);
        assertEquals(0, explained.get());
    }

    @Test
    @DisplayName("a failure to explain says so in the dialog, with the command to try from a shell")
    void failureIsShown() throws IOException {
        fail = true;
        finishedRun();
        pressPlan();

        String screen = ui.awaitText("Cannot explain chunk 1");
        assertTrue(screen.contains("run firmquery explain --query") && screen.contains("--chunk 1 from a shell."),
                screen);
        assertFalse(screen.contains("\u001b"), screen);
    }
}
