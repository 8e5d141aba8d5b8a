package dev.firmquery.export;

import dev.firmquery.testing.TestPostgres;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Values read from a real PostgreSQL through {@link JdbcColumns} and written by {@link CsvResultWriter}
 * come out exactly as PostgreSQL's own text output ({@code value::text}), type by type.
 */
class JdbcColumnsPostgresTest {
    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void database() {
        db = TestPostgres.freshDatabase("jdbc_columns");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "bigint           | 9223372036854775807",
        "integer          | -2147483648",
        "smallint         | 7",
        "numeric          | 12345678901234567890.123456789",
        "numeric(14,2)    | 1.50",
        "real             | 0.1",
        "double precision | 1e-7",
        "double precision | 123456.789",
        "double precision | 'NaN'",
        "double precision | '-Infinity'",
        "boolean          | true",
        "date             | 1850-03-02",
        "date             | 'infinity'",
        "date             | '4713-01-01 BC'",
        "timestamp        | 2024-03-01 13:45:00.5",
        "timestamp        | '-infinity'",
        "timestamptz      | 2024-03-01 13:45:00.123456+00",
        "timestamptz      | 1999-12-31 23:59:59+05:30",
        "text             | 'Müller & Söhne, \"Nord\" GmbH'",
        "char(2)          | US",
        "uuid             | a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
        "interval         | 1 day 02:03:04",
        "jsonb            | '{\"a\": [1, 2]}'",
        "bigint[]         | '{1,2,3}'",
    })
    void aValueIsWrittenAsPostgresqlWritesIt(String type, String literal) throws Exception {
        String sql = "SELECT CAST(" + quote(literal) + " AS " + type + ") AS v, CAST(" + quote(literal) + " AS " + type
                + ")::text AS expected";
        List<String> row = roundTrip(sql);
        assertEquals(row.get(1), row.get(0), type + " " + literal);
    }

    @Test
    void nullIsAnEmptyField() throws Exception {
        List<String> row = roundTrip("SELECT NULL::bigint AS a, NULL::date AS b, NULL::text AS c, 'x' AS d");
        assertEquals(List.of("", "", "", "x"), row);
    }

    @Test
    void aNumericNanCannotBeCarriedAndSaysHowToCastIt() throws Exception {
        SQLException e = assertThrows(SQLException.class, () -> roundTrip("SELECT 'NaN'::numeric AS v"));
        assertEquals("22003", e.getSQLState());
        assertTrue(e.getMessage().contains("::text") || e.getMessage().contains("double precision"), e.getMessage());
    }

    @Test
    void integerTypesAreCarriedAsIntegersAndTextAsText() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1::int8 a, 1::int4 b, 1::int2 c, 1.5::numeric d, 1::float8 e,"
                     + " true f, current_date g, localtimestamp h, now() i, 'x'::text j, 'x'::varchar k")) {
            List<Column> cols = JdbcColumns.columnsOf(rs.getMetaData());
            assertEquals(List.of(ColumnKind.INTEGER, ColumnKind.INTEGER, ColumnKind.INTEGER, ColumnKind.DECIMAL,
                    ColumnKind.FLOAT, ColumnKind.BOOLEAN, ColumnKind.DATE, ColumnKind.TIMESTAMP,
                    ColumnKind.TIMESTAMPTZ, ColumnKind.TEXT, ColumnKind.TEXT),
                    cols.stream().map(Column::kind).toList());
        }
    }

    private static String quote(String literal) {
        String l = literal.strip();
        return l.startsWith("'") ? l : "'" + l.replace("'", "''") + "'";
    }

    /** Runs {@code sql}, reads its one row through JdbcColumns, writes it as CSV and parses it back. */
    private List<String> roundTrip(String sql) throws Exception {
        Path file = tmp.resolve("out-" + System.nanoTime() + ".csv");
        try (Connection c = db.connect()) {
            try (Statement s = c.createStatement()) {
                s.execute("SET TIME ZONE 'UTC'");
            }
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery();
                 CsvResultWriter w = new CsvResultWriter(file, false)) {
                List<Column> cols = JdbcColumns.columnsOf(rs.getMetaData());
                w.begin(cols);
                Object[] row = new Object[cols.size()];
                assertTrue(rs.next());
                JdbcColumns.readRow(rs, cols, row);
                w.row(row);
                w.commit(List.of());
            }
        }
        return readSecondRecord(file);
    }

    private static List<String> readSecondRecord(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8); CSVParser p = CSVFormat.RFC4180.parse(r)) {
            List<CSVRecord> records = p.getRecords();
            assertEquals(2, records.size());
            return records.get(1).toList();
        }
    }
}
