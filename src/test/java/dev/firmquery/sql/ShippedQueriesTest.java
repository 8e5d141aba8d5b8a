package dev.firmquery.sql;

import dev.firmquery.ids.IdList;
import dev.firmquery.ids.IdType;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

import static dev.firmquery.sql.Templates.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The templates under sql/queries/ are valid, read-only, and work in every binding mode. */
class ShippedQueriesTest {
    private static final Path QUERIES = Paths.get(System.getProperty("firmquery.home", "")).resolve("sql/queries");
    private static final IdList IDS = IdList.ofLongs(new long[] {1, 22, 333});

    private final QueryResolver resolver = new QueryResolver(List.of(QUERIES));

    @Test
    void theDocumentedQueriesAreShipped() {
        List<String> names = resolver.list().stream().map(QueryInfo::name).toList();
        assertTrue(names.containsAll(List.of("firm_details", "firm_names")), names::toString);
    }

    @Test
    void everyShippedQueryIsAValidReadOnlyTemplateWithADescription() throws Exception {
        for (QueryInfo info : resolver.list()) {
            QueryTemplate template = QueryTemplate.load(info.path(), false);
            assertFalse(template.description().isEmpty(), info.path() + " needs a first-line -- comment");
            assertEquals(template.description(), info.description());
        }
    }

    @Test
    void everyShippedQueryRendersInEveryBindingMode() throws Exception {
        for (QueryInfo info : resolver.list()) {
            QueryTemplate template = QueryTemplate.load(info.path(), false);
            for (IdBinding binding : IdBinding.values()) {
                StatementRenderer renderer = new StatementRenderer(template, binding, IdType.INTEGER);
                assertFalse(renderer.sql(IDS, 0, 3).contains(QueryTemplate.PLACEHOLDER), info.path() + " " + binding);
            }
        }
    }

    @Test
    void everyShippedQueryReturnsTheIdColumnFirst() throws Exception {
        for (QueryInfo info : resolver.list()) {
            String text = QueryTemplate.load(info.path(), false).text();
            String afterSelect = text.substring(text.toUpperCase(Locale.ROOT).indexOf("SELECT") + 6)
                    .replaceFirst("^\\s*(?i:DISTINCT)?\\s*", "");
            assertTrue(afterSelect.startsWith("t1.firm_root_id,"), info.path() + ": " + afterSelect);
        }
    }

    @Test
    void firmDetailsHasTheOriginalShapeAndADeterministicOrder() throws Exception {
        String text = QueryTemplate.load(resolver.resolve("firm_details"), false).text();
        assertMentions(text, "SELECT DISTINCT", "FROM firm t1", "JOIN firm_identifier t2",
                "ON t2.firm_root_id = t1.firm_root_id", "WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})",
                "ORDER BY t1.firm_root_id, t2.id_scheme, t2.id_value", "t2.valid_from");
    }
}
