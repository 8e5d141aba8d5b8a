package dev.firmquery.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.firmquery.sql.Templates.assertMentions;
import static dev.firmquery.sql.Templates.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The values of a run's parameters ({@code --param NAME=VALUE}): each type parsed and written back to an
 * equal value, lists, defaults, and every problem of the given values reported at once with the
 * template's file:line.
 */
class ParameterValuesTest {
    private static final String TEMPLATE = """
            -- Firms
            -- @param since date = 2026-01-01   Only firms updated since
            -- @param countries text[]          Country codes
            -- @param active boolean = true
            SELECT f.firm_root_id FROM firm f WHERE f.updated_at >= {since} AND f.country_code = ANY({countries})
              AND f.is_active = {active} AND f.firm_root_id IN ({ID_PLACEHOLDER})
            """;

    private static Map<String, String> given(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "text        | 'O''Brien'; DROP TABLE firm; -- | 'O''Brien'; DROP TABLE firm; --",
        "integer     | -9223372036854775808           | -9223372036854775808",
        "integer     | +42                            | 42",
        "numeric     | 1e3                            | 1000",
        "numeric     | -0.50                          | -0.50",
        "boolean     | YES                            | true",
        "boolean     | off                            | false",
        "date        | 2024-02-29                     | 2024-02-29",
        "timestamptz | 2026-01-31 09:00:00+01         | 2026-01-31T09:00:00+01:00",
        "timestamptz | 2026-01-31T08:00:00.250Z       | 2026-01-31T08:00:00.25Z",
        "text[]      | DE, FR ,a\\,b                  | DE,FR,a\\,b",
        "integer[]   | 1,-2, 3                        | 1,-2,3",
    })
    void aValueParsesAndIsWrittenBackToAnEqualValue(String type, String value, String canonical) {
        ParameterType t = ParameterType.ofDeclared(type).orElseThrow();
        Object parsed = t.parse(value);
        assertEquals(canonical, t.format(parsed));
        assertEquals(parsed, t.parse(t.format(parsed)), "the canonical text reads back to the same value");
    }

    @Test
    void listsAreSplitAtCommasWithEscapes() {
        assertEquals(List.of("a,b", "c\\"), ParameterType.TEXT_ARRAY.parse("a\\,b,c\\\\"));
        assertEquals(List.of(), ParameterType.TEXT_ARRAY.parse(""));
        assertEquals(List.of(1L, 2L), ParameterType.INTEGER_ARRAY.parse("1,2"));
    }

    @Test
    void timestampsAreInstantsWithAnOffset() {
        assertEquals(OffsetDateTime.of(2026, 1, 31, 9, 0, 0, 0, ZoneOffset.ofHours(1)),
                ParameterType.TIMESTAMPTZ.parse("2026-01-31T09:00+01:00"));
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> ParameterType.TIMESTAMPTZ.parse("2026-01-31 09:00")).getMessage(),
                "it has no offset", "2026-01-31T08:00:00Z");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "integer     | 1.5         | not a whole number",
        "integer     | 9223372036854775808 | not a whole number",
        "numeric     | 1,5         | not a number",
        "numeric     | NaN         | not a number",
        "boolean     | maybe       | not a boolean",
        "date        | 2026-02-30  | not a date",
        "date        | 31.01.2026  | YYYY-MM-DD",
        "timestamptz | yesterday   | not a timestamp",
        "integer[]   | 1,,2        | not a whole number",
    })
    void aValueThatIsNotItsTypeIsRefusedWithTheWayToWriteIt(String type, String value, String says) {
        ParameterType t = ParameterType.ofDeclared(type).orElseThrow();
        assertMentions(assertThrows(IllegalArgumentException.class, () -> t.parse(value)).getMessage(), says);
    }

    @Test
    void textCannotHoldANul() {
        assertMentions(assertThrows(IllegalArgumentException.class, () -> ParameterType.TEXT.parse("a\0b")).getMessage(),
                "NUL");
    }

    @Test
    void defaultsApplyToValuesNotGiven() throws Exception {
        ParameterValues v = ParameterValues.resolve(parse(TEMPLATE), given("countries", "DE,FR"));
        assertEquals(LocalDate.of(2026, 1, 1), v.get("since").orElseThrow().value());
        assertTrue(v.get("since").orElseThrow().fromDefault());
        assertEquals(List.of("DE", "FR"), v.get("countries").orElseThrow().value());
        assertFalse(v.get("countries").orElseThrow().fromDefault());
        assertEquals(Boolean.TRUE, v.get("active").orElseThrow().value());
        assertEquals("since=2026-01-01, countries=DE,FR, active=true", v.describe());
    }

    @Test
    void givenValuesWinOverDefaults() throws Exception {
        ParameterValues v = ParameterValues.resolve(parse(TEMPLATE), given("since", "2025-06-30", "countries", "",
                "active", "no"));
        assertEquals(Map.of("since", "2025-06-30", "countries", "", "active", "false"), v.asText());
    }

    @Test
    void aMissingValueWithoutDefaultIsRefusedAtItsDeclaration() {
        String message = assertThrows(TemplateException.class,
                () -> ParameterValues.resolve(parse(TEMPLATE), Map.of())).getMessage();
        assertMentions(message, "q.sql:3: parameter countries (text[]) has no value and no default",
                "--param countries=DE,FR");
    }

    @Test
    void everyProblemOfTheValuesIsReportedTogether() {
        String message = assertThrows(TemplateException.class, () -> ParameterValues.resolve(parse(TEMPLATE),
                given("since", "2026-13-01", "active", "perhaps", "Countries", "DE", "limit", "5"))).getMessage();
        assertMentions(message, "5 problems with the parameters of q",
                "q.sql:2: parameter since (date): --param since=2026-13-01: '2026-13-01' is not a date",
                "q.sql:3: parameter countries (text[]) has no value",
                "q.sql:4: parameter active (boolean): --param active=perhaps: 'perhaps' is not a boolean",
                "--param Countries: the query q has no parameter Countries (it declares since, countries, active);"
                        + " did you mean countries?",
                "--param limit: the query q has no parameter limit");
    }

    @Test
    void aTemplateWithoutParametersTakesNoValues() throws Exception {
        QueryTemplate t = parse(Templates.FIRM_NAMES);
        assertTrue(ParameterValues.resolve(t, Map.of()).isEmpty());
        assertMentions(assertThrows(TemplateException.class, () -> ParameterValues.resolve(t, Map.of("x", "1")))
                .getMessage(), "has no parameter x (it declares no parameters)");
    }

    @Test
    void theRendererPutsACastMarkerForEachUseAndNoValueInTheText() throws Exception {
        QueryTemplate t = parse(TEMPLATE);
        ParameterValues v = ParameterValues.resolve(t, given("countries", "'); DROP TABLE firm; --"));
        StatementRenderer r = new StatementRenderer(t, IdBinding.BIND, dev.firmquery.ids.IdType.INTEGER, v);
        String sql = r.sql(dev.firmquery.ids.IdList.ofLongs(new long[] {1, 2}), 0, 2);
        assertMentions(sql, "f.updated_at >= CAST(? AS date)", "= ANY(CAST(? AS text[]))",
                "f.is_active = CAST(? AS boolean)", "IN (?, ?)");
        assertFalse(sql.contains("DROP"), sql);
        assertEquals(sql.length(), r.length(dev.firmquery.ids.IdList.ofLongs(new long[] {1, 2}), 0, 2));
        assertEquals(StatementRenderer.MAX_BIND_PARAMETERS - 3, r.maxIdsPerStatement());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(IdBinding.class)
    void theLengthModelCountsTheMarkersInEveryBinding(IdBinding binding) throws Exception {
        QueryTemplate t = parse(TEMPLATE);
        StatementRenderer r = new StatementRenderer(t, binding, dev.firmquery.ids.IdType.INTEGER,
                ParameterValues.resolve(t, given("countries", "DE")));
        dev.firmquery.ids.IdList ids = dev.firmquery.ids.IdList.ofLongs(new long[] {7, 123456789, 42});
        String sql = r.sql(ids, 0, 3);
        assertEquals(sql.length(), r.length(ids, 0, 3), sql);
        assertEquals(3, sql.split("CAST\\(\\? AS ", -1).length - 1, sql);
    }

    @Test
    void theRendererRefusesValuesThatAreNotTheTemplates() throws Exception {
        QueryTemplate t = parse(TEMPLATE);
        assertThrows(IllegalArgumentException.class,
                () -> new StatementRenderer(t, IdBinding.BIND, dev.firmquery.ids.IdType.INTEGER));
    }

    @Test
    void numericKeepsItsScale() {
        assertEquals(new BigDecimal("1.50"), ParameterType.NUMERIC.parse("1.50"));
    }
}
