package dev.firmquery.cli;

import dev.firmquery.demo.DemoData;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.sql.QueryTemplate;
import dev.firmquery.testing.AuditLines;
import dev.firmquery.testing.CliHarness;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line under an administrator's system file: locked keys refused from every user layer,
 * unapproved queries refused before the database is touched, approved ones run against the test
 * PostgreSQL, and {@code firmquery queries} showing where each query comes from.
 */
@DisplayName("The command line under an administrator's policy")
class PolicyCommandTest {
    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;
    private CliHarness cli;
    private Path systemFile;

    @BeforeAll
    static void database() {
        db = TestPostgres.demoDatabase(200, 11);
    }

    @BeforeEach
    void harness() {
        cli = new CliHarness(tmp);
    }

    /** Writes the system file (0644 in a 0755 folder, as root's would be) and returns the environment naming it. */
    private Map<String, String> policy(String yaml) throws IOException {
        Path etc = Files.createDirectories(tmp.resolve("etc/firmquery"));
        systemFile = Files.writeString(etc.resolve("config.yaml"), yaml);
        Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(systemFile, PosixFilePermissions.fromString("rw-r--r--"));
        Map<String, String> env = new HashMap<>(TestConfigs.environment(db));
        env.put("FIRMQUERY_SYSTEM_CONFIG", systemFile.toString());
        return env;
    }

    private String ids() throws IOException {
        return Files.writeString(tmp.resolve("ids.txt"), DemoData.firmId(1) + "\n" + DemoData.firmId(2) + "\n")
                .toString();
    }

    private Path userQuery(String name, String text) throws IOException {
        Path folder = Files.createDirectories(tmp.resolve(".config/firmquery/queries"));
        return Files.writeString(folder.resolve(name + ".sql"), text);
    }

    private static final String MY_DETAILS = "-- my own details\nSELECT firm_root_id FROM firm WHERE firm_root_id IN "
            + "({ID_PLACEHOLDER})\n";

    @Test
    @DisplayName("a locked key given with --set is refused with exit 2 naming the key, the policy file and the way out")
    void lockedKeyOnTheCommandLine() throws IOException {
        Map<String, String> env = policy("policy:\n  locked: [processing.chunk_size]\n");

        ExitCode code = cli.run(env, "run", "--ids", ids(), "--query", "firm_details", "--set", "processing.chunk_size=10");

        assertEquals(ExitCode.USAGE, code, cli.both());
        assertTrue(cli.stderr().contains("processing.chunk_size is locked by the administrator's policy (policy.locked in "
                + systemFile + ") but --set sets it to \"10\"; remove it there (or drop the --set or variable)"),
                cli.both());
    }

    @Test
    @DisplayName("a locked key set by a FIRMQUERY_* variable is refused the same way")
    void lockedKeyFromAVariable() throws IOException {
        Map<String, String> env = policy("policy:\n  locked: [database.host]\n");

        ExitCode code = cli.run(env, "check"); // TestConfigs.environment sets FIRMQUERY_DATABASE_HOST

        assertEquals(ExitCode.USAGE, code, cli.both());
        assertTrue(cli.stderr().contains("database.host is locked by the administrator's policy (policy.locked in "
                + systemFile + ") but environment variable FIRMQUERY_DATABASE_HOST sets it"), cli.both());
    }

    @Test
    @DisplayName("firmquery config marks the locked keys and names the system file as their origin")
    void configMarksLockedKeys() throws IOException {
        Map<String, String> env = policy("processing:\n  chunk_size: 300\npolicy:\n  locked: [processing.chunk_size]\n");

        assertEquals(ExitCode.COMPLETED, cli.run(env, "config"), cli.both());

        assertTrue(cli.stdout().matches("(?s).*processing\\.chunk_size\\s+= 300\\s+\\(system file " + systemFile
                + "\\)  \\[locked by policy]\n.*"), cli.stdout());
    }

    @Test
    @DisplayName("firmquery check lists the system file between the defaults and the user's layers")
    void checkListsTheSystemFileInItsPlace() throws IOException {
        Map<String, String> env = policy("processing:\n  chunk_size: 300\n");

        cli.run(env, "check");

        String config = java.util.Arrays.stream(cli.stdout().split("\n")).filter(l -> l.startsWith("  ok    config "))
                .findFirst().orElseThrow(() -> new AssertionError(cli.both()));
        assertTrue(config.contains("defaults < system file " + systemFile + " < environment variable"), config);
    }

    @Test
    @DisplayName("an unapproved query is refused (exit 2) before the database is touched, and audited as refused")
    void unapprovedQueryIsRefusedBeforeTheDatabase() throws IOException {
        Map<String, String> env = policy("policy:\n  approved_queries: [firm_names]\n");
        env.put("FIRMQUERY_DATABASE_PORT", "1"); // nothing listens: a connection attempt would be exit 3
        try (AuditLines audit = AuditLines.capture()) {
            ExitCode code = cli.run(env, "run", "--ids", ids(), "--query", "firm_details", "--out",
                    tmp.resolve("out").toString());

            assertEquals(ExitCode.USAGE, code, cli.both());
            assertTrue(cli.stderr().contains("query firm_details (") && cli.stderr().contains("is not approved by the "
                    + "administrator's policy (policy.approved_queries in " + systemFile + ": firm_names); run one of "
                    + "the approved queries"), cli.both());
            assertEquals("refused", audit.only().get("outcome").asText());
        }
        assertFalse(Files.exists(tmp.resolve("out")), "nothing was written");
    }

