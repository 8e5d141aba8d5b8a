package dev.firmquery.tui;

import dev.firmquery.config.AppConfig;
import dev.firmquery.ids.IdLoadResult;
import dev.firmquery.run.RunException;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunSetup;
import dev.firmquery.run.RunStatus;
import dev.firmquery.testing.TestConfigs;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What a re-run covers: the IDs of failed (and not-run) chunks, in their original order. */
class RerunTest {
    @TempDir
    Path dir;

    /** 10 IDs (1..10) in 5 chunks of 2: chunk 1 and 4 succeeded, 2 failed, 3 and 5 not run. */
    private FinishedRun run() throws IOException, RunException {
        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, IntStream.rangeClosed(1, 10).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
        AppConfig config = Sessions.session(dir, "processing.chunk_size=2").config();
        RunSetup setup = new RunSetup(config, RunSetup.queryRoots(TestConfigs.home()), Clock.systemUTC());
        RunRequest request = setup.prepare(new RunSetup.Choices(ids, null, "firm_names", dir, null, null, null));
        BitSet succeeded = new BitSet();
        succeeded.set(1);
        succeeded.set(4);
        BitSet failed = new BitSet();
        failed.set(2);
        return new FinishedRun(1, request, Reports.of(request, RunStatus.CANCELLED, 1, 0, 0, 0, List.of(), List.of()),
                succeeded, failed);
    }

    private static String ids(IdLoadResult r) {
        return IntStream.range(0, r.ids().size()).mapToObj(i -> r.ids().stringAt(i)).collect(Collectors.joining(","));
    }

    @Test
    @DisplayName("failed only: the IDs of the failed chunks")
    void failedOnly() throws Exception {
        FinishedRun run = run();
        IdLoadResult r = Rerun.input(run, Rerun.Scope.FAILED);
        assertEquals("3,4", ids(r));
        assertEquals(2, r.stats().valid());
        assertEquals(run.request().input().source() + " [re-run of the failed chunks of run " + run.request().runId()
                + "]", r.source());
    }

    @Test
    @DisplayName("failed and not run: every chunk that did not succeed, in plan order")
    void failedAndNotRun() throws Exception {
        FinishedRun run = run();
        assertEquals("3,4,5,6,9,10", ids(Rerun.input(run, Rerun.Scope.FAILED_AND_NOT_RUN)));
        assertEquals(List.of(3, 5), run.notRunChunks().stream().map(c -> c.number()).toList());
    }

    @Test
    @DisplayName("the re-run input has its own checksum, and nothing to re-run gives no input")
    void checksumAndNothing() throws Exception {
        FinishedRun run = run();
        IdLoadResult r = Rerun.input(run, Rerun.Scope.FAILED);
        assertEquals(64, r.sha256().length());
        BitSet all = new BitSet();
        all.set(1, 6);
        FinishedRun complete = new FinishedRun(2, run.request(), run.report(), all, new BitSet());
        assertNull(Rerun.input(complete, Rerun.Scope.FAILED_AND_NOT_RUN));
    }
}
