package dev.firmquery.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firmquery.app.OutputFolders;
import dev.firmquery.demo.DemoData;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.testing.CliHarness;
import dev.firmquery.testing.AuditLines;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code firmquery} command as a user meets it: arguments in, exit code and messages out, files
 * on disk, against a real PostgreSQL.
 */
class MainTest {
    private static final int FIRMS = 2_000;
    private static final long SEED = 5;
    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;

    private CliHarness cli;

    @BeforeAll
    static void database() {
        db = TestPostgres.demoDatabase(FIRMS, SEED);
    }

    @BeforeEach
    void harness() {
        cli = CliHarness.on(db, tmp);
    }

    private Path ids(long... values) throws IOException {
        return CliHarness.idFile(tmp.resolve("ids.csv"), LongStream.of(values));
    }

    @Test
    void aCompletedRunExitsZeroAndPrintsTheSummaryWithTheFiles() throws IOException {
        Path ids = ids(DemoData.firmId(1), DemoData.firmId(2), 3);
        Path outDir = tmp.resolve("out");

        ExitCode code = cli.firmquery("run", "--ids", ids.toString(), "--query", "firm_details", "--out",
                outDir.toString());

        assertEquals(ExitCode.COMPLETED, code, cli.stderr());
        assertTrue(cli.stdout().contains("firmquery: completed"), cli.stdout());
        assertTrue(cli.stdout().contains("missing  1 ids returned no rows"), cli.stdout());
        assertEquals(4, CliHarness.entries(outDir).size(), CliHarness.entries(outDir).toString());
        assertTrue(cli.stderr().contains("3 valid"), cli.stderr());
    }

    @Test
    void aHeadlessRunAddsItsOutputFolderToTheHistorysListNewestFirst() throws IOException {
        Path ids = ids(DemoData.firmId(1), DemoData.firmId(2));
        Path first = tmp.resolve("first");
        Path second = tmp.resolve("second");
        assertEquals(ExitCode.COMPLETED, cli.firmquery("run", "--ids", ids.toString(), "--query", "firm_details",
                "--out", first.toString(), "--format", "csv"), cli.stderr());
        assertEquals(ExitCode.COMPLETED, cli.firmquery("run", "--ids", ids.toString(), "--query", "firm_details",
                "--query", "firm_names", "--out", second.toString(), "--format", "csv"), cli.stderr());

        OutputFolders.Remembered remembered = new OutputFolders(OutputFolders.stateFolderOf(tmp)).read();

        assertEquals(List.of(second.toRealPath(), first.toRealPath()), remembered.folders(), remembered.skipped().toString());
    }

    @Test
    void idsCanComeFromStandardInput() {
        Path outDir = tmp.resolve("out");
        ExitCode code = cli.runWithInput(cli.environment(), DemoData.firmId(4) + "\n" + DemoData.firmId(5) + "\n",
                "run", "--ids", "-", "--query", "firm_details", "--out", outDir.toString(), "--format", "csv");
        assertEquals(ExitCode.COMPLETED, code, cli.stderr());
        assertTrue(cli.stderr().contains("ids:   -: 2 values"), cli.stderr());
    }

    @Test
    void aPartialRunExitsOne() throws IOException {
        Path template = Files.writeString(tmp.resolve("boom.sql"),
                "SELECT firm_root_id, 1 / (firm_root_id - " + DemoData.firmId(0) + ") AS boom FROM firm "
                        + "WHERE firm_root_id IN ({ID_PLACEHOLDER})");
        Path ids = ids(DemoData.firmId(0), DemoData.firmId(1), DemoData.firmId(2));
        ExitCode code = cli.firmquery("run", "--ids", ids.toString(), "--query", template.toString(), "--out",
                tmp.resolve("out").toString(), "--set", "processing.chunk_size=1");
        assertEquals(ExitCode.PARTIAL, code, cli.stderr());
        assertTrue(cli.stdout().contains("firmquery: partial"), cli.stdout());
        assertTrue(cli.stdout().contains("chunk 1/3"), cli.stdout());
    }

    @Test
    void anUnreachableDatabaseExitsThreeNamingHostAndPort() throws IOException {
        Path ids = ids(1);
        Map<String, String> env = new HashMap<>(cli.environment());
        env.put("FIRMQUERY_DATABASE_PORT", "1");
        ExitCode code = cli.runWithInput(env, "", "run", "--ids", ids.toString(), "--query", "firm_details", "--out",
                tmp.resolve("out").toString(), "--set", "database.connection_timeout=2");
        assertEquals(ExitCode.CONNECT, code, cli.stderr());
        assertTrue(cli.stderr().contains(":1/"), cli.stderr());
    }

