package dev.firmquery.config;

import dev.firmquery.kerberos.KerberosMode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The table of settings ({@link ConfigKey}) against everything that must agree with it: the shipped
 * {@code config/default.yaml} and the reference in {@code docs/configuration.md}.
 *
 * <p>The reference tables and the list of rules in the docs are generated from the table. After changing
 * a key, regenerate them with
 * {@code mvn -B -o test -Dtest=ConfigReferenceTest -Dfirmquery.updateDocs=true} and commit the result.
 */
@DisplayName("The table of settings and the files that follow it")
class ConfigReferenceTest {
    private static final Path HOME = Path.of("/home/ana");

    /** The shipped defaults, key by key in document order, with the comment lines just above each key. */
    private record YamlKey(String key, String value, String comment) {
    }

    private static List<YamlKey> shippedDefaults() throws ConfigException {
        Path file = ConfigFixture.projectFile("config/default.yaml");
        YamlLayer.Contents contents = YamlLayer.read(file.toString(), () -> Files.newInputStream(file), "default",
                line -> "default:" + line);
        Map<Integer, String> comments = commentsAbove(ConfigFixture.read(file));
        List<YamlKey> keys = new ArrayList<>();
        for (RawValue v : contents.values()) {
            int line = Integer.parseInt(v.origin().substring("default:".length()));
            keys.add(new YamlKey(v.key(), v.value(), comments.getOrDefault(line, "")));
        }
        return keys;
    }

