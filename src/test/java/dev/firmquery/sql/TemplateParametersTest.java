package dev.firmquery.sql;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static dev.firmquery.sql.Templates.assertMentions;
import static dev.firmquery.sql.Templates.parse;
import static dev.firmquery.sql.Templates.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Template parameters as declared: {@code -- @param NAME TYPE [= DEFAULT] [DESCRIPTION]} in the header
 * comment, {@code {name}} in the SQL code (found by the lexer, not inside strings, comments or dollar
 * quotes), and every way a declaration or a use can be wrong, all reported together at file:line:column.
 */
class TemplateParametersTest {
    private static final String EXAMPLE = """
            -- Firms updated since a date, in some countries
            -- @param since date = 2026-01-01   Only firms updated on or after this date
            -- @param countries text[]          Two-letter country codes
            SELECT t1.firm_root_id, t1.legal_name FROM firm t1
            WHERE t1.updated_at >= {since} AND t1.country = ANY({countries})
              AND t1.firm_root_id IN ({ID_PLACEHOLDER})
            """;

    @Test
    void theHeaderDeclaresNameTypeDefaultAndDescription() throws Exception {
        QueryTemplate t = parse(EXAMPLE);
        assertEquals("Firms updated since a date, in some countries", t.description());
        assertEquals(2, t.parameters().size());
        TemplateParameter since = t.parameters().get(0);
        assertEquals("since", since.name());
        assertEquals(ParameterType.DATE, since.type());
        assertEquals(LocalDate.of(2026, 1, 1), since.defaultValue());
        assertEquals("Only firms updated on or after this date", since.description());
        assertEquals(2, since.line());
        TemplateParameter countries = t.parameters().get(1);
        assertEquals(ParameterType.TEXT_ARRAY, countries.type());
        assertFalse(countries.hasDefault());
        assertEquals("Two-letter country codes", countries.description());
    }

    @Test
    void usesAreFoundInTheSqlCodeInTextOrder() throws Exception {
        QueryTemplate t = parse(EXAMPLE);
        assertEquals(List.of("since", "countries"), t.uses().stream().map(QueryTemplate.Use::name).toList());
        QueryTemplate.Use since = t.uses().get(0);
        assertEquals("{since}", t.text().substring(since.start(), since.end()));
    }

    @Test
    void aParameterMayBeUsedMoreThanOnce() throws Exception {
        QueryTemplate t = parse("-- @param n integer\nSELECT {n} AS a, {n} + 1 AS b, f.firm_root_id FROM firm f"
                + " WHERE f.firm_root_id IN ({ID_PLACEHOLDER})");
        assertEquals(2, t.uses().size());
        assertEquals(1, t.parameters().size());
    }

    @Test
    void bracesInsideStringsCommentsAndDollarQuotesAreNotUses() throws Exception {
        QueryTemplate t = parse("""
                -- @param n integer
                SELECT '{n}' AS s, $$ {n} $$ AS d, "{n}" AS q, {n} AS v /* {n} */ -- {n}
                FROM firm f WHERE f.firm_root_id IN ({ID_PLACEHOLDER})
                """);
        assertEquals(1, t.uses().size());
        assertEquals("{n}", t.text().substring(t.uses().get(0).start(), t.uses().get(0).end()));
        assertEquals(t.text().indexOf("{n} AS v"), t.uses().get(0).start());
    }

    @Test
    void quotedDefaultsMayHoldSpacesAndQuotes() throws Exception {
        QueryTemplate t = parse("-- @param who text = 'O''Brien & Co' the name\n"
                + "-- @param empty text = ''\n-- @param n numeric = 1.50\n"
                + "SELECT {who}, {empty}, {n}, f.firm_root_id FROM firm f WHERE f.firm_root_id IN ({ID_PLACEHOLDER})");
        assertEquals("O'Brien & Co", t.parameters().get(0).defaultValue());
        assertEquals("the name", t.parameters().get(0).description());
        assertEquals("", t.parameters().get(1).defaultValue());
        assertEquals(new BigDecimal("1.50"), t.parameters().get(2).defaultValue());
    }

