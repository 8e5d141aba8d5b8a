package dev.firmquery.ids;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static dev.firmquery.ids.IdFixtures.invalidValues;
import static dev.firmquery.ids.IdFixtures.loadFile;
import static dev.firmquery.ids.IdFixtures.onlyReason;
import static dev.firmquery.ids.IdFixtures.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Text IDs (processing.id_type = text)")
class TextIdTypeTest {
    private static final String PATTERN = "[A-Z]{2}-\\d{3,6}";

    @TempDir
    Path dir;

    private final IdLoader loader = IdFixtures.texts(PATTERN);

    @Test
    void valuesMatchingThePatternAreKept() throws Exception {
        IdLoadResult result = loadFile(loader, dir, "ids.txt", "AB-123\nCD-4567\n");
        assertEquals(List.of("AB-123", "CD-4567"), strings(result));
        assertEquals(IdType.TEXT, result.ids().type());
    }

    @Test
    void patternMustMatchTheWholeValue() throws Exception {
        IdLoadResult result = loadFile(loader, dir, "ids.txt", "AB-123x\nxAB-123\n");
        assertEquals(0, result.stats().valid());
        assertEquals(2, result.stats().invalid());
    }

    @Test
    void valuesAreTrimmedAndUnquoted() throws Exception {
        IdLoadResult result = loadFile(loader, dir, "ids.csv", "firm_root_id,n\n  \"AB-123\" ,x\n'CD-456',y\n");
        assertEquals(List.of("AB-123", "CD-456"), strings(result));
    }

    @Test
    void mismatchNamesThePatternKey() throws Exception {
        IdLoadResult result = loadFile(loader, dir, "ids.txt", "ab-123\n");
        assertEquals("does not match processing.id_pattern " + PATTERN + "; check the value or the pattern",
                onlyReason(result));
    }

    @Test
    void valuesLongerThanTwoHundredCharactersAreInvalid() throws Exception {
        IdLoader anything = IdFixtures.texts(".+");
        IdLoadResult result = loadFile(anything, dir, "ids.txt", "a".repeat(200) + "\n" + "b".repeat(201) + "\n");
        assertEquals(List.of("a".repeat(200)), strings(result));
        assertTrue(onlyReason(result).startsWith("value too long (201 characters)"), onlyReason(result));
    }

    @Test
    void duplicatesKeepFirstSeenOrderAndAreCaseSensitive() throws Exception {
        IdLoader anyCase = IdFixtures.texts("[A-Za-z]+");
        IdLoadResult result = loadFile(anyCase, dir, "ids.txt", "1\nb\na\nB\nb\na\n");
        assertEquals(List.of("b", "a", "B"), strings(result));
        assertEquals(2, result.stats().duplicates());
        assertEquals(List.of("1"), invalidValues(result));
    }

    @Test
    void knownHeaderNameIsAHeaderEvenIfThePatternAcceptsIt() throws Exception {
        IdLoadResult result = loadFile(IdFixtures.texts("\\w+"), dir, "ids.txt", "firm_root_id\nabc\n");
        assertEquals(List.of("abc"), strings(result));
        assertEquals("firm_root_id", result.columnName());
    }

    @Test
    void textIdsRequireAPattern() {
        assertThrows(IllegalArgumentException.class,
                () -> new IdLoader(new IdLoadOptions(IdType.TEXT, null, null, 10, 5)));
    }

    @Test
    void patternIsUsedAsGiven() throws Exception {
        IdLoader caseInsensitive = new IdLoader(IdLoadOptions.texts(Pattern.compile("ab-\\d+", Pattern.CASE_INSENSITIVE)));
        assertEquals(List.of("AB-1"), strings(caseInsensitive.loadText("AB-1")));
    }
}
