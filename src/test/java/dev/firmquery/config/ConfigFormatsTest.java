package dev.firmquery.config;

import dev.firmquery.config.AppConfig.Format;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("output.formats: list, comma string and map forms")
class ConfigFormatsTest {

    @TempDir
    Path tempDir;
    ConfigFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new ConfigFixture(tempDir);
    }

    private Set<Format> formatsFromFile(String formatsYaml) throws ConfigException {
        return fixture.withConfigFile("output:\n  formats: " + formatsYaml + "\n").load().config().output().formats();
    }

    @Test
    @DisplayName("a YAML list")
    void yamlList() throws ConfigException {
        assertEquals(Set.of(Format.XLSX), formatsFromFile("[xlsx]"));
    }

    @Test
    @DisplayName("a YAML block list")
    void yamlBlockList() throws ConfigException {
        assertEquals(Set.of(Format.CSV, Format.XLSX), formatsFromFile("\n    - csv\n    - xlsx"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"csv,xlsx", "\"csv, xlsx\"", "CSV,Excel", "csv,excel,csv"})
    @DisplayName("a comma-separated string, case-insensitive, with excel for xlsx")
    void commaString(String yaml) throws ConfigException {
        assertEquals(Set.of(Format.CSV, Format.XLSX), formatsFromFile(yaml));
    }

    @Test
    @DisplayName("the original design's map form")
    void mapForm() throws ConfigException {
        assertEquals(Set.of(Format.CSV), formatsFromFile("{csv: true, excel: false}"));
    }

    @Test
    @DisplayName("the map form switches formats on and off relative to the layer below")
    void mapFormTogglesLowerLayer() throws ConfigException {
        LoadedConfig loaded = fixture.withConfigFile("output:\n  formats:\n    xlsx: false\n").load();

        assertEquals(Set.of(Format.CSV), loaded.config().output().formats());
        assertEquals("csv", loaded.settings().get("output.formats").value());
        assertTrue(loaded.settings().get("output.formats").source().startsWith("user file "));
    }

    @Test
    @DisplayName("--set output.formats.NAME=true adds a format")
    void setToggle() throws ConfigException {
        LoadedConfig loaded = fixture.withConfigFile("output:\n  formats: csv\n").withSet("output.formats.excel=true").load();

        assertEquals(Set.of(Format.CSV, Format.XLSX), loaded.config().output().formats());
        assertEquals(new Setting("output.formats", "csv,xlsx", "--set"), loaded.settings().get("output.formats"));
    }

    @Test
    @DisplayName("an environment variable takes the comma string form")
    void environmentVariable() throws ConfigException {
        assertEquals(Set.of(Format.XLSX),
                fixture.withVariable("FIRMQUERY_OUTPUT_FORMATS", "xlsx").load().config().output().formats());
    }

    @Test
    @DisplayName("an unknown format is an error listing the allowed ones")
    void unknownFormat() {
        ConfigException e = fixture.withSet("output.formats=csv,pdf").failure();

        assertEquals(List.of("output.formats = \"csv,pdf\" (from --set): unknown format pdf; expected a list of csv, "
                + "xlsx, jsonl (excel is accepted for xlsx), as a YAML list, a comma-separated string or a map such as "
                + "{csv: true, xlsx: false, jsonl: false}"), e.problems());
    }

    @Test
    @DisplayName("no format at all is an error")
    void noFormat() {
        ConfigException e = fixture.withConfigFile("output:\n  formats: {csv: false, xlsx: false}\n").failure();

        assertEquals(1, e.problems().size());
        assertTrue(e.problems().get(0).startsWith("output.formats = \"\" (from user file "), e.problems().get(0));
        assertTrue(e.problems().get(0).contains("expected at least one format"), e.problems().get(0));
    }

    @Test
    @DisplayName("an unknown format in the map form is an error")
    void unknownFormatInMap() {
        ConfigException e = fixture.withConfigFile("output:\n  formats: {pdf: true}\n").failure();

        assertEquals(1, e.problems().size());
        assertTrue(e.problems().get(0).startsWith("output.formats.pdf = \"true\" (from user file "), e.problems().get(0));
        assertTrue(e.problems().get(0).endsWith("unknown format \"pdf\"; expected csv, xlsx, jsonl or excel"), e.problems().get(0));
    }

    @Test
    @DisplayName("a map value that is not a boolean is an error")
    void nonBooleanInMap() {
        ConfigException e = fixture.withSet("output.formats.csv=sometimes").failure();

        assertEquals(List.of("output.formats.csv = \"sometimes\" (from --set): expected true or false"), e.problems());
    }
}
