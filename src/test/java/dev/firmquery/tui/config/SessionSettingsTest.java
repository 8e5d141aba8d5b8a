package dev.firmquery.tui.config;

import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.config.ConfigKey;
import dev.firmquery.config.ValueType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The session values a user may edit, with the configuration's own rules. */
class SessionSettingsTest {
    private static final Path HOME = Path.of("/home/ana");

    private static SessionSettings.Parsed parse(String chunk, String retries, String dir, String pattern,
                                                boolean csv, boolean xlsx) {
        return SessionSettings.parse(chunk, retries, dir, pattern, csv, xlsx, false, HOME);
    }

    @Test
    @DisplayName("valid fields give the settings; ~ is expanded and thousands separators are accepted")
    void valid() {
        SessionSettings.Parsed p = parse("1,000", "3", "~/out", "run_{timestamp}", true, false);
        assertTrue(p.ok(), p.problems().toString());
        assertEquals(new SessionSettings(1000, 3, HOME.resolve("out"), "run_{timestamp}", Set.of(Format.CSV), false),
                p.settings());
    }

    @Test
    @DisplayName("every problem is reported at once with the allowed range and the key")
    void problems() {
        SessionSettings.Parsed p = parse("0", "x", " ", "a/b", false, false);
        assertNull(p.settings());
        assertEquals(5, p.problems().size(), p.problems().toString());
        assertTrue(p.problems().get(0).contains("Chunk size 0 is out of range; enter 1 to 10,000 (processing.chunk_size)"));
        assertTrue(p.problems().get(1).contains("Max retries 'x' is not a whole number; enter 0 to 20"));
        assertTrue(p.problems().get(2).contains("Output directory is empty"));
        assertTrue(p.problems().get(3).contains("without path separators"));
        assertTrue(p.problems().get(4).contains("No output format is ticked"));
    }

    @Test
    @DisplayName("file name patterns follow the configuration validator's rules")
    void patternRules() {
        assertNull(SessionSettings.patternProblem("firm_query_{timestamp}"));
        assertNull(SessionSettings.patternProblem("{input}_{query}_{date}"));
        assertTrue(SessionSettings.patternProblem("{datum}").contains("{datum} is not one"));
        assertTrue(SessionSettings.patternProblem("a b").contains("only letters, digits"));
        assertTrue(SessionSettings.patternProblem(".hidden").contains("does not start with"));
    }

    @Test
    @DisplayName("the session edits exactly the keys the table marks as editable in a session")
    void editsTheSessionKeys() {
        SessionSettings base = new SessionSettings(250, 2, Path.of("./output"), "q_{timestamp}",
                Set.of(Format.CSV, Format.XLSX), false);
        SessionSettings all = new SessionSettings(500, 3, Path.of("/elsewhere"), "r_{timestamp}", Set.of(Format.CSV),
                true);
        Set<String> sessionKeys = new java.util.HashSet<>();
        for (ConfigKey key : ConfigKey.sessionKeys()) {
            sessionKeys.add(key.key());
        }
        assertEquals(sessionKeys, all.differencesFrom(base).keySet());
    }

    @Test
    @DisplayName("the ranges are the table's: one past either end is refused")
    void rangesFromTheTable() {
        ValueType.Whole chunk = ConfigKey.PROCESSING_CHUNK_SIZE.type(ValueType.Whole.class);
        ValueType.Whole retries = ConfigKey.PROCESSING_MAX_RETRIES.type(ValueType.Whole.class);
        assertTrue(parse(Integer.toString(chunk.max()), Integer.toString(retries.min()), "out", "q", true, false).ok());
        assertEquals(2, parse(Integer.toString(chunk.max() + 1), Integer.toString(retries.max() + 1), "out", "q", true,
                false).problems().size());
        assertEquals(1, parse(Integer.toString(chunk.min() - 1), Integer.toString(retries.max()), "out", "q", true,
                false).problems().size());
    }

    @Test
    @DisplayName("the differences from the configured values are listed by key, as shown in the config window")
    void differences() {
        SessionSettings base = new SessionSettings(250, 2, Path.of("./output"), "q_{timestamp}",
                Set.of(Format.CSV, Format.XLSX), false);
        SessionSettings edited = new SessionSettings(500, 2, Path.of("./output"), "q_{timestamp}", Set.of(Format.XLSX),
                true);
        assertEquals(Map.of("processing.chunk_size", "500", "output.formats", "xlsx", "output.csv_gzip", "true"),
                edited.differencesFrom(base));
    }
}
