package dev.firmquery.export;

import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DirectCsvRecords} against a real PostgreSQL: for every column type and value it meets (edge
 * values, then 600 seeded random rows), in every CSV dialect, with and without the formula guard, and
 * with the columns in text format and in the binary format pgjdbc asks for once a statement is
 * server-prepared, its records are byte for byte what {@link JdbcColumns#readRow} and
 * {@link CsvRecords#append} make of the same row.
 */
class DirectCsvRecordsPostgresTest {
    private static final long SEED = 15;
    private static final int RANDOM_ROWS = 600;
    private static final String COLUMNS = "id, t, c, vc, i2, i4, i8, n, n2, f4, f8, b, d, ts, tz, u, j, arr, by, iv, o";
    private static TestPostgres.TestDatabase db;

    @BeforeAll
    static void values() throws SQLException {
        db = TestPostgres.freshDatabase("direct_csv");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE v (id int PRIMARY KEY, t text, c char(3), vc varchar(40), i2 int2, i4 int4, i8 int8,"
                    + " n numeric, n2 numeric(14,2), f4 real, f8 float8, b boolean, d date, ts timestamp,"
                    + " tz timestamptz, u uuid, j jsonb, arr int8[], by bytea, iv interval, o oid)");
            s.execute("INSERT INTO v (id) VALUES (0)"); // every column NULL
            s.execute("INSERT INTO v VALUES (1, '', 'a', '', 0, 0, 0, 0, 0, 0, 0, false, '0001-01-01', '0001-01-01 00:00:00',"
                    + " '0001-01-01 00:00:00+00', '00000000-0000-0000-0000-000000000000', '{}', '{}', '', '0', 0)");
            s.execute("INSERT INTO v VALUES (2, '=SUM(A1)', 'x,y', '\"q\"', -32768, -2147483648, -9223372036854775808,"
                    + " -0.000000001, -999999999999.99, -3.4e38, -1.7976931348623157e308, true, '4713-01-01 BC',"
                    + " '4713-01-01 00:00:00 BC', '4713-01-01 00:00:00+00 BC', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',"
                    + " '{\"a\": [1, \"x,y\"]}', '{1,NULL,3}', '\\x00ff', '-1 day 02:03:04.5', 4294967295)");
            s.execute("INSERT INTO v VALUES (3, ' lead', 'ab ', 'trail ', 32767, 2147483647, 9223372036854775807,"
                    + " 12345678901234567890.123456789, 0.01, 'NaN', 'Infinity', true, 'infinity', 'infinity', 'infinity',"
                    + " NULL, '\"é\"', NULL, NULL, NULL, NULL)");
            s.execute("INSERT INTO v VALUES (4, E'a\\r\\nb', '#', E'tab\\there', 7, 10000, 100000000,"
                    + " 10000.0001, 100.00, 0.1, 1e-7, false, '-infinity', '-infinity', '-infinity', NULL, NULL, NULL,"
                    + " NULL, NULL, NULL)");
            s.execute("INSERT INTO v VALUES (5, '+1', '-', '@x', 1, 1, 1, 1e20, 12345678.9, 1e30, 123456.789, true,"
                    + " '0999-12-31', '1582-10-04 23:59:59.999999', '1999-12-31 23:59:59.5+05:30', NULL, NULL, NULL,"
                    + " NULL, NULL, NULL)");
            s.execute("INSERT INTO v VALUES (6, 'Müller & Söhne; \"Nord\" | GmbH €😀', 'é', '😀', 2, 2, 2, 0.5, -0.50,"
                    + " NULL, NULL, NULL, '12345-06-07', '10000-01-01 00:00:00.000001', '294276-12-31 23:59:59+00',"
                    + " NULL, NULL, NULL, NULL, NULL, NULL)");
            s.execute("INSERT INTO v VALUES (7, E'\\t', '\"', ';', 3, 3, 3, 100, 1, NULL, NULL, NULL, '1850-03-02',"
                    + " '2024-03-01 13:45:00.5', '2024-03-01 13:45:00.123456+00', NULL, NULL, NULL, NULL, NULL, NULL)");
            s.execute("INSERT INTO v VALUES (8, '|', '|', '#x', 4, 4, 4, 0.00010000, 0.10, NULL, NULL, NULL,"
                    + " '1969-12-31', '1969-12-31 23:59:59.000001', '1970-01-01 00:00:00.1+00', NULL, NULL, NULL,"
                    + " NULL, NULL, NULL)");
            s.execute("INSERT INTO v (id, n) VALUES (9, 'NaN')");
            insertRandomRows(c);
        }
    }

    /** Seeded values: text over an alphabet of everything CSV quoting cares about, numbers and times at random. */
    private static void insertRandomRows(Connection c) throws SQLException {
        Random random = new Random(SEED);
        String alphabet = "ab ,;|\t\"\r\n#=+-@'\\é€😀 z09";
        int[] codePoints = alphabet.codePoints().toArray();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO v (id, t, vc, i4, i8, n, n2, b, d, ts, tz)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int r = 0; r < RANDOM_ROWS; r++) {
                ps.setInt(1, 100 + r);
                ps.setString(2, text(random, codePoints, 12));
                ps.setString(3, text(random, codePoints, 6));
                ps.setInt(4, random.nextInt());
                ps.setLong(5, random.nextLong() >> random.nextInt(64));
                ps.setBigDecimal(6, new BigDecimal(new BigInteger(random.nextInt(90) + 1, random), random.nextInt(40) - 8)
                        .multiply(BigDecimal.valueOf(random.nextBoolean() ? 1 : -1)));
                ps.setBigDecimal(7, BigDecimal.valueOf(random.nextLong() % 100_000_000_000_000L, 2));
                ps.setBoolean(8, random.nextBoolean());
                LocalDate day = LocalDate.ofEpochDay(LocalDate.of(1, 1, 1).toEpochDay()
                        + (long) (random.nextDouble() * (LocalDate.of(10_000, 1, 1).toEpochDay() - LocalDate.of(1, 1, 1).toEpochDay())));
                ps.setObject(9, day);
                LocalDateTime time = day.atStartOfDay().plusNanos(random.nextLong(86_400_000_000L) * 1000L)
                        .withNano(random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000) * 1000);
                ps.setObject(10, time);
                ps.setObject(11, OffsetDateTime.of(time, ZoneOffset.UTC));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String text(Random random, int[] codePoints, int max) {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            sb.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
        }
        return sb.toString();
    }

    static Stream<Arguments> dialectsGuardsAndFormats() {
        List<Arguments> cases = new ArrayList<>();
        for (CsvDialect dialect : List.of(CsvDialect.RFC4180, new CsvDialect(';', false, CsvDialect.LineEnding.LF),
                new CsvDialect('\t', true, CsvDialect.LineEnding.CRLF), new CsvDialect('|', false, CsvDialect.LineEnding.LF))) {
            for (boolean guard : new boolean[] {false, true}) {
                for (boolean binary : new boolean[] {false, true}) {
                    cases.add(Arguments.of(dialect, guard, binary));
                }
            }
        }
        return cases.stream();
    }

    /**
     * A connection whose statements come back in text format ({@code prepareThreshold=0}: never
     * server-prepared) or in pgjdbc's binary format ({@code -1}: server-prepared from the first
     * execution, binary for the types pgjdbc decodes itself).
     */
    private static Connection connect(boolean binary) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", db.user());
        if (db.password() != null) {
            p.setProperty("password", db.password());
        }
        p.setProperty("prepareThreshold", binary ? "-1" : "0");
        Connection c = DriverManager.getConnection(db.jdbcUrl(), p);
        try (Statement s = c.createStatement()) {
            s.execute("SET TIME ZONE 'Europe/Berlin'"); // not UTC: timestamptz must still come out in UTC
        }
        return c;
    }

    @ParameterizedTest(name = "{0} guard {1} binary {2}")
    @MethodSource("dialectsGuardsAndFormats")
    void everyRecordIsTheOneTheTypedPathWrites(CsvDialect dialect, boolean guard, boolean binary) throws Exception {
        try (Connection c = connect(binary);
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM v WHERE id <> 9 ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            List<Column> columns = JdbcColumns.columnsOf(rs.getMetaData());
            CsvRecords typed = new CsvRecords(columns, guard, dialect);
            DirectCsvRecords.Rows direct = new DirectCsvRecords(new CsvRecords(columns, guard, dialect)).of(rs);
            if (binary) {
                assertTrue(direct.paths().contains(DirectCsvRecords.Path.TIMESTAMPTZ_BINARY), direct.paths().toString());
                assertTrue(direct.paths().contains(DirectCsvRecords.Path.DECIMAL_BINARY), direct.paths().toString());
            } else {
                assertTrue(direct.paths().stream().noneMatch(p -> p.name().endsWith("_BINARY")), direct.paths().toString());
            }
            Object[] values = new Object[columns.size()];
            StringBuilder line = new StringBuilder();
            int rows = 0;
            while (rs.next()) {
                JdbcColumns.readRow(rs, columns, values);
                line.setLength(0);
                typed.append(values, line);
                byte[] expected = line.toString().getBytes(StandardCharsets.UTF_8);
                int n = direct.encode();
                byte[] actual = Arrays.copyOf(direct.bytes(), n);
                assertArrayEquals(expected, actual, () -> "row " + rowId(rs) + ": expected " + line + " got "
                        + new String(actual, StandardCharsets.UTF_8));
                rows++;
            }
            assertEquals(9 + RANDOM_ROWS, rows);
        }
    }

    private static String rowId(ResultSet rs) {
        try {
            return rs.getString(1);
        } catch (SQLException e) {
            return "?";
        }
    }

    @Test
    void aNumericNanFailsAsTheTypedReadFailsSayingHowToCastIt() throws Exception {
        for (boolean binary : new boolean[] {false, true}) {
            try (Connection c = connect(binary);
                 PreparedStatement ps = c.prepareStatement("SELECT id, n FROM v WHERE id = 9");
                 ResultSet rs = ps.executeQuery()) {
                List<Column> columns = JdbcColumns.columnsOf(rs.getMetaData());
                DirectCsvRecords.Rows direct = new DirectCsvRecords(new CsvRecords(columns)).of(rs);
                assertTrue(rs.next());
                SQLException e = assertThrows(SQLException.class, direct::encode);
                assertEquals(JdbcColumns.NUMERIC_OUT_OF_RANGE, e.getSQLState(), e.getMessage());
                assertTrue(e.getMessage().contains("n::text"), e.getMessage());
            }
        }
    }

    @Test
    void aResultNotFromPgjdbcIsWrittenTheTypedWay() throws Exception {
        try (Connection c = connect(false);
             PreparedStatement ps = c.prepareStatement("SELECT id, t, d FROM v WHERE id = 7");
             ResultSet rs = ps.executeQuery()) {
            ResultSet foreign = (ResultSet) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ResultSet.class}, (proxy, method, args) -> {
                        if (method.getName().equals("getMetaData")) {
                            java.sql.ResultSetMetaData meta = rs.getMetaData();
                            return java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                                    new Class<?>[] {java.sql.ResultSetMetaData.class}, (p, m, a) ->
                                            m.getName().equals("isWrapperFor") ? Boolean.FALSE : m.invoke(meta, a));
                        }
                        return method.invoke(rs, args);
                    });
            List<Column> columns = JdbcColumns.columnsOf(rs.getMetaData());
            DirectCsvRecords.Rows direct = new DirectCsvRecords(new CsvRecords(columns)).of(foreign);
            assertEquals(List.of(DirectCsvRecords.Path.TYPED, DirectCsvRecords.Path.TYPED, DirectCsvRecords.Path.TYPED),
                    direct.paths());
            assertTrue(foreign.next());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(direct.bytes(), 0, direct.encode());
            assertEquals("7,\"\t\",1850-03-02\r\n", out.toString(StandardCharsets.UTF_8));
        }
    }
}
