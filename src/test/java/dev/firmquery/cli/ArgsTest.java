package dev.firmquery.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgsTest {
    private static final Set<String> VALUES = Set.of("ids", "query", "set");
    private static final Set<String> FLAGS = Set.of("verbose");

    private static Args parse(String... a) throws UsageException {
        return Args.parse("run", List.of(a), VALUES, FLAGS);
    }

    @Test
    void valuesMayFollowAsTheNextArgumentOrAfterAnEqualsSign() throws UsageException {
        Args a = parse("--ids", "a.txt", "--query=firm_details");
        assertEquals("a.txt", a.value("ids"));
        assertEquals("firm_details", a.value("query"));
    }

    @Test
    void aDashIsAValueMeaningStandardInput() throws UsageException {
        assertEquals("-", parse("--ids", "-").value("ids"));
    }

    @Test
    void repeatableOptionsKeepEveryValueInOrder() throws UsageException {
        Args a = parse("--set", "processing.chunk_size=10", "--set", "database.port=5432");
        assertEquals(List.of("processing.chunk_size=10", "database.port=5432"), a.all("set"));
    }

    @Test
    void aMistypedOptionIsAnErrorWithASuggestion() {
        UsageException e = assertThrows(UsageException.class, () -> parse("--querry", "x"));
        assertTrue(e.getMessage().contains("did you mean --query?"), e.getMessage());
    }

    @Test
    void anOptionMissingItsValueIsAnError() {
        UsageException e = assertThrows(UsageException.class, () -> parse("--ids", "--verbose"));
        assertEquals("--ids needs a value", e.getMessage());
    }

    @Test
    void aFlagTakesNoValue() {
        assertThrows(UsageException.class, () -> parse("--verbose=yes"));
    }

    @Test
    void aRequiredOptionThatIsMissingNamesAnExample() {
        UsageException e = assertThrows(UsageException.class, () -> parse().required("ids", "--ids f.csv"));
        assertEquals("missing --ids; for example: --ids f.csv", e.getMessage());
    }
}