    @Test
    @DisplayName("an approved name runs the administrator's query (here the installation's)")
    void approvedNameRuns() throws IOException {
        Map<String, String> env = policy("policy:\n  approved_queries: [firm_details]\n");

        ExitCode code = cli.run(env, "run", "--ids", ids(), "--query", "firm_details", "--out",
                tmp.resolve("out").toString(), "--format", "csv");

        assertEquals(ExitCode.COMPLETED, code, cli.both());
    }

    @Test
    @DisplayName("an approved name runs the query of that name in the system's query folder")
    void approvedNameRunsFromTheSystemFolder() throws IOException {
        Map<String, String> env = policy("policy:\n  approved_queries: [firm_ids]\n");
        systemQuery("firm_ids", MY_DETAILS);

        ExitCode code = cli.run(env, "run", "--ids", ids(), "--query", "firm_ids", "--out",
                tmp.resolve("out").toString(), "--format", "csv");

        assertEquals(ExitCode.COMPLETED, code, cli.both());
    }

    @Test
    @DisplayName("an approved name does not approve a user's file of that name that shadows the administrator's")
    void approvedNameDoesNotApproveAShadowingFile() throws IOException {
        Map<String, String> env = policy("policy:\n  approved_queries: [firm_ids]\n");
        systemQuery("firm_ids", MY_DETAILS);
        Path mine = userQuery("firm_ids", MY_DETAILS + "-- mine\n");

        ExitCode code = cli.run(env, "run", "--ids", ids(), "--query", "firm_ids", "--out",
                tmp.resolve("out").toString());

        assertEquals(ExitCode.USAGE, code, cli.both());
        assertTrue(cli.stderr().contains("query firm_ids (" + mine + ", sha256:"), cli.both());
        assertTrue(cli.stderr().contains("the name firm_ids is approved only as found in " + systemFile.getParent()
                .resolve("queries")), cli.both());
    }

    @Test
    @DisplayName("a text hash approves that exact file wherever it is, and not an edited copy")
    void hashApprovesTheText() throws IOException {
        Path mine = Files.writeString(tmp.resolve("mine.sql"), MY_DETAILS);
        Map<String, String> env = policy("policy:\n  approved_queries: [\"sha256:" + QueryTemplate.sha256Of(mine) + "\"]\n");

        ExitCode approved = cli.run(env, "run", "--ids", ids(), "--query", mine.toString(), "--out",
                tmp.resolve("out").toString(), "--format", "csv");
        assertEquals(ExitCode.COMPLETED, approved, cli.both());

        Files.writeString(mine, MY_DETAILS + "-- edited\n");
        ExitCode edited = cli.run(env, "run", "--ids", ids(), "--query", mine.toString(), "--out",
                tmp.resolve("out").toString(), "--format", "csv");
        assertEquals(ExitCode.USAGE, edited, cli.both());
    }

    @Test
    @DisplayName("a run started before the policy approved other queries is not finished under it: --retry-failed is refused")
    void resumeFollowsThePolicyOfNow() throws IOException {
        Path boom = Files.writeString(tmp.resolve("boom.sql"), "SELECT firm_root_id, 1 / (firm_root_id - "
                + DemoData.firmId(1) + ") AS boom FROM firm WHERE firm_root_id IN ({ID_PLACEHOLDER})");
        Path out = tmp.resolve("out");
        ExitCode partial = cli.run(TestConfigs.environment(db), "run", "--ids", ids(), "--query", boom.toString(),
                "--out", out.toString(), "--set", "processing.chunk_size=1", "--set", "processing.max_retries=0");
        assertEquals(ExitCode.PARTIAL, partial, cli.both());
        Path runDir;
        try (java.util.stream.Stream<Path> runs = Files.list(out.resolve(".firmquery"))) {
            runDir = runs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Map<String, String> env = policy("policy:\n  approved_queries: [firm_details]\n");

        ExitCode code = cli.run(env, "run", "--retry-failed", runDir.toString());

        assertEquals(ExitCode.USAGE, code, cli.both());
        assertTrue(cli.stderr().contains("query boom (" + boom + ", sha256:" + QueryTemplate.sha256Of(boom)
                + ") is not approved by the administrator's policy"), cli.both());
    }

    @Test
    @DisplayName("firmquery queries lists each query's origin, which one a name resolves to, and the unapproved")
    void queriesShowsOriginsShadowsAndApproval() throws IOException {
        Map<String, String> env = policy("policy:\n  approved_queries: [firm_ids]\n");
        Path admins = systemQuery("firm_ids", "-- the administrator's\n" + MY_DETAILS);
        Path mine = userQuery("firm_ids", MY_DETAILS);

        assertEquals(ExitCode.COMPLETED, cli.run(env, "queries"), cli.both());

        String out = cli.stdout();
        assertTrue(out.contains("firm_ids      my own details\n    ~/.config/firmquery/queries: " + mine
                + "  [not approved by the policy]\n"), out);
        assertTrue(out.contains("firm_ids      the administrator's\n    system " + admins.getParent() + ": " + admins
                + "  [shadowed: firm_ids runs " + mine + "]\n"), out);
        assertTrue(out.matches("(?s).*firm_names    Firm names only[^\n]*\n    \\./sql/queries: [^\n]*firm_names\\.sql"
                + "  \\[not approved by the policy]\n.*"), out);
        assertTrue(out.contains("    built in: "), out);
    }

    private Path systemQuery(String name, String text) throws IOException {
        Path folder = Files.createDirectories(systemFile.getParent().resolve("queries"));
        return Files.writeString(folder.resolve(name + ".sql"), text);
    }
}
