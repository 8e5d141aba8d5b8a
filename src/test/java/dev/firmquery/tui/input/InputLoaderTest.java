package dev.firmquery.tui.input;

import dev.firmquery.config.AppConfig;
import dev.firmquery.run.RunSetup;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.tui.Sessions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading for the preview: progress, stopping, problems and re-planning, without a screen. */
class InputLoaderTest {
    @TempDir
    Path dir;

    private final InputLoader loader = new InputLoader(RunSetup.queryRoots(TestConfigs.home()), Clock.systemUTC());

    private AppConfig config(String... sets) {
        return Sessions.session(dir, sets).config();
    }

    private Path millionIds() throws IOException {
        Path f = dir.resolve("million.txt");
        try (BufferedWriter w = Files.newBufferedWriter(f)) {
            for (int i = 1; i <= 1_000_000; i++) {
                w.write(Integer.toString(1_000_000 + i));
                w.write('\n');
            }
        }
        return f;
    }

    @Test
    @DisplayName("1,000,000 IDs load with byte progress, plan into 4,000 chunks and warn near the cap")
    void aMillionIds() throws IOException {
        Path f = millionIds();
        List<long[]> progress = new ArrayList<>();
        Preview p = loader.load(new InputLoader.Request(new InputSource.File(f), "", "firm_names"), config(),
                (done, total) -> progress.add(new long[] {done, total}), () -> false);
        assertTrue(p.runnable(), p.problems().toString());
        assertEquals(1_000_000, p.input().stats().valid());
        assertEquals(4_000, p.plan().size());
        assertTrue(p.input().warnings().get(0).contains("more than the warning threshold of 900,000"),
                p.input().warnings().toString());
        assertTrue(progress.size() > 3, "progress about every MiB: " + progress.size());
        assertEquals(Files.size(f), progress.get(progress.size() - 1)[0]);
        assertEquals(Files.size(f), progress.get(progress.size() - 1)[1]);
    }

    @Test
    @DisplayName("a load stops at the next progress report once cancelled, and gives no preview")
    void cancelStopsTheLoad() throws IOException {
        Path f = millionIds();
        AtomicInteger reports = new AtomicInteger();
        Preview p = loader.load(new InputLoader.Request(new InputSource.File(f), "", "firm_names"), config(),
                (done, total) -> reports.incrementAndGet(), () -> reports.get() >= 2);
        assertNull(p);
        assertTrue(reports.get() <= 3, "stopped early: " + reports.get() + " progress reports");
    }

    @Test
    @DisplayName("an unreadable input and an unknown query are both reported, with what to do")
    void problemsTogether() {
        Preview p = loader.load(new InputLoader.Request(new InputSource.File(dir.resolve("nope.csv")), "",
                "no_such_query"), config(), (d, t) -> { }, () -> false);
        assertEquals(2, p.problems().size(), p.problems().toString());
        assertTrue(p.problems().get(0).contains("does not exist; check the path (Tab completes, F3 browses)"));
        assertTrue(p.problems().get(1).contains("query 'no_such_query' not found"));
        assertTrue(p.problems().get(1).contains("firm_details"), "lists the available queries");
    }

    @Test
    @DisplayName("a loaded input is planned again with another chunk size without reading it again")
    void replan() {
        Preview p = loader.load(new InputLoader.Request(new InputSource.Pasted("1 2 3 4 5"), "", "firm_names"),
                config(), (d, t) -> { }, () -> false);
        assertEquals(1, p.plan().size());
        Preview again = loader.replan(p, config("processing.chunk_size=2"));
        assertEquals(3, again.plan().size());
        assertTrue(again.input() == p.input());
    }
}