    @Test
    void aMissingIdFileExitsTwoWithThePath() {
        ExitCode code = cli.firmquery("run", "--ids", tmp.resolve("nope.csv").toString(), "--query", "firm_details");
        assertEquals(ExitCode.USAGE, code);
        assertTrue(cli.stderr().contains("nope.csv") && cli.stderr().contains("does not exist"), cli.stderr());
    }

    @Test
    void anUnknownQueryNameExitsTwoListingTheAvailableOnes() throws IOException {
        ExitCode code = cli.firmquery("run", "--ids", ids(1).toString(), "--query", "firm_detail");
        assertEquals(ExitCode.USAGE, code);
        assertTrue(cli.stderr().contains("firm_details"), cli.stderr());
    }

    @Test
    void aTemplateWithoutPlaceholderExitsTwoWithLineAndColumn() throws IOException {
        Path template = Files.writeString(tmp.resolve("bad.sql"), "SELECT 1 FROM firm");
        ExitCode code = cli.firmquery("run", "--ids", ids(1).toString(), "--query", template.toString());
        assertEquals(ExitCode.USAGE, code);
        assertTrue(cli.stderr().contains("bad.sql:1:1"), cli.stderr());
    }

    @Test
    void anInputWithNoValidIdsExitsTwoBeforeConnecting() throws IOException {
        Path ids = Files.writeString(tmp.resolve("junk.txt"), "abc\n-5\n");
        Map<String, String> env = new HashMap<>(cli.environment());
        env.put("FIRMQUERY_DATABASE_PORT", "1");
        ExitCode code = cli.runWithInput(env, "", "run", "--ids", ids.toString(), "--query", "firm_details");
        assertEquals(ExitCode.USAGE, code, cli.stderr());
        assertTrue(cli.stderr().contains("no valid IDs"), cli.stderr());
    }

    @Test
    void configurationErrorsAreAllReportedAndExitTwo() throws IOException {
        ExitCode code = cli.firmquery("run", "--ids", ids(1).toString(), "--query", "firm_details",
                "--set", "processing.chunk_size=0", "--set", "processing.thread_count=9");
        assertEquals(ExitCode.USAGE, code);
        assertTrue(cli.stderr().contains("processing.chunk_size") && cli.stderr().contains("processing.thread_count"), cli.stderr());
    }

    @Test
    void aMistypedOptionExitsTwoWithASuggestion() {
        assertEquals(ExitCode.USAGE, cli.firmquery("run", "--idz", "x"));
        assertTrue(cli.stderr().contains("did you mean --ids?"), cli.stderr());
    }

    @Test
    void anUnknownFormatExitsTwo() throws IOException {
        assertEquals(ExitCode.USAGE, cli.firmquery("run", "--ids", ids(1).toString(), "--query", "firm_details",
                "--format", "pdf"));
        assertTrue(cli.stderr().contains("unknown format 'pdf'"), cli.stderr());
    }

    @Test
    void thePasswordAppearsInNoLogReportAuditOrWorkFile() throws IOException {
        // The server's real, random password: it must work, and appear nowhere.
        String secret = db.password();
        Map<String, String> env = new HashMap<>(cli.environment());
        assertEquals(secret, env.get("FIRMQUERY_DATABASE_PASSWORD"));
        Path outDir = tmp.resolve("out");
        ExitCode code = cli.runWithInput(env, "", "run", "--ids", ids(DemoData.firmId(1)).toString(), "--query",
                "firm_details",
                "--out", outDir.toString(), "--keep-work", "--verbose");
        assertEquals(ExitCode.COMPLETED, code, cli.stderr());

        List<Path> written;
        try (Stream<Path> s = Files.walk(outDir)) {
            written = new java.util.ArrayList<>(s.filter(Files::isRegularFile).toList());
        }
        written.add(TestConfigs.home().resolve("target/test.log"));
        assertTrue(written.stream().anyMatch(p -> p.toString().endsWith("config.txt")), written.toString());
        for (Path f : written) {
            String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertTrue(!content.contains(secret), "the password is in " + f);
        }
        assertTrue(!cli.stdout().contains(secret) && !cli.stderr().contains(secret));
    }

    @Test
    void theAuditLineNamesTheDatabaseTargetAndTheDatabaseUser() throws IOException {
        JsonNode line;
        try (AuditLines audit = AuditLines.capture()) {
            assertEquals(ExitCode.COMPLETED, cli.firmquery("run", "--ids", ids(DemoData.firmId(1)).toString(), "--query", "firm_details",
                    "--out", tmp.resolve("out").toString()), cli.stderr());
            line = audit.only();
        }
        assertEquals("run", line.get("action").asText());
        assertEquals("completed", line.get("outcome").asText());
        assertEquals(db.host(), line.get("db_host").asText());
        assertEquals(db.port(), line.get("db_port").asInt());
        assertEquals(db.name(), line.get("db_database").asText());
        assertEquals(db.user(), line.get("db_user").asText());
        assertTrue(line.has("kerberos_principal") && line.get("kerberos_principal").isNull(),
                "password authentication: no principal, said so: " + line);
    }

