package dev.firmquery.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.db.ConnectionSource;
import dev.firmquery.demo.DemoData;
import dev.firmquery.testing.EngineRuns;
import dev.firmquery.testing.EngineRuns.Sources;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.firmquery.run.RunOutputs.file;
import static dev.firmquery.testing.EngineRuns.setup;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --format jsonl} over a real run against PostgreSQL: the JSON Lines file, read by Jackson, holds
 * value for value what the run's CSV holds (NULLs, non-ASCII text, integers beyond 2^53, numerics, dates
 * and timestamps), and a run stopped mid-way and resumed writes the same bytes as one that was not.
 */
class JsonlRunTest {
    private static final int FIRMS = 3_000;
    private static final long SEED = 29;
    private static final DateTimeFormatter PG_TIMESTAMPTZ = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
            .optionalEnd().appendOffset("+HH:mm", "+00").toFormatter();
    private static final DateTimeFormatter PG_TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
            .optionalEnd().toFormatter();

    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void database() {
        db = TestPostgres.demoDatabase(FIRMS, SEED);
    }

    private Path query() throws IOException {
        return Files.writeString(tmp.resolve("typed.sql"), """
                -- Every kind of value a result can hold, for the JSON Lines tests
                SELECT f.firm_root_id, f.firm_name || ' – Müller 中 😀' AS name, f.founded_on, f.revenue_musd,
                       f.is_active, f.updated_at, f.employees::float8 / 7 AS ratio,
                       (f.firm_root_id % 1000) * 18014398509482 AS big, NULLIF(f.employees, f.employees) AS nothing,
                       timestamp '2026-11-22 10:15:00.5' + f.firm_root_id % 100 * interval '1 day' AS ts,
                       CASE WHEN f.firm_root_id % 3 = 0 THEN NULL ELSE 'a "quoted", ' || chr(10) || 'line' END AS note
                FROM firm f
                WHERE f.firm_root_id IN ({ID_PLACEHOLDER})
                """);
    }

    @Test
    void theJsonLinesHoldTheValuesOfTheCsv() throws Exception {
        RunReport report = run(config(), idFile(120), tmp.resolve("out"), pool -> pool);
        assertEquals(RunStatus.COMPLETED, report.status());

        List<List<String>> csv = readCsv(file(report, "results-csv"));
        List<JsonNode> json = readJsonl(file(report, "results-jsonl"));
        List<String> header = csv.get(0);
        assertEquals(csv.size() - 1, json.size());
        assertTrue(json.size() > 50, "the run returned rows");
        int nulls = 0;
        int strings = 0;
        for (int i = 0; i < json.size(); i++) {
            JsonNode row = json.get(i);
            assertEquals(header, iterate(row.fieldNames()), "keys are the labels in column order");
            for (int c = 0; c < header.size(); c++) {
                String cell = csv.get(i + 1).get(c);
                JsonNode v = row.get(header.get(c));
                String where = "row " + (i + 1) + ", " + header.get(c) + ": " + v + " vs " + cell;
                if (v.isNull()) {
                    nulls++;
                    assertEquals("", cell, where);
                    continue;
                }
                switch (header.get(c)) {
                    case "firm_root_id", "revenue_musd", "ratio" -> assertEquals(0,
                            v.decimalValue().compareTo(new BigDecimal(cell)), where);
                    case "big" -> {
                        long n = Long.parseLong(cell);
                        boolean beyond = Math.abs(n) > (1L << 53) - 1;
                        strings += beyond ? 1 : 0;
                        assertEquals(beyond, v.isTextual(), where);
                        assertEquals(cell, v.asText(), where);
                    }
                    case "is_active" -> assertEquals(cell, Boolean.toString(v.booleanValue()), where);
                    case "founded_on" -> assertEquals(LocalDate.parse(cell), LocalDate.parse(v.textValue()), where);
                    case "updated_at" -> assertTrue(OffsetDateTime.parse(cell, PG_TIMESTAMPTZ)
                            .isEqual(OffsetDateTime.parse(v.textValue())), where);
                    case "ts" -> assertEquals(LocalDateTime.parse(cell, PG_TIMESTAMP), LocalDateTime.parse(v.textValue()),
                            where);
                    default -> assertEquals(cell, v.textValue(), where);
                }
            }
        }
        assertTrue(nulls > json.size(), nulls + " NULLs compared");
        assertTrue(strings > 0, "some integers were beyond 2^53 and came as strings");
        assertTrue(json.get(0).get("name").textValue().endsWith(" – Müller 中 😀"), json.get(0).toString());
    }

    @Test
    void aResumedRunWritesTheBytesOfAnUninterruptedOne() throws Exception {
        Path ids = idFile(200);
        AppConfig config = config();
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

        RunRequest resume = setup(config).resume(stopped.run().workDirectory(), false);
        RunReport resumed;
        try (ConnectionPool pool = EngineRuns.pool(config, db)) {
            resumed = new RunEngine(pool, RunListener.NONE, new SplittableRandom(1), Clock.systemUTC()).execute(resume);
        }
        assertEquals(RunStatus.COMPLETED, resumed.status());
        assertArrayEquals(Files.readAllBytes(file(clean, "results-jsonl")),
                Files.readAllBytes(file(resumed, "results-jsonl")));
        assertArrayEquals(Files.readAllBytes(file(clean, "results-csv")), Files.readAllBytes(file(resumed, "results-csv")));
    }

    private static List<String> iterate(Iterator<String> names) {
        List<String> l = new ArrayList<>();
        names.forEachRemaining(l::add);
        return l;
    }

    private static List<JsonNode> readJsonl(Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            rows.add(mapper.readTree(line));
        }
        return rows;
    }

    private static List<List<String>> readCsv(Path csv) throws IOException {
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<List<String>> rows = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             MappingIterator<List<String>> it = mapper.readerForListOf(String.class)
                     .with(CsvSchema.emptySchema().withColumnSeparator(',').withQuoteChar('"')).readValues(r)) {
            while (it.hasNext()) {
                rows.add(it.next());
            }
        }
        return rows;
    }

    private Path idFile(int n) throws IOException {
        return Files.writeString(tmp.resolve("ids-" + n + ".txt"), Stream.iterate(0, i -> i + 1).limit(n)
                .map(i -> Long.toString(DemoData.firmId(i * 7))).collect(Collectors.joining("\n")));
    }

    private AppConfig config() {
        return TestConfigs.forDatabase(db, tmp, "processing.chunk_size=5", "output.formats=csv,jsonl");
    }

    private RunReport run(AppConfig config, Path ids, Path out, Sources sources) throws Exception {
        RunRequest request = setup(config).prepare(RunSetup.Choices.of(ids, query().toString(), out));
        return EngineRuns.execute(config, db, request, sources, RunListener.NONE);
    }
}
