package dev.firmquery.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Settings a hostile or mistaken configuration could use against the user on a shared host
 * (docs/reliability.md, "Shared host"): a {@code database.host} that smuggles driver properties into
 * the JDBC URL, and a password that could cross the network without TLS.
 */
@DisplayName("Shared host: database.host and TLS")
class SharedHostSettingsTest {

    @TempDir
    Path tempDir;
    ConfigFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new ConfigFixture(tempDir);
    }

    private String onlyProblem(String... settings) {
        List<String> problems = fixture.withSet(settings).failure().problems();
        assertEquals(1, problems.size(), problems.toString());
        return problems.get(0);
    }

    @Nested
    @DisplayName("database.host takes a host name, an IPv4 address or a bracketed IPv6 address only")
    class Host {

        @ParameterizedTest(name = "\"{0}\" is refused")
        @ValueSource(strings = {
                "db:26257/x?readOnlyMode=ignore&x=",
                "db?sslfactory=org.postgresql.ssl.NonValidatingFactory",
                "db/postgres?sslmode=disable",
                "db,evil.example.com",
                "db&readOnly=false",
                "db#fragment",
                "alice@db.example.com",
                "db%3Fssl=false",
                "db.example.com:5432",
                "-db.example.com",
                "db..example.com",
                "999.1.2.3",
                "10.1.2",
                "010.1.2.3",
                "[::1]?sslmode=disable",
                "[fe80::1%eth0]",
                "[db.example.com]",
                "d\u00e9.example.com"})
        void urlPayloadsAndMalformedHostsAreRefused(String host) {
            String problem = onlyProblem("database.host=" + host);

            assertTrue(problem.startsWith("database.host = "), problem);
            assertTrue(problem.contains("expected a host name (letters, digits, '-', '.'), an IPv4 address"), problem);
        }

        @Test
        @DisplayName("a port in the host is refused with a pointer to database.port")
        void portInTheHost() {
            assertTrue(onlyProblem("database.host=db.example.com:5432").endsWith(
                    "without a port (that is database.port) or anything after it"));
        }

        @Test
        @DisplayName("an IPv6 address without brackets is refused with the bracketed form")
        void unbracketedIpv6() {
            assertTrue(onlyProblem("database.host=fd00::1").endsWith("expected an IPv6 address in brackets: write [fd00::1]"));
        }

        @Test
        @DisplayName("the character the driver would misread is named")
        void theCharacterIsNamed() {
            assertTrue(onlyProblem("database.host=db?sslfactory=x").contains("'?' is not allowed in a host name"));
        }

        @ParameterizedTest(name = "\"{0}\" is accepted")
        @ValueSource(strings = {"localhost", "db1", "db-1.example.com", "db_reports.corp.example.com",
                "cockroach.example.com.", "10.1.2.3", "127.0.0.1", "0.0.0.0", "255.255.255.255", "[::1]",
                "[fd00::1]", "[2001:db8::8a2e:370:7334]", "[::ffff:10.1.2.3]"})
        void hostNamesAndAddresses(String host) throws ConfigException {
            assertEquals(host, fixture.withSet("database.host=" + host).load().config().database().host());
        }
    }

    @Nested
    @DisplayName("a password never goes to another machine without TLS")
    class Transport {

        @ParameterizedTest(name = "ssl_mode {0} with a password to db.example.com is refused")
        @ValueSource(strings = {"disable", "allow", "prefer"})
        void downgradableModesAreRefusedOffHost(String mode) {
            String problem = onlyProblem("database.auth=password", "database.host=db.example.com",
                    "database.ssl_mode=" + mode);

            assertTrue(problem.startsWith("database.ssl_mode = \"" + mode + "\" (from --set): with database.auth"
                    + " password, ssl_mode " + mode + " could send the password to db.example.com without TLS"), problem);
            assertTrue(problem.endsWith("set database.ssl_mode to verify-full and put the server's CA certificate in"
                    + " ~/.postgresql/root.crt, or use database.auth kerberos"), problem);
        }

        @Test
        @DisplayName("the automatic ssl_mode with a password to another machine is verify-full")
        void automaticModeOffHostIsVerifyFull() throws ConfigException {
            LoadedConfig loaded = fixture.withSet("database.auth=password", "database.host=db.example.com").load();

            assertEquals("verify-full", loaded.config().database().sslMode());
            assertEquals(new Setting("database.ssl_mode", "verify-full", "default (empty: verify-full because"
                            + " database.auth is password and database.host is another machine)"),
                    loaded.settings().get("database.ssl_mode"));
        }

        @ParameterizedTest(name = "the automatic ssl_mode with a password to {0} is prefer")
        @ValueSource(strings = {"localhost", "127.0.0.1", "127.1.2.3", "[::1]"})
        void automaticModeOnThisMachineIsPrefer(String host) throws ConfigException {
            LoadedConfig loaded = fixture.withSet("database.auth=password", "database.host=" + host).load();

            assertEquals("prefer", loaded.config().database().sslMode());
            assertEquals(List.of(), loaded.warnings());
        }

        @ParameterizedTest(name = "ssl_mode {0} with a password to this machine is allowed")
        @CsvSource({"disable, 127.0.0.1", "prefer, localhost", "allow, [::1]"})
        void anyModeOnThisMachine(String mode, String host) throws ConfigException {
            assertEquals(mode, fixture.withSet("database.auth=password", "database.host=" + host,
                    "database.ssl_mode=" + mode).load().config().database().sslMode());
        }

        @Test
        @DisplayName("require with a password to another machine is allowed with a warning: the certificate is not checked")
        void requireWarns() throws ConfigException {
            LoadedConfig loaded = fixture.withSet("database.auth=password", "database.host=db.example.com",
                    "database.ssl_mode=require").load();

            assertEquals("require", loaded.config().database().sslMode());
            assertEquals(List.of("database.ssl_mode: ssl_mode require: the server's certificate is not verified, so a"
                    + " man in the middle can pose as db.example.com and receive the password; set database.ssl_mode"
                    + " to verify-full and put the server's CA certificate in ~/.postgresql/root.crt"), loaded.warnings());
        }

        @ParameterizedTest(name = "ssl_mode {0} needs no warning")
        @ValueSource(strings = {"verify-ca", "verify-full"})
        void verifyingModesAreQuiet(String mode) throws ConfigException {
            LoadedConfig loaded = fixture.withSet("database.auth=password", "database.host=db.example.com",
                    "database.ssl_mode=" + mode).load();

            assertEquals(List.of(), loaded.warnings());
        }

        @Test
        @DisplayName("Kerberos sends no password: prefer to another machine is allowed, with the warning")
        void kerberosIsNotRefused() throws ConfigException {
            LoadedConfig loaded = fixture.withSet("database.host=db.example.com", "database.ssl_mode=prefer").load();

            assertEquals("prefer", loaded.config().database().sslMode());
            assertEquals(1, loaded.warnings().size(), loaded.warnings().toString());
            assertTrue(loaded.warnings().get(0).contains("the server's certificate is not verified"));
            assertFalse(loaded.warnings().get(0).contains("password"));
        }
    }
}
