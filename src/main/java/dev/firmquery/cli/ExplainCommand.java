package dev.firmquery.cli;

import dev.firmquery.app.DatabaseSession;
import dev.firmquery.config.AppConfig;
import dev.firmquery.exit.CommandFailure;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.exit.FirmqueryException;
import dev.firmquery.db.SqlErrors;
import dev.firmquery.run.ChunkExplainer;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunSetup;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.firmquery.text.TerminalText.printable;

/**
 * {@code firmquery explain --query Q --ids FILE [--chunk N|slowest]}: the plan of one chunk of the run
 * those options would start, rendered, bound and run as the engine would ({@link ChunkExplainer}),
 * with its time and rows and a warning for a large sequential scan. The policy's approved queries
 * apply as to a run: the template is loaded by {@link RunSetup}.
 */
final class ExplainCommand {
    private final PrintStream out;
    private final List<Path> queryRoots;

    ExplainCommand(PrintStream out, List<Path> queryRoots) {
        this.out = out;
        this.queryRoots = queryRoots;
    }

    ExitCode run(AppConfig config, Map<String, String> environment, Args a, Path cwd, InputStream in)
            throws FirmqueryException {
        String ids = a.required("ids", "--ids firm_ids.csv (or --ids - for standard input)");
        String query = a.required("query", "--query firm_details (a name under sql/queries/) or --query my.sql");
        String which = a.value("chunk") == null ? "1" : a.value("chunk").trim();
        RunRequest request = new RunSetup(config, queryRoots, Clock.systemDefaultZone())
                .prepare(RunSetup.Choices.of(ids.equals("-") ? null : cwd.resolve(ids), query, null).withStdin(in)
                        .withIdColumn(a.value("id-column")).withSheet(a.value("sheet")).withParams(RunCommand.params(a)));
        int chunks = request.plan().size();
        Integer index = null;
        if (!which.equals("slowest")) {
            try {
                index = Integer.parseInt(which) - 1;
            } catch (NumberFormatException e) {
                index = -1;
            }
            if (index < 0 || index >= chunks) {
                throw new UsageException("--chunk " + which + ": expected a chunk number from 1 to " + chunks
                        + " (the IDs make " + chunks + " chunks of processing.chunk_size) or 'slowest'");
            }
        }
        try (DatabaseSession db = DatabaseSession.open(config, environment);
             Connection c = db.connections().getConnection()) {
            int chosen = index != null ? index : ChunkExplainer.costliest(c, request);
            ChunkExplainer.Explained e = ChunkExplainer.explain(c, request, chosen);
            out.printf(Locale.ROOT, "explain: chunk %d/%d (%,d ids, %s..%s) of %s on %s%n", e.chunk().number(), chunks,
                    e.chunk().size(), printable(request.input().ids().stringAt(e.chunk().from())),
                    printable(request.input().ids().stringAt(e.chunk().to() - 1)), request.template().name(),
                    printable(e.version()));
            if (index == null) {
                out.println("  (the chunk of the highest estimated cost, by EXPLAIN of every chunk)");
            }
            for (String line : e.plan()) {
                out.println("  " + printable(line));
            }
            out.printf(Locale.ROOT, "time: %,d ms, rows: %s%n", e.millis(), e.rows() < 0 ? "not shown" : 
                    String.format(Locale.ROOT, "%,d", e.rows()));
            for (String w : e.warnings()) {
                out.println("warning: " + printable(w));
            }
            out.flush();
            return ExitCode.COMPLETED;
        } catch (SQLException e) {
            throw new CommandFailure("explaining chunk " + (index == null ? "slowest" : index + 1) + " of "
                    + request.template().name() + " failed: " + SqlErrors.describe(e)
                    + "; run the chunk's statement in psql to see more, or check the template", ExitCode.CONNECT, e);
        }
    }
}
