package dev.firmquery.tui.progress;

import dev.firmquery.app.RunExecutor;
import dev.firmquery.run.ChunkExplainer;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.Timings;
import dev.firmquery.tui.core.UiContext;
import dev.firmquery.tui.widget.Fmt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * The plan of a finished run's slowest chunk (its first, when no chunk was timed), explained on the
 * session's connections as {@code firmquery explain} does, off the GUI thread, shown in a dialog.
 */
final class ChunkPlanDialog {
    private static final Logger log = LoggerFactory.getLogger(ChunkPlanDialog.class);

    private ChunkPlanDialog() {
    }

    /** The chunk to explain (0-based): the report's slowest, else the first. */
    static int chunkIndex(RunReport report) {
        List<Timings.SlowChunk> slowest = report.timings().slowest();
        return slowest.isEmpty() ? 0 : slowest.get(0).chunk() - 1;
    }

    /** Explains {@code live}'s chosen chunk in the background; the dialog closes back to {@code then}. */
    static void show(UiContext ui, RunExecutor.Factory runners, LiveRun live, Runnable then) {
        RunRequest request = live.request();
        RunReport report = live.report();
        if (request == null || report == null) {
            return;
        }
        int index = chunkIndex(report);
        String which = report.timings().slowest().isEmpty() ? "first" : "slowest";
        int chunks = request.plan().size();
        live.note("explaining the " + which + " chunk " + (index + 1) + "/" + chunks + " (EXPLAIN ANALYZE runs it once more)");
        ui.background().run("explain", () -> {
            String title = "Plan of the " + which + " chunk " + (index + 1) + "/" + chunks;
            String text;
            try {
                ChunkExplainer.Explained e = runners.explain(request, index);
                StringBuilder b = new StringBuilder();
                // Server text, line by line: a control character in it never reaches the terminal.
                b.append(Fmt.printable(String.format(Locale.ROOT, "%s on %s: %,d ms, %s rows",
                        request.template().name(), e.version(), e.millis(), e.rows() < 0 ? "?" : Fmt.count(e.rows()))))
                        .append("\n\n");
                for (String line : e.plan()) {
                    b.append(Fmt.printable(line)).append('\n');
                }
                for (String w : e.warnings()) {
                    b.append("\nwarning: ").append(Fmt.printable(w));
                }
                text = b.toString().stripTrailing();
            } catch (SQLException | RuntimeException e) {
                log.warn("explaining chunk {} of run {} failed", index + 1, request.runId(), e);
                text = "Cannot explain chunk " + (index + 1) + ": " + Fmt.printable(e.getMessage())
                        + "\n\nCheck the database connection, or run firmquery explain --query "
                        + request.template().name() + " --ids FILE --chunk " + (index + 1) + " from a shell.";
            }
            String shown = text;
            ui.onGui().execute(() -> ui.dialogs().message(title, shown, then));
        });
    }
}
