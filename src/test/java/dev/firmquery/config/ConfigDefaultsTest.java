package dev.firmquery.config;

import dev.firmquery.config.AppConfig.AuthMode;
import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.ids.IdType;
import dev.firmquery.sql.IdBinding;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Shipped defaults (config/default.yaml)")
class ConfigDefaultsTest {

    @TempDir
    Path tempDir;
    ConfigFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new ConfigFixture(tempDir);
    }

    @Test
    @DisplayName("load into the documented values with no warnings")
    void defaultsLoad() throws ConfigException {
        LoadedConfig loaded = fixture.load();
        AppConfig c = loaded.config();

        assertEquals(List.of(), loaded.warnings());
        assertEquals(new AppConfig.Application(1_000_000, 900_000), c.application());
        assertEquals(new AppConfig.Database("localhost", 26257, "defaultdb", System.getProperty("user.name"),
                AuthMode.KERBEROS, "verify-full", Duration.ofSeconds(30), Duration.ofSeconds(300), 2,
                Duration.ofSeconds(1800)), c.database());
        assertEquals(new AppConfig.Kerberos("ticket-cache", "", "", "", "", "", "", "", Duration.ofSeconds(300), true,
                true), c.kerberos());
        AppConfig.Processing p = c.processing();
        assertEquals(250, p.chunkSize());
        assertEquals(15_000, p.maxQueryLength());
        assertEquals(2, p.maxRetries());
        assertEquals(Duration.ofSeconds(5), p.retryDelay());
        assertEquals(2, p.threadCount());
        assertEquals(IdType.INTEGER, p.idType());
        assertEquals("[A-Za-z0-9_.:-]{1,64}", p.idPattern().pattern());
        assertEquals(IdBinding.BIND, p.idBinding());
        assertEquals(false, p.allowWrites());
        assertEquals(1000, p.fetchSize());
        assertEquals(Duration.ofSeconds(300), p.outageWait());
        assertEquals(new AppConfig.Output(Path.of("./output"), "firm_query_{timestamp}",
                Set.of(Format.CSV, Format.XLSX), false,
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"), false,
                dev.firmquery.export.CsvDialect.RFC4180), c.output());
        assertEquals(fixture.userHome.resolve(".local/state/firmquery/logs"), c.logging().directory());
    }

    @Test
    @DisplayName("give every known key a setting from \"default\", sorted by key")
    void settingsCoverEveryKeySorted() throws ConfigException {
        LoadedConfig loaded = fixture.load();

        List<String> sortedKeys = new ArrayList<>(ConfigKey.names());
        sortedKeys.sort(null);
        assertEquals(sortedKeys, List.copyOf(loaded.settings().keySet()));
        assertEquals(new Setting("processing.chunk_size", "250", "default"), loaded.settings().get("processing.chunk_size"));
        assertEquals(new Setting("output.formats", "csv,xlsx", "default"), loaded.settings().get("output.formats"));
        assertTrue(loaded.settings().values().stream().allMatch(s -> s.source().startsWith("default")),
                loaded.settings().toString());
    }

    @Test
    @DisplayName("an empty database.user resolves to the OS user name with password auth, and the setting says so")
    void emptyUserIsOsUser() throws ConfigException {
        LoadedConfig loaded = fixture.withSet("database.auth=password").load();

        String osUser = System.getProperty("user.name");
        assertEquals(osUser, loaded.config().database().user());
        assertEquals(new Setting("database.user", osUser, "--set (empty: the operating system user name)").value(),
                loaded.settings().get("database.user").value());
        assertEquals("default (empty: the operating system user name)", loaded.settings().get("database.user").source());
    }

    @Test
    @DisplayName("an empty database.user with Kerberos means the principal's name, and the setting says so")
    void emptyUserWithKerberosIsThePrincipalsName() throws ConfigException {
        LoadedConfig loaded = fixture.load();

        assertTrue(loaded.config().kerberos().userFromPrincipal());
        assertEquals(new Setting("database.user", "", "default (empty: the Kerberos principal's name without the realm)"),
                loaded.settings().get("database.user"));
    }

    @Test
    @DisplayName("an explicit database.user is used as configured with Kerberos")
    void explicitUserWithKerberos() throws ConfigException {
        AppConfig c = fixture.withSet("database.user=svc_reports").load().config();

        assertEquals("svc_reports", c.database().user());
        assertEquals(false, c.kerberos().userFromPrincipal());
    }

    @Test
    @DisplayName("an empty ssl_mode is verify-full with Kerberos")
    void automaticSslModeWithKerberos() throws ConfigException {
        LoadedConfig loaded = fixture.load();

        assertEquals("verify-full", loaded.config().database().sslMode());
        assertEquals(new Setting("database.ssl_mode", "verify-full",
                "default (empty: verify-full because database.auth is kerberos)"), loaded.settings().get("database.ssl_mode"));
    }

    @Test
    @DisplayName("an empty ssl_mode is prefer with password authentication")
    void automaticSslModeWithPassword() throws ConfigException {
        AppConfig c = fixture.withSet("database.auth=password").load().config();

        assertEquals("prefer", c.database().sslMode());
    }

    @Test
    @DisplayName("an explicit ssl_mode is kept with Kerberos")
    void explicitSslModeWithKerberos() throws ConfigException {
        AppConfig c = fixture.withSet("database.ssl_mode=require").load().config();

        assertEquals(AuthMode.KERBEROS, c.database().auth());
        assertEquals("require", c.database().sslMode());
    }

    @Test
    @DisplayName("config/default.yaml under the application home replaces the classpath copy")
    void appHomeDefaultsPreferred() throws ConfigException {
        String shipped = ConfigFixture.read(ConfigFixture.projectFile("config/default.yaml"));
        fixture.withAppDefaults(shipped.replace("chunk_size: 250", "chunk_size: 400"));

        LoadedConfig loaded = fixture.load();

        assertEquals(400, loaded.config().processing().chunkSize());
        assertEquals("default", loaded.settings().get("processing.chunk_size").source());
        assertEquals(List.of(), loaded.warnings());
    }

    @Test
    @DisplayName("the shipped dev overlay is a local PostgreSQL with password authentication")
    void devOverlay() throws ConfigException {
        LoadedConfig loaded = fixture.withEnv("dev").load();
        AppConfig.Database db = loaded.config().database();

        assertEquals(List.of(), loaded.warnings());
        assertEquals("localhost", db.host());
        assertEquals(5432, db.port());
        assertEquals(AuthMode.PASSWORD, db.auth());
        assertEquals("prefer", db.sslMode());
    }

    @Test
    @DisplayName("the shipped prod.example overlay is CockroachDB with Kerberos and verify-full")
    void prodExampleOverlay() throws ConfigException {
        LoadedConfig loaded = fixture.withEnv("prod.example").load();
        AppConfig c = loaded.config();

        assertEquals(List.of(), loaded.warnings());
        assertEquals(26257, c.database().port());
        assertEquals(AuthMode.KERBEROS, c.database().auth());
        assertEquals("verify-full", c.database().sslMode());
        assertEquals("ticket-cache", c.kerberos().mode());
        assertEquals("postgres", c.kerberos().spn());
    }

    @Test
    @DisplayName("a request with nulls everywhere means no --config, --env or --set")
    void nullRequestParts() throws ConfigException {
        LoadedConfig loaded = fixture.loader().load(new ConfigRequest(null, "  ", null));

        assertEquals(250, loaded.config().processing().chunkSize());
    }
}
