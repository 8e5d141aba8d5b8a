package dev.firmquery.cli;

import dev.firmquery.exit.ExitCode;
import dev.firmquery.sql.QueryTemplate;
import dev.firmquery.testing.CliHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code firmquery queries} lists every template with its description, parameters and folder, broken
 * ones with their error; {@code firmquery queries show NAME} prints one with its resolved path, SHA-256,
 * parameters and text.
 */
class QueriesCommandTest {
    private static final String RECENT = """
            -- Firms updated since a date, in some countries
            -- @param since date = 2026-01-01   Only firms updated on or after this date
            -- @param countries text[]          Two-letter country codes
            SELECT t1.firm_root_id, t1.firm_name FROM firm t1
            WHERE t1.updated_at >= {since} AND t1.country_code = ANY({countries})
              AND t1.firm_root_id IN ({ID_PLACEHOLDER})
            """;

    @TempDir
    Path tmp;

    private CliHarness cli;
    private Path folder;

    @BeforeEach
    void harness() throws IOException {
        cli = new CliHarness(tmp);
        folder = Files.createDirectories(tmp.resolve(".config/firmquery/queries"));
    }

    private Path userQuery(String name, String text) throws IOException {
        return Files.writeString(folder.resolve(name + ".sql"), text);
    }

    @Test
    void theListShowsEachQuerysParametersAndFolder() throws IOException {
        Path recent = userQuery("recent_firms", RECENT);
        assertEquals(ExitCode.COMPLETED, cli.run(Map.of(), "queries"), cli.both());
        String out = cli.stdout();
        assertTrue(out.contains("recent_firms  Firms updated since a date, in some countries\n"
                + "    ~/.config/firmquery/queries: " + recent + "\n"
                + "    --param since (date, default 2026-01-01)  Only firms updated on or after this date\n"
                + "    --param countries (text[], required)  Two-letter country codes\n"), out);
        assertTrue(out.contains("firm_details"), "the shipped queries are listed too: " + out);
    }

    @Test
    void anInvalidTemplateIsListedWithItsError() throws IOException {
        userQuery("broken", "-- Half done\n-- @param since date\nSELECT t1.firm_root_id FROM firm t1\n"
                + "WHERE t1.x = {until} AND t1.firm_root_id IN ({ID_PLACEHOLDER})\n");
        assertEquals(ExitCode.COMPLETED, cli.run(Map.of(), "queries"), cli.both());
        String out = cli.stdout();
        assertTrue(out.contains("broken        Half done\n"), out);
        assertTrue(out.contains("[invalid]"), out);
        assertTrue(out.contains("    error: 2 problems with the template's parameters:"), out);
        assertTrue(out.contains("broken.sql:4:14: {until} is not a declared parameter"), out);
        assertTrue(out.contains("broken.sql:2:1: parameter since is declared but {since} is not used"), out);
    }

    @Test
    void showPrintsTheResolvedPathShaParametersAndText() throws IOException {
        Path recent = userQuery("recent_firms", RECENT);
        assertEquals(ExitCode.COMPLETED, cli.run(Map.of(), "queries", "show", "recent_firms"), cli.both());
        String out = cli.stdout();
        assertTrue(out.startsWith("name:        recent_firms\n"
                + "description: Firms updated since a date, in some countries\n"
                + "folder:      ~/.config/firmquery/queries\n"
                + "path:        " + recent + "\n"
                + "sha256:      " + QueryTemplate.sha256Of(recent) + "\n"
                + "parameters:\n"
                + "  --param since (date, default 2026-01-01)  Only firms updated on or after this date\n"), out);
        assertTrue(out.endsWith("\n" + RECENT + "\n"), "the text follows: " + out);
    }

    @Test
    void showOfAnInvalidTemplatePrintsItsErrorAndExits2() throws IOException {
        userQuery("broken", "-- Broken\nSELECT 1\n");
        assertEquals(ExitCode.USAGE, cli.run(Map.of(), "queries", "show", "broken"), cli.both());
        assertTrue(cli.stdout().contains("status:      invalid\n  error: "), cli.stdout());
        assertTrue(cli.stdout().contains("{ID_PLACEHOLDER} is missing"), cli.stdout());
    }

    @Test
    void showOfAnUnknownNameSaysWhichNamesThereAre() {
        assertEquals(ExitCode.USAGE, cli.run(Map.of(), "queries", "show", "nosuch"), cli.both());
        assertTrue(cli.stderr().contains("query 'nosuch' not found"), cli.stderr());
        assertTrue(cli.stderr().contains("firm_details"), cli.stderr());
        assertFalse(cli.stdout().contains("sha256"), cli.stdout());
    }

    @Test
    void showWithoutANameIsAUsageError() {
        assertEquals(ExitCode.USAGE, cli.run(Map.of(), "queries", "show"), cli.both());
        assertTrue(cli.stderr().contains("queries show needs a query name"), cli.stderr());
    }

    @Test
    void terminalEscapesInAQueryFileAreNotPrinted() throws IOException {
        userQuery("sneaky", "-- Nice \u001b]0;owned\u0007 query\nSELECT t1.firm_root_id FROM firm t1"
                + " WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})\n");
        assertEquals(ExitCode.COMPLETED, cli.run(Map.of(), "queries"), cli.both());
        assertFalse(cli.stdout().contains("\u001b"), cli.stdout());
    }
}
