package dev.firmquery.config;

import dev.firmquery.config.AppConfig.AuthMode;
import dev.firmquery.ids.IdType;
import dev.firmquery.sql.IdBinding;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

@DisplayName("Validation")
class ConfigValidationTest {

    @TempDir
    Path tempDir;
    ConfigFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new ConfigFixture(tempDir);
    }

    static final String HOST = "expected a host name (letters, digits, '-', '.'), an IPv4 address such as 10.1.2.3"
            + " or an IPv6 address in brackets such as [fd00::1]";

    static Stream<Arguments> invalidValues() {
        String ssl = "expected one of: disable, allow, prefer, require, verify-ca, verify-full "
                + "(or empty: verify-full, except prefer with password authentication to this machine)";
        return Stream.of(
                arguments("application.max_input_ids", "0", "expected a whole number from 1 to 10000000"),
                arguments("application.max_input_ids", "10000001", "expected a whole number from 1 to 10000000"),
                arguments("application.warning_threshold", "-1", "expected a whole number from 1 to 10000000"),
                arguments("database.host", "", "expected a value, not an empty string"),
                arguments("database.host", "db host", HOST + "; U+0020 is not allowed in a host name (the driver"
                        + " would read it as part of the connection URL)"),
                arguments("database.port", "0", "expected a whole number from 1 to 65535"),
                arguments("database.port", "65536", "expected a whole number from 1 to 65535"),
                arguments("database.port", "five", "expected a whole number from 1 to 65535"),
                arguments("database.database", "", "expected a value, not an empty string"),
                arguments("database.auth", "ldap", "expected one of: kerberos, password"),
                arguments("database.ssl_mode", "strict", ssl),
                arguments("database.connection_timeout", "0", "expected a number of seconds from 1 to 3600 (decimals allowed)"),
                arguments("database.query_timeout", "-5", "expected a number of seconds from 1 to 86400 (decimals allowed)"),
                arguments("database.query_timeout", "0", "0 (no limit) is not allowed: a database that stops answering"
                        + " would hang the run forever; set the longest a chunk may run, from 1 to 86400 seconds (24 h)"),
                arguments("database.query_timeout", "0.0", "0 (no limit) is not allowed: a database that stops answering"
                        + " would hang the run forever; set the longest a chunk may run, from 1 to 86400 seconds (24 h)"),
                arguments("database.max_connections", "0", "expected a whole number from 1 to 64"),
                arguments("database.max_connections", "65", "expected a whole number from 1 to 64"),
                arguments("database.max_connection_age", "half an hour",
                        "expected a number of seconds from 0 to 86400 (decimals allowed, e.g. 0.5; 0 means no limit)"),
                arguments("kerberos.mode", "password", "expected one of: ticket-cache, keytab, native, jaas"),
                arguments("kerberos.expired_wait", "-1",
                        "expected a number of seconds from 0 to 86400 (decimals allowed, e.g. 0.5; 0 means stop at once)"),
                arguments("kerberos.renew", "sometimes", "expected true or false"),
                arguments("kerberos.spn", "postgres/db1/extra", "expected a service name such as postgres or cockroachdb, "
                        + "or a full service principal such as cockroachdb/db1.example.com@EXAMPLE.COM (no spaces, one '/' "
                        + "and at most one '@')"),
                arguments("kerberos.principal", "alice smith@EXAMPLE.COM", "expected a Kerberos principal such as "
                        + "alice@EXAMPLE.COM or alice (no spaces, at most one '@')"),
                arguments("processing.chunk_size", "abc", "expected a whole number from 1 to 10000"),
                arguments("processing.chunk_size", "0", "expected a whole number from 1 to 10000"),
                arguments("processing.chunk_size", "10001", "expected a whole number from 1 to 10000"),
                arguments("processing.chunk_size", "2.5", "expected a whole number from 1 to 10000"),
                arguments("processing.chunk_size", "99999999999999999999", "expected a whole number from 1 to 10000"),
                arguments("processing.max_query_length", "99", "expected a whole number from 100 to 2147483647"),
                arguments("processing.max_retries", "-1", "expected a whole number from 0 to 20"),
                arguments("processing.max_retries", "21", "expected a whole number from 0 to 20"),
                arguments("processing.retry_delay", "3601", "expected a number of seconds from 0 to 3600 (decimals allowed, e.g. 0.5)"),
                arguments("processing.retry_delay", "-0.1", "expected a number of seconds from 0 to 3600 (decimals allowed, e.g. 0.5)"),
                arguments("processing.retry_delay", "5s", "expected a number of seconds from 0 to 3600 (decimals allowed, e.g. 0.5)"),
                arguments("processing.thread_count", "0", "expected a whole number from 1 to 16"),
                arguments("processing.thread_count", "17", "expected a whole number from 1 to 16"),
                arguments("processing.id_type", "uuid", "expected one of: integer, text"),
                arguments("processing.id_binding", "inline", "expected one of: bind, literal, array"),
                arguments("processing.id_order", "random", "expected one of: sorted, input"),
                arguments("processing.id_order", "", "expected one of: sorted, input"),
                arguments("processing.allow_writes", "maybe", "expected true or false"),
                arguments("processing.fetch_size", "0", "expected a whole number from 1 to 100000"),
                arguments("processing.fetch_size", "100001", "expected a whole number from 1 to 100000"),
                arguments("output.default_directory", "", "expected a value, not an empty string"),
                arguments("output.filename_pattern", "", "expected a value, not an empty string"),
                arguments("output.filename_pattern", "out/firm_{timestamp}",
                        "expected a file name without path separators; choose the directory with output.default_directory or --out"),
                arguments("output.filename_pattern", "firm_{datum}", "expected only the placeholders {timestamp}, "
                        + "{date}, {query}, {user}, {input}; {datum} is not one"),
                arguments("output.filename_pattern", "firm_{date", "expected only the placeholders {timestamp}, "
                        + "{date}, {query}, {user}, {input}, each in one pair of braces"),
                arguments("output.filename_pattern", "firm query", "expected only letters, digits, '.', '_', '-' and "
                        + "the placeholders {timestamp}, {date}, {query}, {user}, {input}"),
                arguments("output.filename_pattern", ".firm", "expected a name that does not start with '.' or '-'"),
                arguments("output.csv_gzip", "2", "expected true or false"),
                arguments("output.csv_formula_guard", "sometimes", "expected true or false"),
                arguments("processing.outage_wait", "-1", "expected a number of seconds from 0 to 86400 (decimals allowed, e.g. 0.5)"),
                arguments("output.file_mode", "rw-------", "expected an octal file mode such as 0600 (owner only) or 0640 (owner and group read), in which the owner can read and write and nobody can execute"),
                arguments("output.file_mode", "0400", "expected an octal file mode such as 0600 (owner only) or 0640 (owner and group read), in which the owner can read and write and nobody can execute"),
                arguments("output.file_mode", "0700", "expected an octal file mode such as 0600 (owner only) or 0640 (owner and group read), in which the owner can read and write and nobody can execute"),
                arguments("output.file_mode", "0666x", "expected an octal file mode such as 0600 (owner only) or 0640 (owner and group read), in which the owner can read and write and nobody can execute"),
                arguments("logging.directory", "", "expected a value, not an empty string"));
    }

    @Test
    @DisplayName("output.file_mode accepts an octal mode with or without the leading 0")
    void fileModeIsOctal() throws ConfigException {
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"),
                fixture.withSet("output.file_mode=0640").load().config().output().fileMode());
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"),
                fixture.withSet("output.file_mode=644").load().config().output().fileMode());
    }

    @ParameterizedTest(name = "{0} = \"{1}\"")
    @MethodSource("invalidValues")
    @DisplayName("an invalid value is one problem naming the key, the value, the source and what is allowed")
    void invalidValueIsReported(String key, String value, String expectation) {
        ConfigException e = fixture.withSet(key + "=" + value).failure();

        assertEquals(List.of(key + " = \"" + value + "\" (from --set): " + expectation), e.problems());
    }

    @Test
    @DisplayName("a problem names the environment variable that set the value")
    void problemNamesEnvironmentVariable() {
        ConfigException e = fixture.withVariable("FIRMQUERY_PROCESSING_CHUNK_SIZE", "abc").failure();

        assertEquals(List.of("processing.chunk_size = \"abc\" (from environment variable FIRMQUERY_PROCESSING_CHUNK_SIZE): "
                + "expected a whole number from 1 to 10000"), e.problems());
        assertEquals("configuration error: " + e.problems().get(0), e.getMessage());
    }

    @Test
    @DisplayName("a problem from a file names the file and the key's line")
    void problemNamesFileAndLine() {
        ConfigException e = fixture.withConfigFile("# tuning\nprocessing:\n  chunk_size: abc\n").failure();

        Path file = tempDir.resolve("given-config.yaml").toAbsolutePath().normalize();
        assertEquals(List.of("processing.chunk_size = \"abc\" (from user file " + file + ":3): "
                + "expected a whole number from 1 to 10000"), e.problems());
    }

    @Test
    @DisplayName("every problem is reported together, each with its own source")
    void allProblemsTogether() {
        ConfigException e = fixture.withConfigFile("database:\n  auth: ldap\n")
                .withVariable("FIRMQUERY_PROCESSING_CHUNK_SIZE", "abc")
                .withSet("database.port=0", "output.formats=pdf").failure();

        assertEquals(4, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).startsWith("database.port = \"0\" (from --set)"), e.problems().get(0));
        assertTrue(e.problems().get(1).startsWith("database.auth = \"ldap\" (from user file "), e.problems().get(1));
        assertTrue(e.problems().get(2).startsWith("processing.chunk_size = \"abc\" (from environment variable"), e.problems().get(2));
        assertTrue(e.problems().get(3).startsWith("output.formats = \"pdf\" (from --set)"), e.problems().get(3));
        assertTrue(e.getMessage().startsWith("4 configuration errors:\n  - database.port"), e.getMessage());
    }

    @Test
    @DisplayName("a list where a single value belongs is a problem")
    void listForScalar() {
        ConfigException e = fixture.withConfigFile("database:\n  host: [a, b]\n").failure();

        assertEquals(1, e.problems().size());
        assertTrue(e.problems().get(0).startsWith("database.host = \"a,b\" (from user file "), e.problems().get(0));
        assertTrue(e.problems().get(0).endsWith("expected a single value, not a list"), e.problems().get(0));
    }

    @Test
    @DisplayName("a key missing from every source (an edited default.yaml) is a problem naming its variable")
    void missingKey() throws Exception {
        String shipped = ConfigFixture.read(ConfigFixture.projectFile("config/default.yaml"));
        fixture.withAppDefaults(shipped.replace("  fetch_size: 1000\n", ""));

        ConfigException e = fixture.failure();

        assertEquals(List.of("processing.fetch_size is not set in any source: add it to config/default.yaml, "
                + "a configuration file or FIRMQUERY_PROCESSING_FETCH_SIZE"), e.problems());
    }

    @Nested
    @DisplayName("accepted forms")
    class Accepted {

        @ParameterizedTest(name = "{0} = \"{1}\"")
        @CsvSource({
                "processing.chunk_size, 1",
                "processing.chunk_size, 10000",
                "processing.chunk_size, ' 300 '",
                "processing.chunk_size, 1_000",
                "processing.max_query_length, 100",
                "processing.max_retries, 0",
                "processing.retry_delay, 0",
                "processing.fetch_size, 100000",
                "database.query_timeout, 1",
                "database.query_timeout, 86400",
                "database.max_connection_age, 0",
                "output.filename_pattern, firms-{timestamp}.v2",
                "output.filename_pattern, fixed_name",
        })
        @DisplayName("boundary and alternative values")
        void boundaryValuesAccepted(String key, String value) throws ConfigException {
            LoadedConfig loaded = fixture.withSet(key + "=" + value).load();

            assertEquals(value, loaded.settings().get(key).value());
        }

        @Test
        @DisplayName("durations take decimal seconds")
        void decimalSeconds() throws ConfigException {
            AppConfig c = fixture.withSet("processing.retry_delay=0.5", "database.connection_timeout=2.25").load().config();

            assertEquals(Duration.ofMillis(500), c.processing().retryDelay());
            assertEquals(Duration.ofMillis(2250), c.database().connectionTimeout());
        }

        @Test
        @DisplayName("YAML decimals are durations too")
        void yamlDecimalSeconds() throws ConfigException {
            AppConfig c = fixture.withConfigFile("processing:\n  retry_delay: 0.25\n").load().config();

            assertEquals(Duration.ofMillis(250), c.processing().retryDelay());
        }

        @ParameterizedTest(name = "processing.id_order = \"{0}\" is {1}")
        @CsvSource({"sorted, SORTED", "input, INPUT", "Sorted, SORTED", "INPUT, INPUT"})
        @DisplayName("processing.id_order is sorted or input, in any case")
        void idOrderChoices(String text, AppConfig.IdOrder expected) throws ConfigException {
            assertEquals(expected, fixture.withSet("processing.id_order=" + text).load().config().processing().idOrder());
        }

        @Test
        @DisplayName("processing.id_order defaults to sorted")
        void idOrderDefaultsToSorted() throws ConfigException {
            assertEquals(AppConfig.IdOrder.SORTED, fixture.load().config().processing().idOrder());
        }

        @ParameterizedTest(name = "\"{0}\" is {1}")
        @CsvSource({"true, true", "TRUE, true", "yes, true", "on, true", "false, false", "No, false", "off, false"})
        @DisplayName("booleans")
        void booleans(String text, boolean expected) throws ConfigException {
            assertEquals(expected, fixture.withSet("processing.allow_writes=" + text).load().config().processing().allowWrites());
        }

        @Test
        @DisplayName("choices are case-insensitive and ssl_mode / kerberos.mode accept '_' for '-'")
        void choicesNormalized() throws ConfigException {
            AppConfig c = fixture.withSet("database.auth=PASSWORD", "database.ssl_mode=Verify_CA",
                    "kerberos.mode=TICKET_CACHE", "processing.id_type=Text", "processing.id_binding=ARRAY").load().config();

            assertEquals(AuthMode.PASSWORD, c.database().auth());
            assertEquals("verify-ca", c.database().sslMode());
            assertEquals("ticket-cache", c.kerberos().mode());
            assertEquals(IdType.TEXT, c.processing().idType());
            assertEquals(IdBinding.ARRAY, c.processing().idBinding());
        }

        @Test
        @DisplayName("a leading ~ in paths is the user's home")
        void homeExpansion() throws ConfigException {
            AppConfig c = fixture.withSet("output.default_directory=~/exports", "logging.directory=~",
                    "kerberos.keytab=~/me.keytab").load().config();

            assertEquals(fixture.userHome.resolve("exports"), c.output().defaultDirectory());
            assertEquals(fixture.userHome, c.logging().directory());
            assertEquals(fixture.userHome.resolve("me.keytab").toString(), c.kerberos().keytab());
        }

        @Test
        @DisplayName("an explicit database.user is used as written")
        void explicitUser() throws ConfigException {
            LoadedConfig loaded = fixture.withSet("database.user=report_reader").load();

            assertEquals("report_reader", loaded.config().database().user());
            assertEquals(new Setting("database.user", "report_reader", "--set"), loaded.settings().get("database.user"));
        }
    }

    @Nested
    @DisplayName("rules between keys")
    class CrossRules {

        @Test
        @DisplayName("thread_count above max_connections is an error saying what to change")
        void threadCountAboveMaxConnections() {
            ConfigException e = fixture.withSet("processing.thread_count=3").failure();

            assertEquals(1, e.problems().size());
            String problem = e.problems().get(0);
            assertTrue(problem.startsWith("processing.thread_count = \"3\" (from --set) is greater than "
                    + "database.max_connections = \"2\" (from default (classpath:config/default.yaml:"), problem);
            assertTrue(problem.endsWith(": each worker needs its own connection; "
                    + "raise database.max_connections or lower processing.thread_count"), problem);
        }

        @Test
        @DisplayName("thread_count equal to max_connections is fine")
        void threadCountEqualToMaxConnections() throws ConfigException {
            AppConfig c = fixture.withSet("processing.thread_count=4", "database.max_connections=4").load().config();

            assertEquals(4, c.processing().threadCount());
        }

        @Test
        @DisplayName("warning_threshold above max_input_ids is an error")
        void warningAboveMaximum() {
            ConfigException e = fixture.withSet("application.max_input_ids=1000").failure();

            assertEquals(1, e.problems().size());
            assertTrue(e.problems().get(0).startsWith("application.warning_threshold = \"900000\" (from default ("),
                    e.problems().get(0));
            assertTrue(e.problems().get(0).contains(" is greater than application.max_input_ids = \"1000\" (from --set): "),
                    e.problems().get(0));
        }

        @Test
        @DisplayName("literal binding with text IDs is an error")
        void literalNeedsIntegerIds() {
            ConfigException e = fixture.withSet("processing.id_type=text", "processing.id_binding=literal").failure();

            assertEquals(List.of("processing.id_binding = \"literal\" (from --set): literal binding writes the IDs into "
                    + "the SQL text and is only allowed with integer IDs, but processing.id_type = \"text\" (from --set); "
                    + "use bind or array, or set processing.id_type to integer"), e.problems());
        }

        @Test
        @DisplayName("literal binding with integer IDs is allowed")
        void literalWithIntegerIds() throws ConfigException {
            assertEquals(IdBinding.LITERAL, fixture.withSet("processing.id_binding=literal").load().config().processing().idBinding());
        }

        @Test
        @DisplayName("an invalid id_pattern is an error with text IDs")
        void invalidPatternWithTextIds() {
            ConfigException e = fixture.withSet("processing.id_type=text", "processing.id_pattern=[a-z").failure();

            assertEquals(1, e.problems().size());
            assertTrue(e.problems().get(0).startsWith("processing.id_pattern = \"[a-z\" (from --set): expected a Java "
                    + "regular expression, but it is invalid: Unclosed character class near index 3"), e.problems().get(0));
        }

        @Test
        @DisplayName("an invalid id_pattern is only a warning with integer IDs, and the default pattern is used")
        void invalidPatternWithIntegerIds() throws ConfigException {
            LoadedConfig loaded = fixture.withSet("processing.id_pattern=[a-z").load();

            assertEquals(1, loaded.warnings().size());
            assertTrue(loaded.warnings().get(0).endsWith("it is not used with integer IDs, so it is ignored"),
                    loaded.warnings().get(0));
            assertEquals(ConfigValidator.DEFAULT_ID_PATTERN, loaded.config().processing().idPattern().pattern());
        }

        @Test
        @DisplayName("an empty id_pattern is an error with text IDs")
        void emptyPatternWithTextIds() {
            ConfigException e = fixture.withSet("processing.id_type=text", "processing.id_pattern=").failure();

            assertEquals(List.of("processing.id_pattern = \"\" (from --set): a regular expression is required when "
                    + "processing.id_type is text, e.g. [A-Za-z0-9_.:-]{1,64}"), e.problems());
        }

        @Test
        @DisplayName("a custom id_pattern is compiled for text IDs")
        void customPattern() throws ConfigException {
            AppConfig c = fixture.withConfigFile("processing:\n  id_type: text\n  id_pattern: 'F-[0-9]{6}'\n").load().config();

            assertTrue(c.processing().idPattern().matcher("F-123456").matches());
            assertFalse(c.processing().idPattern().matcher("F-12345").matches());
        }

        @Test
        @DisplayName("kerberos.mode keytab without kerberos.keytab is an error when auth is kerberos")
        void keytabModeNeedsKeytab() {
            ConfigException e = fixture.withSet("kerberos.mode=keytab").failure();

            assertEquals(List.of("kerberos.mode = \"keytab\" (from --set) needs kerberos.keytab, which is empty: set "
                    + "kerberos.keytab to the keytab file, or use kerberos.mode ticket-cache after running kinit"), e.problems());
        }

        @Test
        @DisplayName("kerberos.mode jaas without kerberos.jaas_conf is an error when auth is kerberos")
        void jaasModeNeedsJaasConf() {
            ConfigException e = fixture.withSet("kerberos.mode=jaas").failure();

            assertEquals(List.of("kerberos.mode = \"jaas\" (from --set) needs kerberos.jaas_conf, which is empty: set "
                    + "kerberos.jaas_conf to your JAAS configuration file (and kerberos.jaas_entry to its entry), or use "
                    + "kerberos.mode ticket-cache, which needs no file"), e.problems());
        }

        @Test
        @DisplayName("kerberos.spn accepts a service name or a full service principal")
        void spnForms() throws ConfigException {
            assertEquals("cockroachdb/db1.example.com@EXAMPLE.COM",
                    fixture.withSet("kerberos.spn=cockroachdb/db1.example.com@EXAMPLE.COM").load().config().kerberos().spn());
        }

        @Test
        @DisplayName("kerberos.expired_wait and kerberos.renew are read as seconds and on/off")
        void expiredWaitAndRenew() throws ConfigException {
            AppConfig c = fixture.withSet("kerberos.expired_wait=2.5", "kerberos.renew=off").load().config();

            assertEquals(Duration.ofMillis(2500), c.kerberos().expiredWait());
            assertFalse(c.kerberos().renew());
        }

        @Test
        @DisplayName("kerberos settings are not enforced with password authentication")
        void keytabModeIgnoredWithPassword() throws ConfigException {
            assertEquals("keytab", fixture.withSet("kerberos.mode=keytab", "database.auth=password").load().config().kerberos().mode());
        }

        @Test
        @DisplayName("no rule between keys is checked when a source could not be read, the Kerberos ones neither")
        void kerberosRulesSkippedWhenSourceBroken() {
            ConfigException e = fixture.withConfigFile("kerberos: [\n").withSet("kerberos.mode=keytab",
                    "processing.id_type=text", "processing.id_binding=literal").failure();

            assertEquals(1, e.problems().size(), e.getMessage());
            assertTrue(e.problems().get(0).contains("invalid YAML"), e.problems().get(0));
        }

        @Test
        @DisplayName("each key's own problems come first, in the order of the table, then the rules between keys")
        void ownProblemsBeforeRules() {
            ConfigException e = fixture.withSet("processing.thread_count=3", "output.csv_gzip=2", "database.port=0")
                    .failure();

            assertEquals(3, e.problems().size(), e.getMessage());
            assertTrue(e.problems().get(0).startsWith("database.port"), e.problems().get(0));
            assertTrue(e.problems().get(1).startsWith("output.csv_gzip"), e.problems().get(1));
            assertTrue(e.problems().get(2).startsWith("processing.thread_count = \"3\" (from --set) is greater than"),
                    e.problems().get(2));
        }

        @Test
        @DisplayName("a rule is not checked over a key that failed its own check")
        void ruleSkipsInvalidKeys() {
            ConfigException e = fixture.withSet("processing.thread_count=3", "database.max_connections=many").failure();

            assertEquals(List.of("database.max_connections = \"many\" (from --set): expected a whole number from 1 to 64"),
                    e.problems());
        }

        @Test
        @DisplayName("rules between keys are not checked when a source could not be read")
        void crossRulesSkippedWhenSourceBroken() {
            ConfigException e = fixture.withConfigFile("database: [\n").withSet("processing.thread_count=3").failure();

            assertEquals(1, e.problems().size(), e.getMessage());
            assertTrue(e.problems().get(0).contains("invalid YAML"), e.problems().get(0));
        }
    }

    @Nested
    @DisplayName("passwords")
    class Passwords {

        private static final String SECRET = "hunter2-secret";

        @Test
        @DisplayName("database.password in the user file is refused without echoing it")
        void passwordInUserFile() {
            ConfigException e = fixture.withConfigFile("database:\n  host: x\n  password: " + SECRET + "\n").failure();

            Path file = tempDir.resolve("given-config.yaml").toAbsolutePath().normalize();
            assertEquals(List.of("database.password is set in user file " + file + ":3: passwords are never read from "
                    + "configuration files or --set; remove it and put the password in the FIRMQUERY_DATABASE_PASSWORD "
                    + "or PGPASSWORD environment variable or in ~/.pgpass"), e.problems());
            assertFalse(e.getMessage().contains(SECRET));
        }

        @Test
        @DisplayName("database.password in an environment overlay is refused")
        void passwordInOverlay() {
            fixture.withAppOverlay("stage", "database:\n  password: " + SECRET + "\n");

            ConfigException e = fixture.withEnv("stage").failure();

            assertEquals(1, e.problems().size());
            assertTrue(e.problems().get(0).startsWith("database.password is set in environment overlay stage ("),
                    e.problems().get(0));
            assertFalse(e.getMessage().contains(SECRET));
        }

        @Test
        @DisplayName("database.password with no value in a file is still refused")
        void emptyPasswordKeyInFile() {
            ConfigException e = fixture.withConfigFile("database:\n  password:\n").failure();

            assertEquals(1, e.problems().size());
            assertTrue(e.problems().get(0).startsWith("database.password is set in user file "), e.problems().get(0));
        }

        @Test
        @DisplayName("--set database.password is refused without echoing it")
        void passwordInSet() {
            ConfigException e = fixture.withSet("database.password=" + SECRET).failure();

            assertEquals(1, e.problems().size());
            assertTrue(e.problems().get(0).startsWith("database.password is set in --set: "), e.problems().get(0));
            assertFalse(e.getMessage().contains(SECRET));
        }
    }
}
