package dev.firmquery.cli;

import dev.firmquery.app.Preparation;
import dev.firmquery.config.AppConfig;
import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.config.LoadedConfig;
import dev.firmquery.demo.DemoData;
import dev.firmquery.localpg.PostgresServer;
import dev.firmquery.exit.CommandFailure;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.exit.FirmqueryException;
import dev.firmquery.run.RunSetup;
import dev.firmquery.tui.TuiSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code firmquery demo}: the whole flow with no database at hand. Starts a throwaway PostgreSQL,
 * generates the demo schema and data, writes a sample ID file (with invalid, duplicate and absent
 * IDs, a BOM and CRLF lines) into the output directory, and runs the {@code firm_details} query over
 * it. The database is removed when the command ends.
 */
final class DemoCommand {
    private static final Logger log = LoggerFactory.getLogger(DemoCommand.class);
    static final String SAMPLE_FILE = "demo_sample_ids.csv";

    /**
     * @param firms   firms to generate
     * @param sample  IDs in the sample file
     * @param seed    seed for data and sample
     * @param outDir  output directory, or null for output.default_directory
     * @param query   query name or path
     * @param formats formats, or null for output.formats
     * @param headless run at once without the full-screen UI
     */
    record Options(int firms, int sample, long seed, Path outDir, String query, Set<Format> formats,
                   boolean headless) {

        /** The demo options given in {@code a}, with the defaults for the others; paths resolved against {@code cwd}. */
        static Options of(Args a, Path cwd) throws UsageException {
            Integer size = a.intValue("size", 1_000, 50_000_000);
            Integer sample = a.intValue("sample", 1, 1_000_000);
            Integer seed = a.intValue("seed", 0, Integer.MAX_VALUE);
            int firms = size == null ? 200_000 : size;
            int largest = DemoData.largestSample(firms);
            if (sample != null && sample > largest) {
                // Refused before the server starts: 95 % of a sample's IDs are drawn from the table.
                int needed = DemoData.firmsForSample(sample);
                throw new UsageException(String.format(Locale.ROOT, "--sample %,d needs at least %,d firms (95 %% of the"
                        + " sample IDs exist in the table), but --size is %,d; lower --sample to %,d or raise --size to %,d",
                        sample, needed, firms, largest, needed));
            }
            return new Options(firms, sample == null ? Math.min(50_000, largest) : sample, seed == null ? 42 : seed,
                    a.value("out") == null ? null : cwd.resolve(a.value("out")),
                    a.value("query") == null ? "firm_details" : a.value("query"), RunCommand.formats(a.value("format")),
                    a.flag("headless"));
        }
    }

    private final Main main;
    private final PrintStream err;

    DemoCommand(Main main, PrintStream err) {
        this.main = main;
        this.err = err;
    }

    /**
     * Starts the server, writes the data and the sample file, and runs the query, in the UI or headless.
     *
     * @return how the run ended
     * @throws FirmqueryException the server cannot start, the data or sample cannot be written, or the run
     *                            itself fails
     */
    ExitCode run(LoadedConfig loaded, Options options) throws FirmqueryException {
        AppConfig config = loaded.config();
        Path out = (options.outDir() != null ? options.outDir() : config.output().defaultDirectory())
                .toAbsolutePath().normalize();
        long t0 = System.nanoTime();
        err.println("demo: starting a throwaway PostgreSQL server...");
        try (PostgresServer server = PostgresServer.start(PostgresServer.Options.defaults())) {
            err.printf(Locale.ROOT, "demo: PostgreSQL on %s:%d; generating %,d firms (seed %d)...%n", server.host(),
                    server.port(), options.firms(), options.seed());
            try (Connection c = server.dataSource().getConnection()) {
                DemoData.create(c, options.firms(), options.seed());
            }
            Files.createDirectories(out);
            Path sampleFile = out.resolve(SAMPLE_FILE);
            // The sample is the demo's own generated file: replace the one an earlier demo left.
            Files.deleteIfExists(sampleFile);
            var sample = DemoData.writeSampleIds(sampleFile, options.firms(), options.sample(), options.seed());
            err.printf(Locale.ROOT, "demo: data ready in %.1f s; sample ID file %s: %,d distinct IDs (%,d not in the"
                            + " database), %,d duplicates, %,d invalid, %,d blank lines%n", (System.nanoTime() - t0) / 1e9,
                    sampleFile, sample.distinctIds(), sample.absentIds(), sample.duplicates(), sample.invalid(),
                    sample.blankLines());
            AppConfig.Database d = config.database();
            AppConfig demoConfig = new AppConfig(config.application(),
                    new AppConfig.Database(server.host(), server.port(), server.database(), server.user(),
                            AppConfig.AuthMode.PASSWORD, "disable", d.connectionTimeout(), d.queryTimeout(),
                            d.maxConnections(), d.maxConnectionAge()),
                    config.kerberos(), config.processing(), config.output(), config.logging(), config.policy(),
                    config.metrics());
            Map<String, String> environment = main.environmentWith("FIRMQUERY_DATABASE_PASSWORD", server.password());
            if (!options.headless()) {
                // The full-screen UI on the demo database, the sample file and query chosen (docs/tui.md).
                TuiSession session = main.uiSession(loaded, new TuiSession.Preselection(sampleFile, options.query(),
                        out, options.formats())).withDatabase(demoConfig.database(), "demo (throwaway PostgreSQL)",
                        "demo " + server.host() + ":" + server.port() + "/" + server.database());
                return main.runUi(session, environment);
            }
            RunSetup.Choices choices = RunSetup.Choices.of(sampleFile, options.query(), out)
                    .withFormats(options.formats());
            return main.runHeadless(demoConfig, environment, Preparation.newRun(choices));
        } catch (SQLException e) {
            log.error("demo failed", e);
            throw new CommandFailure("demo: cannot create the demo data: " + e.getMessage(), ExitCode.CONNECT, e);
        } catch (IOException e) {
            log.error("demo failed", e);
            throw new CommandFailure("demo: cannot write the sample ID file in " + out + ": " + e.getMessage()
                    + "; choose a writable --out", ExitCode.USAGE, e);
        }
    }
}