    @Test
    void aHeaderThatStartsWithADeclarationHasNoDescription() throws Exception {
        assertEquals("", parse("-- @param n integer\nSELECT {n}, f.firm_root_id FROM firm f"
                + " WHERE f.firm_root_id IN ({ID_PLACEHOLDER})").description());
    }

    @Test
    void aUseWithoutADeclarationIsRefusedWhereItIs() {
        String message = refusal("SELECT f.firm_root_id FROM firm f\nWHERE f.x = {since}\n"
                + "  AND f.firm_root_id IN ({ID_PLACEHOLDER})");
        assertMentions(message, "q.sql:2:13", "{since} is not a declared parameter", "-- @param since");
    }

    @Test
    void aDeclarationNeverUsedIsRefusedAtItsLine() {
        String message = refusal("-- Firms\n-- @param since date\nSELECT f.firm_root_id FROM firm f"
                + " WHERE f.firm_root_id IN ({ID_PLACEHOLDER})");
        assertMentions(message, "q.sql:2:1", "parameter since is declared but {since} is not used");
    }

    @Test
    void aDeclarationUsedOnlyInsideAStringSaysSo() {
        String message = refusal("-- @param since date\nSELECT '{since}' AS s, f.firm_root_id FROM firm f"
                + " WHERE f.firm_root_id IN ({ID_PLACEHOLDER})");
        assertMentions(message, "only inside a string", "without quotes");
    }

    @Test
    void everyProblemOfTheParametersIsReportedTogether() {
        String message = refusal("""
                -- @param since dat
                -- @param n integer = many
                -- @param n integer
                -- @param 1x text
                -- @param ID_PLACEHOLDER text
                -- @param gone boolean
                SELECT {n}, {Since}, f.firm_root_id FROM firm f WHERE f.firm_root_id IN ({ID_PLACEHOLDER})
                /* @param late text */
                """);
        assertMentions(message, "problems with the template's parameters",
                "q.sql:1:1: parameter since has the type 'dat', which is not one of text, integer, numeric",
                "q.sql:2:1: the default of parameter n (integer): 'many' is not a whole number",
                "q.sql:4:1: parameter name '1x'",
                "q.sql:5:1: ID_PLACEHOLDER is the engine's name",
                "q.sql:6:1: parameter gone is declared but",
                "q.sql:7:13: {Since} is not a declared parameter",
                "q.sql:8:1: an @param declaration is read only from the -- line comments at the top");
    }

    @Test
    void aSecondDeclarationOfANameIsRefused() {
        assertMentions(refusal("-- @param n integer\n-- @param n text\nSELECT {n}, f.firm_root_id FROM firm f"
                + " WHERE f.firm_root_id IN ({ID_PLACEHOLDER})"), "q.sql:2:1", "declared a second time (first on line 1)");
    }

    @Test
    void aDeclarationWithoutTypeOrDefaultAfterTheEqualsSignIsRefused() {
        assertMentions(refusal("-- @param n\n-- @param m integer =\nSELECT {n}, {m}, f.firm_root_id FROM firm f"
                + " WHERE f.firm_root_id IN ({ID_PLACEHOLDER})"),
                "q.sql:1:1: parameter n has no type", "q.sql:2:1: parameter m has an '=' but no default");
    }

    @Test
    void anUnclosedQuoteInADefaultIsRefused() {
        assertMentions(refusal("-- @param who text = 'O''Brien\nSELECT {who}, f.firm_root_id FROM firm f"
                + " WHERE f.firm_root_id IN ({ID_PLACEHOLDER})"), "q.sql:1:1", "opens a quote (') that the line does not close");
    }

    @Test
    void aTypeIsReadWhateverItsCase() throws Exception {
        QueryTemplate t = parse("-- @param ids INTEGER[]\nSELECT f.firm_root_id FROM firm f WHERE f.firm_root_id"
                + " = ANY({ids}) AND f.firm_root_id IN ({ID_PLACEHOLDER})");
        assertEquals(ParameterType.INTEGER_ARRAY, t.parameters().get(0).type());
        assertNull(t.parameters().get(0).defaultValue());
    }
}
