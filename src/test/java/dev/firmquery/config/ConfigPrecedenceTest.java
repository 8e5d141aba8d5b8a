package dev.firmquery.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("Precedence: default < user file < environment overlay < environment variables < --set")
class ConfigPrecedenceTest {

    @TempDir
    Path tempDir;
    ConfigFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new ConfigFixture(tempDir);
    }

    private static String chunkSize(int n) {
        return "processing:\n  chunk_size: " + n + "\n";
    }

    @Nested
    @DisplayName("each layer overrides the one below")
    class Overrides {

        @Test
        @DisplayName("--config file overrides the defaults")
        void userFileOverridesDefaults() throws ConfigException {
            LoadedConfig loaded = fixture.withConfigFile(chunkSize(300)).load();

            assertEquals(300, loaded.config().processing().chunkSize());
        }

        @Test
        @DisplayName("~/.config/firmquery/config.yaml is the user file when there is no --config")
        void implicitUserFileOverridesDefaults() throws ConfigException {
            fixture.withImplicitUserFile(chunkSize(310));

            assertEquals(310, fixture.load().config().processing().chunkSize());
        }

        @Test
        @DisplayName("--config replaces ~/.config/firmquery/config.yaml rather than stacking on it")
        void explicitUserFileReplacesImplicit() throws ConfigException {
            fixture.withImplicitUserFile(chunkSize(310) + "  fetch_size: 7\n");
            LoadedConfig loaded = fixture.withConfigFile(chunkSize(320)).load();

            assertEquals(320, loaded.config().processing().chunkSize());
            assertEquals(1000, loaded.config().processing().fetchSize());
        }

        @Test
        @DisplayName("the environment overlay overrides the user file")
        void overlayOverridesUserFile() throws ConfigException {
            fixture.withAppOverlay("stage", chunkSize(400));
            LoadedConfig loaded = fixture.withConfigFile(chunkSize(300)).withEnv("stage").load();

            assertEquals(400, loaded.config().processing().chunkSize());
        }

        @Test
        @DisplayName("an environment variable overrides the environment overlay")
        void variableOverridesOverlay() throws ConfigException {
            fixture.withAppOverlay("stage", chunkSize(400));
            LoadedConfig loaded = fixture.withEnv("stage")
                    .withVariable("FIRMQUERY_PROCESSING_CHUNK_SIZE", "500").load();

            assertEquals(500, loaded.config().processing().chunkSize());
        }

        @Test
        @DisplayName("--set overrides the environment variable")
        void setOverridesVariable() throws ConfigException {
            LoadedConfig loaded = fixture.withVariable("FIRMQUERY_PROCESSING_CHUNK_SIZE", "500")
                    .withSet("processing.chunk_size=600").load();

            assertEquals(600, loaded.config().processing().chunkSize());
        }

        @Test
        @DisplayName("of repeated --set for one key, the last wins")
        void lastSetWins() throws ConfigException {
            LoadedConfig loaded = fixture.withSet("processing.chunk_size=600", "processing.chunk_size=700").load();

            assertEquals(700, loaded.config().processing().chunkSize());
        }

        @Test
        @DisplayName("an overlay under the application home is preferred over the classpath copy")
        void appHomeOverlayPreferred() throws ConfigException {
            fixture.withAppOverlay("dev", "database:\n  port: 6543\n");

            assertEquals(6543, fixture.withEnv("dev").load().config().database().port());
        }

        @Test
        @DisplayName("keys a higher layer does not mention keep the lower layer's value")
        void layersMergeKeyByKey() throws ConfigException {
            LoadedConfig loaded = fixture.withConfigFile("database:\n  host: db.example.com\n")
                    .withVariable("FIRMQUERY_DATABASE_PORT", "5433").load();

            assertEquals("db.example.com", loaded.config().database().host());
            assertEquals(5433, loaded.config().database().port());
            assertEquals("defaultdb", loaded.config().database().database());
        }
    }

    @Nested
    @DisplayName("Setting.source names the layer that won")
    class Provenance {

        @Test
        @DisplayName("default")
        void defaultSource() throws ConfigException {
            assertEquals(new Setting("database.host", "localhost", "default"),
                    fixture.load().settings().get("database.host"));
        }

        @Test
        @DisplayName("user file, with its path")
        void userFileSource() throws ConfigException {
            LoadedConfig loaded = fixture.withConfigFile("database:\n  host: a.example.com\n").load();

            Path file = tempDir.resolve("given-config.yaml").toAbsolutePath().normalize();
            assertEquals(new Setting("database.host", "a.example.com", "user file " + file),
                    loaded.settings().get("database.host"));
        }

        @Test
        @DisplayName("environment overlay, with its name and path")
        void overlaySource() throws ConfigException {
            Path file = fixture.withAppOverlay("stage", "database:\n  host: b.example.com\n");

            LoadedConfig loaded = fixture.withEnv("stage").load();

            assertEquals(new Setting("database.host", "b.example.com",
                            "environment overlay stage (" + file.toAbsolutePath().normalize() + ")"),
                    loaded.settings().get("database.host"));
        }

        @Test
        @DisplayName("environment overlay from the classpath")
        void classpathOverlaySource() throws ConfigException {
            LoadedConfig loaded = fixture.withEnv("dev").load();

            assertEquals(new Setting("database.port", "5432",
                            "environment overlay dev (classpath:config/environments/dev.yaml)"),
                    loaded.settings().get("database.port"));
        }

        @Test
        @DisplayName("environment variable, with its name")
        void variableSource() throws ConfigException {
            LoadedConfig loaded = fixture.withVariable("FIRMQUERY_DATABASE_HOST", "c.example.com").load();

            assertEquals(new Setting("database.host", "c.example.com", "environment variable FIRMQUERY_DATABASE_HOST"),
                    loaded.settings().get("database.host"));
        }

        @Test
        @DisplayName("--set")
        void setSource() throws ConfigException {
            LoadedConfig loaded = fixture.withSet("database.host=d.example.com").load();

            assertEquals(new Setting("database.host", "d.example.com", "--set"), loaded.settings().get("database.host"));
        }
    }

    @Nested
    @DisplayName("environment variables")
    class Variables {

        @Test
        @DisplayName("map FIRMQUERY_<SECTION>_<KEY> to section.key for keys containing underscores")
        void multiWordKeys() throws ConfigException {
            AppConfig c = fixture.withVariable("FIRMQUERY_OUTPUT_CSV_GZIP", "true")
                    .withVariable("FIRMQUERY_DATABASE_MAX_CONNECTION_AGE", "60")
                    .withVariable("FIRMQUERY_KERBEROS_KRB5_CONF", "/etc/k.conf").load().config();

            assertEquals(true, c.output().csvGzip());
            assertEquals(java.time.Duration.ofSeconds(60), c.database().maxConnectionAge());
            assertEquals("/etc/k.conf", c.kerberos().krb5Conf());
        }

        @Test
        @DisplayName("FIRMQUERY_HOME, FIRMQUERY_OPTS, FIRMQUERY_CDS and FIRMQUERY_DATABASE_PASSWORD are ignored silently")
        void allowListedVariablesIgnored() throws ConfigException {
            LoadedConfig loaded = fixture.withVariable("FIRMQUERY_HOME", "/opt/firmquery")
                    .withVariable("FIRMQUERY_OPTS", "-Xmx1g")
                    .withVariable("FIRMQUERY_CDS", "off")
                    .withVariable("FIRMQUERY_DATABASE_PASSWORD", "s3cret")
                    .withVariable("PATH", "/usr/bin").load();

            assertEquals(java.util.List.of(), loaded.warnings());
        }

        @Test
        @DisplayName("an unknown FIRMQUERY_ variable is a warning with a suggestion")
        void unknownVariableWarns() throws ConfigException {
            LoadedConfig loaded = fixture.withVariable("FIRMQUERY_PROCESSING_CHUNKSIZE", "5").load();

            assertEquals(java.util.List.of("environment variable FIRMQUERY_PROCESSING_CHUNKSIZE is not a firmquery "
                    + "setting and is ignored; did you mean FIRMQUERY_PROCESSING_CHUNK_SIZE?"), loaded.warnings());
            assertEquals(250, loaded.config().processing().chunkSize());
        }

        @Test
        @DisplayName("an unknown FIRMQUERY_ variable with no close match says how variables are named")
        void unknownVariableWithoutSuggestion() throws ConfigException {
            LoadedConfig loaded = fixture.withVariable("FIRMQUERY_SOMETHING_ELSE_ENTIRELY", "1").load();

            assertEquals(1, loaded.warnings().size());
            assertEquals(true, loaded.warnings().get(0).contains("FIRMQUERY_<SECTION>_<KEY>"), loaded.warnings().get(0));
        }
    }
}
