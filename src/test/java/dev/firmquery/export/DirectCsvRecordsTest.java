package dev.firmquery.export;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.sql.Types;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The decisions {@link DirectCsvRecords} makes before it writes a cell as the server sent it: which
 * path a column takes, and which texts are in the plain form that path may copy (anything else is
 * written the typed way).
 */
class DirectCsvRecordsTest {

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
        // kind,      type name,   format, path
        "TEXT,        text,        text,   TEXT",
        "TEXT,        bytea,       text,   TYPED",
        "TEXT,        uuid,        binary, TYPED",
        "INTEGER,     int8,        text,   INTEGER",
        "INTEGER,     int4,        binary, INTEGER_BINARY",
        "INTEGER,     int2,        binary, INTEGER_BINARY",
        "INTEGER,     oid,         binary, TYPED",
        "DECIMAL,     numeric,     text,   DECIMAL",
        "DECIMAL,     numeric,     binary, DECIMAL_BINARY",
        "FLOAT,       float8,      text,   TYPED",
        "FLOAT,       float4,      binary, TYPED",
        "BOOLEAN,     bool,        text,   BOOLEAN",
        "BOOLEAN,     bool,        binary, TYPED",
        "DATE,        date,        text,   DATE",
        "DATE,        date,        binary, DATE_BINARY",
        "TIMESTAMP,   timestamp,   text,   TIMESTAMP",
        "TIMESTAMP,   timestamp,   binary, TIMESTAMP_BINARY",
        "TIMESTAMPTZ, timestamptz, text,   TYPED",
        "TIMESTAMPTZ, timestamptz, binary, TIMESTAMPTZ_BINARY",
    })
    void theColumnsPathFollowsItsKindTypeAndFormat(ColumnKind kind, String type, String format, DirectCsvRecords.Path path) {
        int jdbcType = type.equals("bytea") ? Types.BINARY : Types.OTHER;
        assertEquals(path, DirectCsvRecords.pathOf(new Column("c", type, kind), format.equals("text"), jdbcType));
    }

    @ParameterizedTest(name = "decimal \"{0}\" plain: {1}")
    @CsvSource({"0, true", "-0.50, true", "12345678901234567890.123456789, true", "NaN, false", "Infinity, false",
            "-Infinity, false", "'', false", "-, false", "1., false", ".5, false", "1e5, false", "1.2.3, false"})
    void aDecimalIsCopiedOnlyInPlainNotation(String text, boolean plain) {
        assertEquals(plain, DirectCsvRecords.isPlainDecimal(bytes(text)));
    }

    @ParameterizedTest(name = "date \"{0}\" plain: {1}")
    @CsvSource({"2024-03-01, true", "0999-12-31, true", "12345-06-07, true", "4713-01-01 BC, false",
            "infinity, false", "-infinity, false", "999-01-01, false", "0000-01-01, false", "2024-3-01, false", "'', false"})
    void aDateIsCopiedOnlyAsAnAdYearOfFourOrMoreDigits(String text, boolean plain) {
        byte[] v = bytes(text);
        assertEquals(plain, DirectCsvRecords.dateEnd(v) == v.length);
    }

    @ParameterizedTest(name = "timestamp \"{0}\" plain: {1}")
    @CsvSource({"2024-03-01 13:45:00, true", "2024-03-01 13:45:00.5, true", "2024-03-01 13:45:00.123456, true",
            "2024-03-01 13:45:00.50, false", "2024-03-01 13:45:00.1234567, false", "2024-03-01 13:45:00., false",
            "4713-01-01 00:00:00 BC, false", "infinity, false", "2024-03-01T13:45:00, false", "2024-03-01 13:45, false"})
    void aTimestampIsCopiedOnlyInPostgresqlsTrimmedIsoForm(String text, boolean plain) {
        assertEquals(plain, DirectCsvRecords.isPlainTimestamp(bytes(text)));
    }

    @ParameterizedTest(name = "integer \"{0}\" plain: {1}")
    @CsvSource({"0, true", "-9223372036854775808, true", "'', false", "-, false", "1.0, false"})
    void anIntegerIsCopiedOnlyAsDigits(String text, boolean plain) {
        assertEquals(plain, DirectCsvRecords.isInteger(bytes(text)));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
