package dev.firmquery.run;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.db.ConnectionSource;
import dev.firmquery.demo.DemoData;
import dev.firmquery.export.CsvDialect;
import dev.firmquery.testing.EngineRuns;
import dev.firmquery.testing.EngineRuns.Sources;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.firmquery.run.RunOutputs.file;
import static dev.firmquery.testing.EngineRuns.setup;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CSV dialect settings ({@code output.csv_delimiter}, {@code output.csv_bom},
 * {@code output.csv_line_ending}) over a real run against PostgreSQL: every CSV the run writes is in the
 * dialect, holds the values a default run's CSV holds (both read back by Jackson's CSV parser, not by
 * Commons CSV, which wrote them), and a run stopped mid-way and resumed writes the same bytes as one
 * that was not.
 */
class CsvDialectRunTest {
    private static final int FIRMS = 3_000;
    private static final long SEED = 23;
    private static final String[] EUROPEAN = {"output.csv_delimiter=;", "output.csv_bom=true",
            "output.csv_line_ending=lf", "processing.chunk_size=5", "output.formats=csv"};

    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void database() {
        db = TestPostgres.demoDatabase(FIRMS, SEED);
    }

    @Test
    void theSettingsGiveTheDialect() {
        assertEquals(new CsvDialect(';', true, CsvDialect.LineEnding.LF), config(EUROPEAN).output().csvDialect());
        assertEquals(CsvDialect.RFC4180, config().output().csvDialect());
    }

    @Test
    void everyCsvOfTheRunIsInTheDialectAndHoldsTheValuesOfADefaultRun() throws Exception {
        Path ids = idFile(60);
        RunReport plain = run(config("processing.chunk_size=5", "output.formats=csv"), ids, tmp.resolve("plain"),
                pool -> pool);
        RunReport european = run(config(EUROPEAN), ids, tmp.resolve("european"), pool -> pool);
        assertEquals(RunStatus.COMPLETED, european.status());

        for (String kind : List.of("results-csv", "missing")) {
            byte[] bytes = Files.readAllBytes(file(european, kind));
            assertEquals(List.of(0xEF, 0xBB, 0xBF), List.of(bytes[0] & 0xFF, bytes[1] & 0xFF, bytes[2] & 0xFF),
                    kind + " starts with the UTF-8 byte order mark");
            String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
            String header = text.substring(0, text.indexOf('\n'));
            assertFalse(header.endsWith("\r"), kind + ": records end with LF alone: " + header);
            assertEquals(read(file(plain, kind), ',', false), read(file(european, kind), ';', true), kind);
        }
        assertTrue(read(file(european, "results-csv"), ';', true).size() > 10, "the run returned rows");
        assertTrue(read(file(european, "missing"), ';', true).size() > 1, "some IDs returned no rows");
    }

    @Test
    void aResumedRunWritesTheDialectsBytesOfAnUninterruptedOne() throws Exception {
        Path ids = idFile(200);
        AppConfig config = config(EUROPEAN);
        RunReport clean = run(config, ids, tmp.resolve("clean"), pool -> pool);

        AtomicInteger attempts = new AtomicInteger();
        RunReport stopped = run(config, ids, tmp.resolve("stopped"), pool -> new ConnectionSource() {
            @Override
            public Connection getConnection() throws SQLException {
                return pool.getConnection();
            }

            @Override
            public void beforeChunk() {
                if (attempts.incrementAndGet() == 9) {
                    throw new IllegalStateException("stopped mid-run by the test");
                }
            }
        });
        assertEquals(RunStatus.INTERNAL_ERROR, stopped.status());
        assertTrue(stopped.chunks().notRun() > 0, "the run stopped early");

        RunRequest resume = setup(config("processing.chunk_size=5")).resume(stopped.run().workDirectory(), false);
        assertEquals(config.output().csvDialect(), resume.output().csvDialect(),
                "the run's dialect comes from its folder, not from the settings of the resuming session");
        RunReport resumed;
        try (ConnectionPool pool = EngineRuns.pool(config, db)) {
            resumed = new RunEngine(pool, RunListener.NONE, new SplittableRandom(1), Clock.systemUTC()).execute(resume);
        }
        assertEquals(RunStatus.COMPLETED, resumed.status());
        assertArrayEquals(Files.readAllBytes(file(clean, "results-csv")), Files.readAllBytes(file(resumed, "results-csv")));
        assertArrayEquals(Files.readAllBytes(file(clean, "missing")), Files.readAllBytes(file(resumed, "missing")));
    }

    /** The records of a CSV as Jackson reads them, header included, the byte order mark skipped. */
    private static List<List<String>> read(Path file, char delimiter, boolean bom) throws IOException {
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(delimiter).withQuoteChar('"');
        List<List<String>> rows = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            if (bom) {
                assertEquals('\uFEFF', r.read());
            }
            try (MappingIterator<List<String>> it = mapper.readerForListOf(String.class).with(schema).readValues(r)) {
                while (it.hasNext()) {
                    rows.add(it.next());
                }
            }
        }
        return rows;
    }

    private Path idFile(int n) throws IOException {
        return Files.writeString(tmp.resolve("ids-" + n + ".txt"), Stream.iterate(0, i -> i + 1).limit(n)
                .map(i -> Long.toString(i % 10 == 9 ? 900_000_000L + i : DemoData.firmId(i * 7)))
                .collect(Collectors.joining("\n")));
    }

    private AppConfig config(String... overrides) {
        return TestConfigs.forDatabase(db, tmp, overrides);
    }

    private RunReport run(AppConfig config, Path ids, Path out, Sources sources) throws Exception {
        RunRequest request = setup(config).prepare(RunSetup.Choices.of(ids, "firm_details", out));
        return EngineRuns.execute(config, db, request, sources, RunListener.NONE);
    }
}
