package dev.firmquery.tui.progress;

import dev.firmquery.run.RunException;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunSetup;
import dev.firmquery.run.RunStatus;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.tui.Reports;
import dev.firmquery.tui.Sessions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a re-run is: the resume of the same run, --retry-failed when only failed chunks are left. */
class RerunTest {
    @TempDir
    Path dir;

    private RunSetup setup;

    private RunRequest request() throws IOException, RunException {
        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, "1 2 3 4 5 6 7 8 9 10");
        setup = new RunSetup(Sessions.session(dir, "processing.chunk_size=2").config(),
                RunSetup.queryRoots(TestConfigs.home()), Clock.systemUTC());
        return setup.prepare(RunSetup.Choices.of(ids, "firm_names", dir));
    }

    @Test
    @DisplayName("a finished partial run re-runs its failed chunks: --retry-failed")
    void onlyFailedLeft() throws Exception {
        RunRequest r = request();
        Path work = dir.resolve(".firmquery/" + r.runId());
        FinishedRun f = new FinishedRun(1, r, Reports.of(r, RunStatus.PARTIAL, 4, 1, 0, 0, List.of(), List.of(), work));
        assertTrue(f.rerunnable());
        assertTrue(f.onlyFailedLeft());
        assertEquals("firmquery run --retry-failed " + work, Rerun.command(f));
    }

    @Test
    @DisplayName("a cancelled run re-runs everything not done: --resume")
    void cancelledRun() throws Exception {
        RunRequest r = request();
        Path work = dir.resolve(".firmquery/" + r.runId());
        FinishedRun f = new FinishedRun(1, r, Reports.of(r, RunStatus.CANCELLED, 2, 1, 0, 0, List.of(), List.of(), work));
        assertTrue(f.rerunnable());
        assertFalse(f.onlyFailedLeft());
        assertEquals("firmquery run --resume " + work, Rerun.command(f));
    }

    @Test
    @DisplayName("a completed run has nothing to re-run, and says so")
    void completedRun() throws Exception {
        RunRequest r = request();
        FinishedRun f = new FinishedRun(1, r, Reports.of(r, RunStatus.COMPLETED, 5, 0, 0, 0, List.of(), List.of()));
        assertFalse(f.rerunnable());
        RunException e = assertThrows(RunException.class, () -> Rerun.request(setup, f));
        assertTrue(e.getMessage().contains("nothing to re-run"), e.getMessage());
    }

    @Test
    @DisplayName("a run resumed from the list of unfinished runs is --resume of its folder")
    void resumeFromTheList() {
        Path work = dir.resolve(".firmquery/20261122_100000-3fa2");
        assertEquals("firmquery run --resume " + work, Rerun.resumeCommand(work));
    }
}
