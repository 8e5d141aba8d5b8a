package dev.firmquery.cli;

import dev.firmquery.demo.DemoData;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.testing.CliHarness;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A CSV-only run makes its records from the bytes the driver received ({@code export.DirectCsvRecords});
 * a run that also writes an XLSX makes them from the values it reads for the workbook. On a real
 * PostgreSQL, over enough chunks that pgjdbc switches the statement to binary results (after
 * {@code prepareThreshold}, 5 executions a connection), both CSVs are the same, byte for byte, in the
 * default dialect and in another one with the formula guard.
 */
class CsvFromDriverBytesTest {
    private static final int FIRMS = 4_000;
    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void database() {
        db = TestPostgres.demoDatabase(100_000, 12);
    }

    private void sameCsvBothWays(CliHarness cli) throws Exception {
        Path ids = CliHarness.idFile(tmp.resolve("ids.csv"), LongStream.concat(
                IntStream.range(0, FIRMS).mapToLong(DemoData::firmId), LongStream.of(9_000_000_001L)));
        for (String format : new String[] {"csv", "csv,xlsx"}) {
            assertEquals(ExitCode.COMPLETED, cli.firmquery("run", "--ids", ids.toString(), "--query", "firm_details",
                    "--format", format, "--out", tmp.resolve(format).toString()), cli.both());
        }
        byte[] direct = Files.readAllBytes(tmp.resolve("csv/firm_details.csv"));
        byte[] typed = Files.readAllBytes(tmp.resolve("csv,xlsx/firm_details.csv"));
        assertTrue(direct.length > 400_000, "rows written: " + direct.length + " bytes");
        assertArrayEquals(typed, direct);
        assertArrayEquals(Files.readAllBytes(tmp.resolve("csv,xlsx/firm_details_missing.csv")),
                Files.readAllBytes(tmp.resolve("csv/firm_details_missing.csv")));
    }

    @Test
    void aCsvOnlyRunWritesTheCsvARunWithAWorkbookWrites() throws Exception {
        sameCsvBothWays(CliHarness.on(db, tmp).with("FIRMQUERY_OUTPUT_FILENAME_PATTERN", "{query}"));
    }

    @Test
    void soItDoesInAnotherDialectWithTheFormulaGuard() throws Exception {
        sameCsvBothWays(CliHarness.on(db, tmp).with("FIRMQUERY_OUTPUT_FILENAME_PATTERN", "{query}")
                .with("FIRMQUERY_OUTPUT_CSV_DELIMITER", ";").with("FIRMQUERY_OUTPUT_CSV_LINE_ENDING", "lf")
                .with("FIRMQUERY_OUTPUT_CSV_FORMULA_GUARD", "true").with("FIRMQUERY_PROCESSING_CHUNK_SIZE", "100"));
    }
}