    /** For each line that holds a key, the comment lines right above it (inside its section), joined. */
    private static Map<Integer, String> commentsAbove(String yaml) {
        Map<Integer, String> comments = new LinkedHashMap<>();
        String[] lines = yaml.split("\n", -1);
        StringBuilder block = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("#") && lines[i].startsWith("  ")) {
                block.append(line.substring(1).strip()).append(' ');
            } else {
                comments.put(i + 1, block.toString().strip());
                block.setLength(0);
            }
        }
        return comments;
    }

    @Nested
    @DisplayName("config/default.yaml")
    class DefaultYaml {

        @Test
        @DisplayName("sets every key of the table, once, in the table's order, and no other")
        void keysInTableOrder() throws ConfigException {
            List<String> written = shippedDefaults().stream().map(YamlKey::key).toList();

            assertEquals(ConfigKey.names(), written);
        }

        @Test
        @DisplayName("sets each key to the table's default, as written")
        void valuesAreTheTableDefaults() throws ConfigException {
            for (YamlKey y : shippedDefaults()) {
                ConfigKey key = ConfigKey.of(y.key()).orElseThrow();
                assertEquals(key.defaultValue(), y.value(), "config/default.yaml sets " + key + " to " + y.value()
                        + " but ConfigKey's default is " + key.defaultValue());
            }
        }

        @Test
        @DisplayName("states each number's range and each choice's names in the comment above the key")
        void commentsStateTheRange() throws ConfigException {
            for (YamlKey y : shippedDefaults()) {
                ConfigKey key = ConfigKey.of(y.key()).orElseThrow();
                String comment = y.comment().toLowerCase(Locale.ROOT);
                for (String expected : rangeWords(key.type())) {
                    assertTrue(comment.contains(expected.toLowerCase(Locale.ROOT)), "the comment above " + key
                            + " in config/default.yaml should say " + expected + ", as ConfigKey does; it says: "
                            + y.comment());
                }
            }
        }

        /** What a key's comment must mention: the range of a number, the names of a choice. */
        private static List<String> rangeWords(ValueType type) {
            if (type instanceof ValueType.Whole w) {
                return List.of(w.allowed());
            }
            if (type instanceof ValueType.Seconds s) {
                return List.of(s.min() + " to " + s.max());
            }
            if (type instanceof ValueType.Choice c) {
                return c.names();
            }
            if (type instanceof ValueType.ChoiceList l) {
                return l.names();
            }
            if (type instanceof FileNamePattern) {
                return FileNamePattern.TOKENS.stream().map(t -> "{" + t + "}").toList();
            }
            return List.of();
        }
    }

    @Nested
    @DisplayName("docs/configuration.md")
    class Docs {

        @Test
        @DisplayName("has the reference tables and the rules between keys exactly as the table generates them")
        void referenceIsCurrent() throws Exception {
            Path file = ConfigFixture.projectFile(ConfigReference.DOCS);
            String committed = ConfigFixture.read(file);
            String generated = ConfigReference.regenerate(committed);
            if (Boolean.getBoolean("firmquery.updateDocs")) {
                Files.writeString(file, generated);
                return;
            }
            if (!generated.equals(committed)) {
                fail(ConfigReference.DOCS + " is out of date with ConfigKey / KeyRule; first differing line:\n"
                        + firstDifference(committed, generated)
                        + "\nregenerate it with: mvn -B -o test -Dtest=ConfigReferenceTest -Dfirmquery.updateDocs=true");
            }
        }

        @Test
        @DisplayName("a generated block without its end marker is refused, not silently dropped")
        void unterminatedBlockIsAnError() {
            String doc = "# x\n" + ConfigReference.tableStart("database") + "\n| old |\n";

            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> ConfigReference.regenerate(doc));
            assertTrue(e.getMessage().contains("has no '" + ConfigReference.END + "'"), e.getMessage());
        }

        @Test
        @DisplayName("a section of the table without a block in the docs is an error naming the markers to add")
        void missingSectionIsAnError() {
            String doc = ConfigReference.tableStart("database") + "\n" + ConfigReference.END + "\n";

            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> ConfigReference.regenerate(doc));
            assertTrue(e.getMessage().contains("no table for section application"), e.getMessage());
        }

        private static String firstDifference(String committed, String generated) {
            String[] a = committed.split("\n", -1);
            String[] b = generated.split("\n", -1);
            for (int i = 0; i < Math.max(a.length, b.length); i++) {
                String x = i < a.length ? a[i] : "(end of file)";
                String y = i < b.length ? b[i] : "(end of file)";
                if (!x.equals(y)) {
                    return "line " + (i + 1) + ":\n  committed: " + x + "\n  generated: " + y;
                }
            }
            return "(none)";
        }
    }

    @Nested
    @DisplayName("the table itself")
    class Table {

        @Test
        @DisplayName("each constant is named after its key, as its environment variable is")
        void constantNamesFollowKeys() {
            for (ConfigKey key : ConfigKey.values()) {
                assertEquals("FIRMQUERY_" + key.name(), key.environmentVariable(), key.key());
                assertEquals(key.key(), key.section() + "." + key.leaf());
            }
        }

        @Test
        @DisplayName("every default passes its own key's check")
        void defaultsAreValid() {
            for (ConfigKey key : ConfigKey.values()) {
                ValueType.Checked checked = key.type().check(key.defaultValue(), HOME);
                assertTrue(checked.ok(), key + " default " + key.defaultValue() + ": " + checked.expectation());
            }
        }

        @Test
        @DisplayName("a key that may be left empty defaults to empty, and says what empty means")
        void optionalKeysDefaultToEmpty() {
            for (ConfigKey key : ConfigKey.values()) {
                if (key.optional()) {
                    assertEquals("", key.defaultValue(), key.key());
                    assertFalse(key.type().emptyMeans().isBlank(), key.key());
                }
            }
        }

        @Test
        @DisplayName("every key has a one-line description")
        void descriptions() {
            for (ConfigKey key : ConfigKey.values()) {
                assertFalse(key.description().isBlank(), key.key());
                assertFalse(key.description().contains("\n"), key.key());
                assertFalse(key.description().endsWith("."), key + ": a description is a phrase, without a full stop");
            }
        }

        @Test
        @DisplayName("kerberos.mode offers exactly the modes the Kerberos login knows")
        void kerberosModes() {
            List<String> modes = Arrays.stream(KerberosMode.values()).map(KerberosMode::configName).toList();

            assertEquals(modes, ConfigKey.KERBEROS_MODE.type(ValueType.Choice.class).names());
        }

        @Test
        @DisplayName("key names are unique and every section has keys")
        void uniqueNames() {
            assertEquals(ConfigKey.values().length, new java.util.HashSet<>(ConfigKey.names()).size());
            for (String section : ConfigKey.sections()) {
                assertNotNull(ConfigKey.ofSection(section).get(0));
            }
        }
    }
}
