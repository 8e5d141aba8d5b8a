package dev.firmquery.sql;

import dev.firmquery.ids.IdList;
import dev.firmquery.ids.IdType;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Parameter values bound through {@link StatementRenderer} into a real PostgreSQL come back equal, type
 * by type and in every ID binding, and a hostile text value is only ever a value: it matches the row
 * that holds it and changes nothing.
 */
class ParameterBindingPostgresTest {
    private static final String HOSTILE = "'); DROP TABLE firm; --";
    private static TestPostgres.TestDatabase db;

    @BeforeAll
    static void database() throws Exception {
        db = TestPostgres.freshDatabase("params");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE firm (firm_root_id bigint PRIMARY KEY, firm_name text NOT NULL)");
            s.execute("INSERT INTO firm VALUES (1, 'Acme'), (2, 'Müller & Söhne'), (3, $h$" + HOSTILE + "$h$),"
                    + " (4, 'O''Brien')");
        }
    }

    private static List<List<Object>> run(String sql, IdBinding binding, Map<String, String> values, long... ids)
            throws Exception {
        QueryTemplate t = QueryTemplate.parse("q", null, sql, false);
        StatementRenderer r = new StatementRenderer(t, binding, IdType.INTEGER, ParameterValues.resolve(t, values));
        IdList list = IdList.ofLongs(ids);
        List<List<Object>> rows = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(r.sql(list, 0, ids.length))) {
            r.bind(ps, list, 0, ids.length);
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "text        | 'Müller 中 😀 \"x\" '' ; --'  | text",
        "integer     | -9223372036854775808          | bigint",
        "numeric     | 12345678901234567890.123456789 | numeric",
        "numeric     | 1.50                          | numeric",
        "boolean     | false                         | boolean",
        "date        | 1850-03-02                    | date",
        "timestamptz | 2026-01-31T09:00:00.123456+01:00 | timestamp with time zone",
        "text[]      | DE,FR,a\\,b,''                | text[]",
        "integer[]   | 1,-2,9223372036854775807      | bigint[]",
    })
    void aValueRoundTripsThroughPostgresql(String type, String value, String pgType) throws Exception {
        String sql = "-- @param v " + type + "\nSELECT f.firm_root_id, {v} AS v, pg_typeof({v})::text AS t"
                + " FROM firm f WHERE f.firm_root_id IN ({ID_PLACEHOLDER})";
        List<List<Object>> rows = run(sql, IdBinding.BIND, Map.of("v", value), 1);
        assertEquals(1, rows.size());
        ParameterType t = ParameterType.ofDeclared(type).orElseThrow();
        Object expected = t.parse(value);
        Object got = rows.get(0).get(1);
        assertEquals(pgType, rows.get(0).get(2));
        switch (t) {
            case TEXT, NUMERIC, BOOLEAN -> assertEquals(expected, got);
            case INTEGER -> assertEquals(expected, ((Number) got).longValue());
            case DATE -> assertEquals(expected, ((java.sql.Date) got).toLocalDate());
            case TIMESTAMPTZ -> assertEquals(((OffsetDateTime) expected).toInstant(),
                    ((java.sql.Timestamp) got).toInstant(), "the same instant");
            case TEXT_ARRAY, INTEGER_ARRAY -> assertEquals(expected,
                    Arrays.asList((Object[]) ((java.sql.Array) got).getArray()));
        }
    }

    @ParameterizedTest
    @EnumSource(IdBinding.class)
    void valuesBeforeAndAfterTheIdsAreBoundInTheirPlaces(IdBinding binding) throws Exception {
        String sql = """
                -- @param tag text
                -- @param day date
                -- @param skip integer[]
                SELECT f.firm_root_id, {tag} AS tag, {day} AS day FROM firm f
                WHERE f.firm_root_id IN ({ID_PLACEHOLDER}) AND NOT f.firm_root_id = ANY({skip})
                ORDER BY 1
                """;
        List<List<Object>> rows = run(sql, binding, Map.of("tag", "x", "day", "2026-01-31", "skip", "2"), 1, 2, 4);
        assertEquals(2, rows.size());
        assertEquals(List.of(1L, "x", java.sql.Date.valueOf(LocalDate.of(2026, 1, 31))), rows.get(0));
        assertEquals(4L, rows.get(1).get(0));
    }

    @Test
    void aHostileValueIsOnlyAValue() throws Exception {
        String sql = "-- @param name text\nSELECT f.firm_root_id, f.firm_name FROM firm f"
                + " WHERE f.firm_name = {name} AND f.firm_root_id IN ({ID_PLACEHOLDER})";
        List<List<Object>> rows = run(sql, IdBinding.BIND, Map.of("name", HOSTILE), 1, 2, 3, 4);
        assertEquals(List.of(List.of(3L, HOSTILE)), rows);
        List<List<Object>> none = run(sql, IdBinding.LITERAL, Map.of("name", "x' OR '1'='1"), 1, 2, 3, 4);
        assertEquals(List.of(), none, "a quote in a value does not widen the WHERE clause");
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM firm")) {
            rs.next();
            assertEquals(4, rs.getLong(1), "the table is still there, unchanged");
        }
    }

    @Test
    void aTextListMatchesWithAny() throws Exception {
        String sql = "-- @param names text[]\nSELECT f.firm_root_id FROM firm f WHERE f.firm_name = ANY({names})"
                + " AND f.firm_root_id IN ({ID_PLACEHOLDER}) ORDER BY 1";
        assertEquals(List.of(List.of(2L), List.of(4L)),
                run(sql, IdBinding.ARRAY, Map.of("names", "Müller & Söhne,O'Brien,nobody"), 1, 2, 3, 4));
    }
}
