package dev.firmquery.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class JdbcColumnsTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "SMALLINT, int2, INTEGER",
        "INTEGER, int4, INTEGER",
        "BIGINT, int8, INTEGER",
        "NUMERIC, numeric, DECIMAL",
        "DECIMAL, decimal, DECIMAL",
        "REAL, float4, FLOAT",
        "DOUBLE, float8, FLOAT",
        "FLOAT, float, FLOAT",
        "DOUBLE, money, TEXT",
        "BIT, bool, BOOLEAN",
        "BIT, bit, TEXT",
        "BOOLEAN, boolean, BOOLEAN",
        "DATE, date, DATE",
        "TIMESTAMP, timestamp, TIMESTAMP",
        "TIMESTAMP, timestamptz, TIMESTAMPTZ",
        "TIMESTAMP_WITH_TIMEZONE, timestamptz, TIMESTAMPTZ",
        "TIME, time, TEXT",
        "OTHER, uuid, TEXT",
        "OTHER, jsonb, TEXT",
        "ARRAY, _int4, TEXT",
        "VARCHAR, varchar, TEXT",
    })
    void mapsJdbcTypesToKinds(String jdbcType, String typeName, ColumnKind expected)
            throws ReflectiveOperationException {
        int type = Types.class.getField(jdbcType).getInt(null);
        assertEquals(expected, JdbcColumns.kindOf(type, typeName));
    }

    @Test
    void describesColumnsByLabelTypeNameAndKind() throws SQLException {
        ResultSetMetaData metaData = mock(ResultSetMetaData.class);
        when(metaData.getColumnCount()).thenReturn(2);
        when(metaData.getColumnLabel(1)).thenReturn("firm_root_id");
        when(metaData.getColumnTypeName(1)).thenReturn("int8");
        when(metaData.getColumnType(1)).thenReturn(Types.BIGINT);
        when(metaData.getColumnLabel(2)).thenReturn("loaded_at");
        when(metaData.getColumnTypeName(2)).thenReturn("timestamptz");
        when(metaData.getColumnType(2)).thenReturn(Types.TIMESTAMP);

        assertEquals(List.of(new Column("firm_root_id", "int8", ColumnKind.INTEGER),
                        new Column("loaded_at", "timestamptz", ColumnKind.TIMESTAMPTZ)),
                JdbcColumns.columnsOf(metaData));
    }

    @Test
    void readsIntegersAndTellsZeroFromNull() throws SQLException {
        ResultSet rs = mock(ResultSet.class);
        when(rs.getLong(1)).thenReturn(0L);
        when(rs.wasNull()).thenReturn(false, true);

        assertEquals(0L, JdbcColumns.read(rs, 1, ColumnKind.INTEGER));
        assertNull(JdbcColumns.read(rs, 1, ColumnKind.INTEGER));
    }

    @Test
    void readsFloatsAndBooleansAndTellsDefaultsFromNull() throws SQLException {
        ResultSet rs = mock(ResultSet.class);
        when(rs.getDouble(1)).thenReturn(0.0);
        when(rs.getBoolean(2)).thenReturn(false);
        when(rs.wasNull()).thenReturn(true, false);

        assertNull(JdbcColumns.read(rs, 1, ColumnKind.FLOAT));
        assertEquals(Boolean.FALSE, JdbcColumns.read(rs, 2, ColumnKind.BOOLEAN));
    }

    @Test
    void readsTemporalValuesAsJavaTimeTypesIncludingInfinity() throws SQLException {
        ResultSet rs = mock(ResultSet.class);
        when(rs.getObject(1, LocalDate.class)).thenReturn(LocalDate.MAX);
        when(rs.getObject(2, LocalDateTime.class)).thenReturn(LocalDateTime.of(2024, 1, 2, 3, 4));
        OffsetDateTime utc = OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);
        when(rs.getObject(3, OffsetDateTime.class)).thenReturn(utc);

        assertSame(LocalDate.MAX, JdbcColumns.read(rs, 1, ColumnKind.DATE));
        assertEquals(LocalDateTime.of(2024, 1, 2, 3, 4),
                JdbcColumns.read(rs, 2, ColumnKind.TIMESTAMP));
        assertEquals(utc, JdbcColumns.read(rs, 3, ColumnKind.TIMESTAMPTZ));
    }

    @Test
    void readsDecimalsAndTextAsTheDriverGivesThem() throws SQLException {
        ResultSet rs = mock(ResultSet.class);
        when(rs.getBigDecimal(1)).thenReturn(new BigDecimal("1.50"));
        when(rs.getString(2)).thenReturn("{1,2}");

        assertEquals(new BigDecimal("1.50"), JdbcColumns.read(rs, 1, ColumnKind.DECIMAL));
        assertEquals("{1,2}", JdbcColumns.read(rs, 2, ColumnKind.TEXT));
    }

    @Test
    void explainsANumericNanWithSqlState22003AndTheFix() throws SQLException {
        ResultSet rs = mock(ResultSet.class);
        ResultSetMetaData metaData = mock(ResultSetMetaData.class);
        SQLException driverError = new SQLException("Bad value for type BigDecimal : NaN", "22003");
        when(rs.getBigDecimal(1)).thenThrow(driverError);
        when(rs.getString(1)).thenReturn("NaN");
        when(rs.getMetaData()).thenReturn(metaData);
        when(metaData.getColumnLabel(1)).thenReturn("score");

        SQLException e = assertThrows(SQLException.class,
                () -> JdbcColumns.read(rs, 1, ColumnKind.DECIMAL));
        assertEquals("22003", e.getSQLState());
        assertSame(driverError, e.getCause());
        assertTrue(e.getMessage().contains("score::text"), e.getMessage());
    }

    @Test
    void readRowReadsRealValuesAsTheirShortDecimalText() throws SQLException {
        ResultSet rs = mock(ResultSet.class);
        when(rs.getFloat(1)).thenReturn(0.1f);
        when(rs.getLong(2)).thenReturn(7L);
        when(rs.wasNull()).thenReturn(false);
        List<Column> columns = List.of(new Column("r", "float4", ColumnKind.FLOAT),
                new Column("n", "int4", ColumnKind.INTEGER));
        Object[] row = new Object[2];

        JdbcColumns.readRow(rs, columns, row);

        assertArrayEquals(new Object[] {0.1, 7L}, row);
    }
}
