package dev.firmquery.config;

import dev.firmquery.testing.OtherOsUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The system file and the administrator's policy")
class SystemLayerTest {
    private static final String LOCKING_POLICY = """
            database:
              host: crdb.example.com
            policy:
              locked: [database.host, database.port, kerberos.spn]
            """;

    @TempDir
    Path tempDir;
    ConfigFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new ConfigFixture(tempDir);
    }

    @Nested
    @DisplayName("as a layer")
    class Layering {

        @Test
        @DisplayName("its values override the defaults and say they came from the system file, with the line")
        void overridesDefaults() throws ConfigException {
            Path file = fixture.withSystemFile("database:\n  port: 5432\n");

            LoadedConfig loaded = fixture.load();

            assertEquals(5432, loaded.config().database().port());
            assertEquals("system file " + file, loaded.settings().get("database.port").source());
        }

        @Test
        @DisplayName("lies below the user file: a key both set takes the user's value")
        void belowTheUserFile() throws ConfigException {
            fixture.withSystemFile("database:\n  port: 5432\n  database: firms\n");
            Path user = fixture.withImplicitUserFile("database:\n  port: 6543\n");

            LoadedConfig loaded = fixture.load();

            assertEquals(6543, loaded.config().database().port());
            assertEquals("user file " + user, loaded.settings().get("database.port").source());
            assertEquals("firms", loaded.config().database().database());
        }

        @Test
        @DisplayName("an absent /etc/firmquery/config.yaml is no layer at all; a missing FIRMQUERY_SYSTEM_CONFIG file is an error")
        void missingFile() {
            fixture.withVariable(SystemLayer.VARIABLE, tempDir.resolve("nowhere.yaml").toString());

            ConfigException e = fixture.failure();

            assertTrue(e.getMessage().contains(tempDir.resolve("nowhere.yaml") + " (FIRMQUERY_SYSTEM_CONFIG) does not exist"),
                    e.getMessage());
            assertEquals(dev.firmquery.exit.ExitCode.USAGE, e.exitCode());
        }

        @Test
        @DisplayName("the Debian package's commented-out file changes nothing")
        void debianConffile() throws ConfigException {
            fixture.withSystemFile(ConfigFixture.read(ConfigFixture.projectFile("src/dist/deb/config.yaml")));

            LoadedConfig loaded = fixture.load();

            assertEquals("localhost", loaded.config().database().host());
            assertEquals(AppConfig.Policy.NONE.locked(), loaded.config().policy().locked());
            assertFalse(loaded.config().policy().restrictsQueries());
        }

        @Test
        @DisplayName("FIRMQUERY_SYSTEM_CONFIG is not taken for a setting (no unknown-variable warning)")
        void variableIsNotASetting() throws ConfigException {
            fixture.withSystemFile("database:\n  port: 5432\n");

            assertEquals(List.of(), fixture.load().warnings());
        }

        @Test
        @DisplayName("firmquery config shows the system file as the origin and marks locked keys")
        void listingMarksLockedKeys() throws ConfigException {
            Path file = fixture.withSystemFile(LOCKING_POLICY);

            List<String> lines = ConfigListing.lines(fixture.load().settings(), false);

            String host = lines.stream().filter(l -> l.startsWith("database.host ")).findFirst().orElseThrow();
            assertTrue(host.contains("crdb.example.com") && host.contains("(system file " + file + ")")
                    && host.endsWith("[locked by policy]"), host);
            String chunk = lines.stream().filter(l -> l.startsWith("processing.chunk_size ")).findFirst().orElseThrow();
            assertFalse(chunk.contains("locked"), chunk);
        }
    }

    @Nested
    @DisplayName("trust")
    class Trust {

        @Test
        @DisplayName("a system file its group or others may write is refused, naming the file and the chmod")
        void groupWritableFile() throws Exception {
            Path file = fixture.withSystemFile(LOCKING_POLICY);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));

            ConfigException e = fixture.failure();

            assertTrue(e.getMessage().contains("the system file " + file.toRealPath() + " is writable by its group or by"
                    + " others (mode rw-rw-r--)"), e.getMessage());
            assertTrue(e.getMessage().contains("chmod go-w"), e.getMessage());
        }

        @Test
        @DisplayName("a system file in a folder others may write is refused (they could replace it)")
        void otherWritableFolder() throws Exception {
            Path file = fixture.withSystemFile(LOCKING_POLICY);
            Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
            try {
                ConfigException e = fixture.failure();

                assertTrue(e.getMessage().contains("its folder " + file.getParent().toRealPath() + " (of the system file)"
                        + " is writable by its group or by others"), e.getMessage());
            } finally {
                Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwx------"));
            }
        }

        @Test
        @DisplayName("a system file another OS user owns is refused, naming the owner and the chown")
        void otherUsersFile() throws Exception {
            Path file = fixture.withSystemFile(LOCKING_POLICY);
            Files.setOwner(file, OtherOsUser.principal());

            ConfigException e = fixture.failure();

            assertTrue(e.getMessage().contains("the system file " + file.toRealPath() + " belongs to "
                    + OtherOsUser.NAME), e.getMessage());
            assertTrue(e.getMessage().contains("not to root or to you") && e.getMessage().contains("chown root:root"),
                    e.getMessage());
        }

        @Test
        @DisplayName("root's own files are trusted whoever runs firmquery")
        void rootsFile() {
            assertTrue(SystemLayer.untrusted(Path.of("/etc/passwd"), 12345).isEmpty());
        }

        @Test
        @DisplayName("a symbolic link is followed and the file it points at is checked")
        void linkIsFollowed() throws Exception {
            Path file = fixture.withSystemFile("database:\n  port: 5432\n");
            Path link = Files.createSymbolicLink(tempDir.resolve("link.yaml"), file);
            fixture.withVariable(SystemLayer.VARIABLE, link.toString());
            assertEquals(5432, fixture.load().config().database().port());

            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--rw-"));

            assertTrue(fixture.failure().getMessage().contains("the system file " + file.toRealPath() + " is writable"));
        }
    }

    @Nested
    @DisplayName("policy.locked")
    class Locked {

        @Test
        @DisplayName("a locked key left alone takes the system file's value")
        void lockedValueApplies() throws ConfigException {
            fixture.withSystemFile(LOCKING_POLICY);

            LoadedConfig loaded = fixture.load();

            assertEquals("crdb.example.com", loaded.config().database().host());
            assertEquals(Set.of("database.host", "database.port", "kerberos.spn"), loaded.config().policy().locked());
            assertTrue(loaded.settings().get("database.port").locked());
        }

        @Test
        @DisplayName("set in the user file: refused (exit 2) naming the key, the user file's line, the policy file and the way out")
        void userFile() {
            Path policy = fixture.withSystemFile(LOCKING_POLICY);
            Path user = fixture.withImplicitUserFile("database:\n  host: mine.example.com\n");

            ConfigException e = fixture.failure();

            assertEquals(dev.firmquery.exit.ExitCode.USAGE, e.exitCode());
            assertEquals(List.of("database.host is locked by the administrator's policy (policy.locked in " + policy
                    + ") but user file " + user + ":2 sets it to \"mine.example.com\"; remove it there (or drop the --set"
                    + " or variable) to use the value the policy fixes, or ask the administrator to change it in "
                    + policy), e.problems());
        }

        @Test
        @DisplayName("set by an environment overlay (--env): refused")
        void overlay() {
            fixture.withSystemFile(LOCKING_POLICY);
            fixture.withAppOverlay("dev", "database:\n  port: 5432\n");
            fixture.withEnv("dev");

            assertLockRefused("database.port", "environment overlay dev");
        }

        @Test
        @DisplayName("set by a FIRMQUERY_* variable: refused")
        void variable() {
            fixture.withSystemFile(LOCKING_POLICY);
            fixture.withVariable("FIRMQUERY_KERBEROS_SPN", "postgres");

            assertLockRefused("kerberos.spn", "environment variable FIRMQUERY_KERBEROS_SPN");
        }

        @Test
        @DisplayName("set by --set: refused, even to the value the policy fixes")
        void commandLine() {
            fixture.withSystemFile(LOCKING_POLICY);
            fixture.withSet("database.host=crdb.example.com");

            assertLockRefused("database.host", "--set");
        }

        @Test
        @DisplayName("a key that is not lockable (per user) cannot be locked: the problem lists the lockable keys")
        void perUserKeyCannotBeLocked() {
            fixture.withSystemFile("policy:\n  locked: [database.user]\n");

            ConfigException e = fixture.failure();

            assertTrue(e.getMessage().contains("database.user cannot be locked: it is a per-user setting"), e.getMessage());
            assertTrue(e.getMessage().contains("the lockable keys are application.max_input_ids, database.host"),
                    e.getMessage());
        }

        @Test
        @DisplayName("an unknown key in the list is an error with a suggestion")
        void unknownKey() {
            fixture.withSystemFile("policy:\n  locked: [database.hots]\n");

            ConfigException e = fixture.failure();

            assertTrue(e.getMessage().contains("unknown key database.hots (did you mean database.host?)"), e.getMessage());
        }

        private void assertLockRefused(String key, String origin) {
            ConfigException e = fixture.failure();
            assertEquals(1, e.problems().size(), e.getMessage());
            String problem = e.problems().get(0);
            assertTrue(problem.startsWith(key + " is locked by the administrator's policy (policy.locked in "),
                    problem);
            assertTrue(problem.contains(" but " + origin), problem);
        }
    }

    @Nested
    @DisplayName("the policy section outside the system file")
    class PolicyElsewhere {

        @Test
        @DisplayName("in the user file: refused, so a user cannot lift a lock by emptying the list")
        void userFile() {
            fixture.withSystemFile(LOCKING_POLICY);
            Path user = fixture.withImplicitUserFile("policy:\n  locked: [processing.chunk_size]\n");

            ConfigException e = fixture.failure();

            assertEquals(List.of("policy.locked is set in user file " + user + ":2: the policy is read only from the"
                    + " system file (/etc/firmquery/config.yaml, or the file FIRMQUERY_SYSTEM_CONFIG names), which the"
                    + " administrator keeps; remove it from there"), e.problems());
        }

        @Test
        @DisplayName("by --set or a variable: refused")
        void commandLineAndVariable() {
            fixture.withSet("policy.approved_queries=mine");
            fixture.withVariable("FIRMQUERY_POLICY_LOCKED", "");

            ConfigException e = fixture.failure();

            assertEquals(2, e.problems().size(), e.getMessage());
            assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("policy.locked is set in environment variable")));
            assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("policy.approved_queries is set in --set")));
        }
    }

    @Nested
    @DisplayName("policy.approved_queries")
    class Approved {

        @Test
        @DisplayName("names and text hashes are read in order; the policy knows its file and the admin's query folders")
        void read() throws ConfigException {
            String hash = "sha256:" + "ab".repeat(32);
            Path file = fixture.withSystemFile("policy:\n  approved_queries: [firm_details, \"" + hash + "\"]\n");

            AppConfig.Policy policy = fixture.load().config().policy();

            assertEquals(List.of("firm_details", hash), policy.approvedQueries());
            assertEquals(file, policy.file());
            assertEquals(List.of(file.getParent().resolve("queries"), fixture.appHome.resolve("sql/queries")),
                    policy.queryFolders());
        }

        @Test
        @DisplayName("a query folder others may write is not the administrator's: names are not looked up there, with a warning")
        void untrustedQueryFolder() throws Exception {
            Path file = fixture.withSystemFile("policy:\n  approved_queries: [firm_details]\n");
            Path queries = Files.createDirectories(file.getParent().resolve("queries"));
            Files.setPosixFilePermissions(queries, PosixFilePermissions.fromString("rwxrwxrwx"));

            LoadedConfig loaded = fixture.load();
            Path real = queries.toRealPath();

            assertEquals(List.of(fixture.appHome.resolve("sql/queries")), loaded.config().policy().queryFolders());
            assertTrue(loaded.warnings().stream().anyMatch(w -> w.startsWith("the query folder " + real
                    + " is writable by its group or by others") && w.endsWith("the names policy.approved_queries lists"
                    + " are not looked up there")), loaded.warnings().toString());
        }

        @Test
        @DisplayName("a malformed hash is an error saying what a hash looks like")
        void badHash() {
            fixture.withSystemFile("policy:\n  approved_queries: [\"sha256:3f2a\"]\n");

            ConfigException e = fixture.failure();

            assertTrue(e.getMessage().contains("sha256:3f2a is not a text hash: expected sha256: and the 64 hex digits"),
                    e.getMessage());
        }

        @Test
        @DisplayName("without a system file there is no policy: nothing locked, any query")
        void noSystemFile() throws ConfigException {
            AppConfig.Policy policy = fixture.load().config().policy();

            assertNull(policy.file());
            assertFalse(policy.restrictsQueries());
            assertEquals(Set.of(), policy.locked());
            assertTrue(Map.copyOf(fixture.load().settings()).values().stream().noneMatch(Setting::locked));
        }
    }
}
