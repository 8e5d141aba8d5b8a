package dev.firmquery.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Configuration keys and their environment variables")
class ConfigKeysTest {

    @ParameterizedTest(name = "{0} <-> {1}")
    @CsvSource({
            "database.host, FIRMQUERY_DATABASE_HOST",
            "processing.chunk_size, FIRMQUERY_PROCESSING_CHUNK_SIZE",
            "database.max_connection_age, FIRMQUERY_DATABASE_MAX_CONNECTION_AGE",
            "kerberos.krb5_conf, FIRMQUERY_KERBEROS_KRB5_CONF",
            "output.csv_gzip, FIRMQUERY_OUTPUT_CSV_GZIP",
    })
    @DisplayName("every key round-trips through its variable name")
    void variableNames(String key, String variable) {
        assertEquals(variable, ConfigKey.of(key).orElseThrow().environmentVariable());
        assertEquals(Optional.of(key), ConfigKey.keyOfEnvironmentVariable(variable));
    }

    @Test
    @DisplayName("all keys round-trip through their variable names")
    void allKeysRoundTrip() {
        for (ConfigKey key : ConfigKey.values()) {
            assertEquals(Optional.of(key.key()), ConfigKey.keyOfEnvironmentVariable(key.environmentVariable()), key.key());
        }
    }

    @Test
    @DisplayName("a variable without a known section maps to no key")
    void unknownSection() {
        assertEquals(Optional.empty(), ConfigKey.keyOfEnvironmentVariable("FIRMQUERY_VERBOSE"));
        assertEquals(Optional.empty(), ConfigKey.keyOfEnvironmentVariable("FIRMQUERY_DATABASE_"));
    }

    @Test
    @DisplayName("the shipped default.yaml sets every key")
    void defaultYamlMatchesKeyList() throws Exception {
        String yaml = ConfigFixture.read(ConfigFixture.projectFile("config/default.yaml"));
        for (String key : ConfigKey.names()) {
            String leaf = key.substring(key.indexOf('.') + 1);
            assertTrue(yaml.contains("\n  " + leaf + ":"), "config/default.yaml lacks " + key);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "processing.chunksize, processing.chunk_size",
            "processing.chunk_szie, processing.chunk_size",
            "Processing.Chunk_Size, processing.chunk_size",
            "database.hots, database.host",
            "database.ssl, database.ssl_mode",
            "chunk_size, processing.chunk_size",
            "output.format, output.formats",
            "kerberos.keytabs, kerberos.keytab",
            "database.hostname, database.host",
    })
    @DisplayName("suggestions for misspelt keys")
    void suggestions(String unknown, String expected) {
        assertEquals(Optional.of(expected), KeySuggestions.suggestKey(unknown));
    }

    @Test
    @DisplayName("no suggestion when nothing is close")
    void noSuggestion() {
        assertEquals(Optional.empty(), KeySuggestions.suggestKey("totally.unrelated_thing"));
        assertEquals(Optional.empty(), KeySuggestions.suggestKey("database.password_file"));
    }
}
