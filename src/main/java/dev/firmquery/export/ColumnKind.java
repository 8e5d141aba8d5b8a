package dev.firmquery.export;

/**
 * The value kinds a result column is carried as, from the JDBC ResultSet through the spool to the
 * writers. Each kind has exactly one Java representation:
 * <ul>
 *   <li>{@link #INTEGER}: {@link Long} (smallint, integer, bigint)</li>
 *   <li>{@link #DECIMAL}: {@link java.math.BigDecimal} (numeric/decimal)</li>
 *   <li>{@link #FLOAT}: {@link Double} (real, double precision)</li>
 *   <li>{@link #BOOLEAN}: {@link Boolean}</li>
 *   <li>{@link #DATE}: {@link java.time.LocalDate}</li>
 *   <li>{@link #TIMESTAMP}: {@link java.time.LocalDateTime} (timestamp without time zone)</li>
 *   <li>{@link #TIMESTAMPTZ}: {@link java.time.OffsetDateTime} (timestamp with time zone)</li>
 *   <li>{@link #TEXT}: {@link String} (everything else, as the driver renders it)</li>
 * </ul>
 * SQL NULL is {@code null} in every kind.
 */
public enum ColumnKind {
    INTEGER, DECIMAL, FLOAT, BOOLEAN, DATE, TIMESTAMP, TIMESTAMPTZ, TEXT
}
