package dev.firmquery.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Sources that cannot be used, and unknown keys")
class ConfigSourcesTest {

    @TempDir
    Path tempDir;
    ConfigFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new ConfigFixture(tempDir);
    }

    private Path givenFile() {
        return tempDir.resolve("given-config.yaml").toAbsolutePath().normalize();
    }

    @Test
    @DisplayName("malformed YAML is an error with the file, line and column")
    void malformedYaml() {
        ConfigException e = fixture.withConfigFile("database:\n  host: h\n port: 1\n").failure();

        assertEquals(1, e.problems().size());
        String problem = e.problems().get(0);
        assertTrue(problem.startsWith(givenFile() + ":3:2: invalid YAML at line 3, column 2: expected <block end>"), problem);
        assertTrue(problem.contains("(while parsing a block mapping at line 1, column 1)"), problem);
    }

    @Test
    @DisplayName("an unclosed bracket is an error with its line")
    void unclosedBracket() {
        ConfigException e = fixture.withConfigFile("output:\n  formats: [csv, xlsx\nlogging:\n  directory: /tmp\n").failure();

        assertEquals(1, e.problems().size());
        assertTrue(e.problems().get(0).startsWith(givenFile() + ":3:"), e.problems().get(0));
    }

    @Test
    @DisplayName("a key written twice in one file is an error with its line")
    void duplicateKey() {
        ConfigException e = fixture.withConfigFile("database:\n  host: a\n  host: b\n").failure();

        assertEquals(1, e.problems().size());
        assertTrue(e.problems().get(0).startsWith(givenFile() + ":3:3: invalid YAML at line 3, column 3: found duplicate key host"),
                e.problems().get(0));
    }

    @Test
    @DisplayName("a file whose top level is a list is an error")
    void topLevelList() {
        ConfigException e = fixture.withConfigFile("- database\n- processing\n").failure();

        assertEquals(List.of(givenFile() + ": the top level of the file must be a mapping of sections such as "
                + "'database:' and 'processing:', not a list or a single value"), e.problems());
    }

    @Test
    @DisplayName("an empty or comment-only file changes nothing")
    void emptyFile() throws ConfigException {
        LoadedConfig loaded = fixture.withConfigFile("# nothing yet\n").load();

        assertEquals(250, loaded.config().processing().chunkSize());
        assertEquals(List.of(), loaded.warnings());
    }

    @Test
    @DisplayName("a UTF-8 byte order mark is accepted")
    void byteOrderMark() throws Exception {
        Path file = tempDir.resolve("bom.yaml");
        Files.write(file, ("\uFEFFprocessing:\n  chunk_size: 321\n").getBytes(StandardCharsets.UTF_8));

        assertEquals(321, fixture.withConfigPath(file).load().config().processing().chunkSize());
    }

    @Test
    @DisplayName("a missing --config file is an error naming the path")
    void missingConfigFile() {
        Path missing = tempDir.resolve("nope.yaml");

        ConfigException e = fixture.withConfigPath(missing).failure();

        assertEquals(List.of("configuration file " + missing.toAbsolutePath().normalize()
                + " (--config) does not exist; check the path or leave out --config"), e.problems());
    }

    @Test
    @DisplayName("a --config that is a directory is an error")
    void configFileIsDirectory() {
        ConfigException e = fixture.withConfigPath(tempDir).failure();

        assertEquals(List.of("configuration file " + tempDir.toAbsolutePath().normalize()
                + " is a directory; point --config at a YAML file"), e.problems());
    }

    @Test
    @DisplayName("a missing --env overlay is an error naming the paths and listing the available environments")
    void missingOverlay() {
        fixture.withAppOverlay("stage", "database:\n  port: 1234\n");

        ConfigException e = fixture.withEnv("qa").failure();

        assertEquals(List.of("environment overlay \"qa\" (--env) not found: looked for "
                + fixture.appHome.resolve("config/environments/qa.yaml") + ", classpath:config/environments/qa.yaml and "
                + fixture.userHome.resolve(".config/firmquery/environments/qa.yaml") + "; "
                + "available environments: dev, prod.example, stage"), e.problems());
    }

    @Test
    @DisplayName("an --env name with a path in it is refused")
    void overlayNameWithPath() {
        ConfigException e = fixture.withEnv("../secrets").failure();

        assertEquals(1, e.problems().size());
        assertTrue(e.problems().get(0).startsWith("--env \"../secrets\" is not a valid environment name"), e.problems().get(0));
        assertTrue(e.problems().get(0).endsWith("available environments: dev, prod.example"), e.problems().get(0));
    }

    @Test
    @DisplayName("availableEnvironments lists the classpath overlays and those under the application home")
    void availableEnvironments() {
        fixture.withAppOverlay("stage", "{}\n");

        assertEquals(List.of("dev", "prod.example", "stage"), fixture.loader().availableEnvironments());
    }

    @Test
    @DisplayName("--set without '=' or without a section is an error showing the expected form")
    void malformedSet() {
        ConfigException e = fixture.withSet("processing.chunk_size", "chunk_size=5", "=5").failure();

        assertEquals(List.of(
                "--set \"processing.chunk_size\": expected section.key=value, e.g. --set processing.chunk_size=500",
                "--set \"chunk_size=5\": expected section.key=value, e.g. --set processing.chunk_size=500",
                "--set \"=5\": expected section.key=value, e.g. --set processing.chunk_size=500"), e.problems());
    }

    @Test
    @DisplayName("--set keeps everything after the first '=' as the value")
    void setValueWithEquals() throws ConfigException {
        LoadedConfig loaded = fixture.withSet("processing.id_type=text", "processing.id_pattern=[a-z=]+").load();

        assertEquals("[a-z=]+", loaded.config().processing().idPattern().pattern());
    }

    @Test
    @DisplayName("${...} in a value is not interpolated")
    void noInterpolation() throws ConfigException {
        LoadedConfig loaded = fixture.withConfigFile("kerberos:\n  principal: '${user}@EXAMPLE.COM'\n").load();

        assertEquals("${user}@EXAMPLE.COM", loaded.config().kerberos().principal());
    }

    @Test
    @DisplayName("an unknown key in a file is a warning with a \"did you mean\"")
    void unknownKeySuggestion() throws ConfigException {
        LoadedConfig loaded = fixture.withConfigFile("processing:\n  chunksize: 100\n").load();

        assertEquals(List.of("unknown key processing.chunksize (from user file " + givenFile() + ":2) is ignored; "
                + "did you mean processing.chunk_size?"), loaded.warnings());
        assertEquals(250, loaded.config().processing().chunkSize());
    }

    @Test
    @DisplayName("a key in the wrong section or at the top level suggests the right section")
    void wrongSectionSuggestion() throws ConfigException {
        LoadedConfig loaded = fixture.withConfigFile("chunk_size: 100\ndatabase:\n  fetch_size: 5\n").load();

        assertEquals(2, loaded.warnings().size());
        assertTrue(loaded.warnings().get(0).endsWith("did you mean processing.chunk_size?"), loaded.warnings().get(0));
        assertTrue(loaded.warnings().get(1).endsWith("did you mean processing.fetch_size?"), loaded.warnings().get(1));
    }

    @Test
    @DisplayName("a misspelt section suggests the right key")
    void misspeltSection() throws ConfigException {
        LoadedConfig loaded = fixture.withConfigFile("procesing:\n  chunk_size: 100\n").load();

        assertEquals(1, loaded.warnings().size());
        assertTrue(loaded.warnings().get(0).endsWith("did you mean processing.chunk_size?"), loaded.warnings().get(0));
    }

    @Test
    @DisplayName("an unknown key with no close match lists the section's keys")
    void unknownKeyWithoutSuggestion() throws ConfigException {
        LoadedConfig loaded = fixture.withConfigFile("logging:\n  verbosity_level: 3\n").load();

        assertEquals(List.of("unknown key logging.verbosity_level (from user file " + givenFile() + ":2) is ignored; "
                + "the keys of section logging are: directory, format"), loaded.warnings());
    }

    @Test
    @DisplayName("an unknown key in --set is an error, since it was typed just now")
    void unknownKeyInSet() {
        ConfigException e = fixture.withSet("processing.chunksize=100").failure();

        assertEquals(List.of("--set processing.chunksize: unknown key; did you mean processing.chunk_size?"), e.problems());
    }

    @Test
    @DisplayName("warnings found before an error travel with the ConfigException")
    void warningsTravelWithErrors() {
        ConfigException e = fixture.withConfigFile("processing:\n  chunksize: 100\n  thread_count: 9\n").failure();

        assertEquals(1, e.problems().size());
        assertEquals(1, e.warnings().size());
        assertTrue(e.getMessage().contains("\nwarning: unknown key processing.chunksize"), e.getMessage());
    }
}
