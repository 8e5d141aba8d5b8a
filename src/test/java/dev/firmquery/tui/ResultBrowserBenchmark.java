package dev.firmquery.tui;

import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.firmquery.tui.ScreenHarness.key;

/**
 * The result browser's figures in docs/performance.md ("The result browser"): time to first rows,
 * to the final count, and from a key to the screen showing its rows, on a 2,000,000-row CSV at 80x24.
 * A benchmark, not a test: its name keeps it out of the suite (Surefire runs *Test classes); run it
 * with {@code mvn -B -q -o test -Dtest=ResultBrowserBenchmark}, and it prints one line per round.
 */
class ResultBrowserBenchmark {
    @TempDir
    Path dir;

    @Test
    void twoMillionRows() throws Exception {
        Path csv = dir.resolve("big.csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("firm_root_id,firm_name,country,id_scheme,id_value,updated_at\r\n");
            for (int i = 1; i <= 2_000_000; i++) {
                w.write((10_000_000 + i) + ",\"Firm " + i + ", Ltd\",DE,LEI,L" + i + ",2026-11-" + (1 + i % 28) + "\r\n");
            }
        }
        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, "101\n102\n");
        ScriptedRunner engine = new ScriptedRunner();
        try (ScreenHarness ui = new ScreenHarness(Sessions.session(dir, Map.of(),
                new TuiSession.Preselection(ids, "firm_names", dir.resolve("out"), null)), engine)) {
            ui.awaitText("Preview: ready to run");
            ui.press(KeyType.F5);
            engine.awaitRequest();
            List<RunReport.OutputFileInfo> files = List.of(Reports.file("results-csv", csv, Files.size(csv)));
            engine.finish(r -> Reports.of(r, RunStatus.COMPLETED, 1, 0, 2_000_000, 0, List.of(), files));
            ui.awaitText("Run 1: COMPLETED");
            System.out.printf(Locale.ROOT, "result browser: %,d bytes, 2,000,000 rows%n", Files.size(csv));
            for (int round = 1; round <= 3; round++) {
                long t0 = System.nanoTime();
                ui.press(key('4'));
                ui.awaitText("10000001    │");
                long first = System.nanoTime() - t0;
                ui.awaitText("of 2,000,000   columns");
                long all = System.nanoTime() - t0;
                long t1 = System.nanoTime();
                ui.press(KeyType.End);
                ui.awaitText("12000000    │");
                long end = System.nanoTime() - t1;
                long t2 = System.nanoTime();
                ui.press(key('g'));
                ui.type("1000000");
                ui.press(KeyType.Enter);
                ui.awaitText("11000000    │");
                long jump = System.nanoTime() - t2;
                long t3 = System.nanoTime();
                ui.press(KeyType.PageDown);
                long pageDown = System.nanoTime() - t3;
                System.out.printf(Locale.ROOT, "round %d: first rows %d ms, count final %d ms, End to the last row %d"
                        + " ms, g 1000000 Enter %d ms, PgDn %d ms%n", round, first / 1_000_000, all / 1_000_000,
                        end / 1_000_000, jump / 1_000_000, pageDown / 1_000_000);
                ui.press(KeyType.Escape);
            }
        }
    }
}