    @Test
    void theAuditLineCarriesTheHashOfTheSqlTextThatRan() throws Exception {
        JsonNode line;
        try (AuditLines audit = AuditLines.capture()) {
            assertEquals(ExitCode.COMPLETED, cli.firmquery("run", "--ids", ids(DemoData.firmId(1)).toString(), "--query", "firm_details",
                    "--out", tmp.resolve("out").toString()), cli.stderr());
            line = audit.only();
        }
        String text = dev.firmquery.sql.QueryTemplate.load(dev.firmquery.sql.QueryResolver.withBuiltIns(
                dev.firmquery.run.RunSetup.queryRoots(TestConfigs.home())).resolve("firm_details"), false).text();
        assertEquals(sha256(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), line.get("query_text_sha256").asText());
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void versionAndHelpExitZero() {
        assertEquals(ExitCode.COMPLETED, cli.firmquery("--version"));
        assertTrue(cli.stdout().startsWith("firmquery "), cli.stdout());
        assertEquals(ExitCode.COMPLETED, cli.firmquery("--help"));
        assertTrue(cli.stdout().contains("Exit codes"), cli.stdout());
    }

    @Test
    void queriesListsTheShippedTemplatesWithTheirDescription() {
        assertEquals(ExitCode.COMPLETED, cli.firmquery("queries"));
        assertTrue(cli.stdout().contains("firm_details"), cli.stdout());
        assertTrue(cli.stdout().contains("firm_names"), cli.stdout());
    }

    @Test
    void configShowsEachValueWithItsSource() {
        assertEquals(ExitCode.COMPLETED, cli.firmquery("config", "--set", "processing.chunk_size=100"));
        assertTrue(cli.stdout().matches("(?s).*processing\\.chunk_size\\s+= 100\\s+\\(--set\\).*"), cli.stdout());
        assertTrue(cli.stdout().contains("environment variable FIRMQUERY_DATABASE_HOST"), cli.stdout());
    }

    @Test
    void configDescribeAddsWhatEachKeyAllowsAndItsDefault() {
        assertEquals(ExitCode.COMPLETED, cli.firmquery("config", "--describe"));
        assertTrue(cli.stdout().contains("\n    IDs per statement\n    allowed: 1 to 10000; default: 250; variable: "
                + "FIRMQUERY_PROCESSING_CHUNK_SIZE\n"), cli.stdout());
    }

    @Test
    void theDemoRunsTheWholeFlowHeadless() throws IOException {
        Path outDir = tmp.resolve("demo");
        ExitCode code = cli.runWithInput(Map.of(), "", "demo", "--headless", "--size", "3000", "--sample", "500", "--out",
                outDir.toString());
        assertEquals(ExitCode.COMPLETED, code, cli.stderr());
        List<String> names = CliHarness.entries(outDir).stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.contains("demo_sample_ids.csv"), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.endsWith(".xlsx")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.endsWith("_missing.csv")), names.toString());
        assertTrue(cli.stdout().contains("500 valid"), cli.stdout());
    }

    @Test
    void aDemoSampleLargerThanItsTableIsRefusedBeforeTheServerStarts() {
        Path outDir = tmp.resolve("demo-too-small");
        ExitCode code = cli.runWithInput(Map.of(), "", "demo", "--headless", "--size", "1000", "--sample", "5000",
                "--out", outDir.toString());
        assertEquals(ExitCode.USAGE, code, cli.stderr());
        assertTrue(cli.stderr().contains("--sample 5,000 needs at least 4,750 firms (95 % of the sample IDs exist in the"
                + " table), but --size is 1,000; lower --sample to 1,053 or raise --size to 4,750"), cli.stderr());
        assertFalse(cli.stderr().contains("starting a throwaway PostgreSQL"), cli.stderr());
        assertFalse(Files.exists(outDir), "nothing written");
    }

    @Test
    void aSmallDemoWithoutSampleDrawsTheLargestSampleItsTableHolds() {
        Path outDir = tmp.resolve("demo-small");
        ExitCode code = cli.runWithInput(Map.of(), "", "demo", "--headless", "--size", "1000", "--out", outDir.toString());
        assertEquals(ExitCode.COMPLETED, code, cli.stderr());
        assertTrue(cli.stdout().contains("1,053 valid"), cli.stdout());
    }
}
