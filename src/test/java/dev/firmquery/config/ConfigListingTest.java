package dev.firmquery.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The text of firmquery config")
class ConfigListingTest {

    @TempDir
    Path tempDir;
    /** The keys are aligned on the longest one. */
    private static final int WIDTH = ConfigKey.names().stream().mapToInt(String::length).max().orElseThrow();

    ConfigFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new ConfigFixture(tempDir);
    }

    @Test
    @DisplayName("lists every key once with its value and source, aligned, and nothing else")
    void oneLinePerKey() throws ConfigException {
        List<String> lines = ConfigListing.lines(fixture.withSet("processing.chunk_size=100").load().settings(), false);

        assertEquals(ConfigKey.values().length, lines.size());
        assertTrue(lines.contains(String.format("%-" + WIDTH + "s = %-28s  (--set)", "processing.chunk_size", "100")), lines.toString());
        assertFalse(lines.stream().anyMatch(l -> l.startsWith(" ")), lines.toString());
    }

    @Test
    @DisplayName("with --describe, each key is followed by its description, what it allows, its default and its variable")
    void describe() throws ConfigException {
        List<String> lines = ConfigListing.lines(fixture.load().settings(), true);

        assertEquals(3 * ConfigKey.values().length, lines.size());
        int chunk = lines.indexOf(String.format("%-" + WIDTH + "s = %-28s  (default)", "processing.chunk_size", "250"));
        assertEquals("    IDs per statement", lines.get(chunk + 1));
        assertEquals("    allowed: 1 to 10000; default: 250; variable: FIRMQUERY_PROCESSING_CHUNK_SIZE", lines.get(chunk + 2));
    }

    @Test
    @DisplayName("the description shows rules between keys, empty meanings and choices without Markdown")
    void describePlainText() {
        assertEquals(List.of("    size of the connection pool",
                        "    allowed: 1 to 64; at least processing.thread_count; default: 2; "
                                + "variable: FIRMQUERY_DATABASE_MAX_CONNECTIONS"),
                ConfigListing.description(ConfigKey.DATABASE_MAX_CONNECTIONS));
        assertEquals("    allowed: disable, allow, prefer, require, verify-ca, verify-full; not disable, allow or prefer "
                        + "with a password to another machine; empty = verify-full, except prefer with password "
                        + "authentication to this machine; default: \"\"; variable: FIRMQUERY_DATABASE_SSL_MODE",
                ConfigListing.description(ConfigKey.DATABASE_SSL_MODE).get(1));
    }
}
