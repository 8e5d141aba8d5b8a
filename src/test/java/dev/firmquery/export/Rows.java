package dev.firmquery.export;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test fixtures: columns of every kind and seeded random values for them (export and run store specs). */
public final class Rows {

    private Rows() {
    }

    public static Column column(String label, ColumnKind kind) {
        return new Column(label, typeName(kind), kind);
    }

    /** One column per kind, labelled after the kind. */
    public static List<Column> allKinds() {
        List<Column> columns = new ArrayList<>();
        for (ColumnKind kind : ColumnKind.values()) {
            columns.add(column(kind.name().toLowerCase(java.util.Locale.ROOT), kind));
        }
        return List.copyOf(columns);
    }

    public static Object[] row(Object... values) {
        return values;
    }

    public static String typeName(ColumnKind kind) {
        return switch (kind) {
            case INTEGER -> "int8";
            case DECIMAL -> "numeric";
            case FLOAT -> "float8";
            case BOOLEAN -> "bool";
            case DATE -> "date";
            case TIMESTAMP -> "timestamp";
            case TIMESTAMPTZ -> "timestamptz";
            case TEXT -> "text";
        };
    }

    /** Seeded random values of every kind, including nulls and awkward edge values. */
    public static final class RandomValues {
        private final Random random;
        private final double nullRate;

        public RandomValues(long seed, double nullRate) {
            this.random = new Random(seed);
            this.nullRate = nullRate;
        }

        public Object[] row(List<Column> columns) {
            Object[] row = new Object[columns.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = random.nextDouble() < nullRate ? null : value(columns.get(i).kind());
            }
            return row;
        }

        public Object value(ColumnKind kind) {
            int pick = random.nextInt(10);
            return switch (kind) {
                case INTEGER -> switch (pick) {
                    case 0 -> Long.MIN_VALUE;
                    case 1 -> Long.MAX_VALUE;
                    case 2 -> 0L;
                    case 3 -> -1L;
                    default -> random.nextLong() >> random.nextInt(64);
                };
                case DECIMAL -> switch (pick) {
                    case 0 -> new BigDecimal(new BigInteger(200, random), random.nextInt(40) - 10);
                    case 1 -> new BigDecimal(new BigInteger(80, random).negate(), 5);
                    case 2 -> new BigDecimal("0.000");
                    default -> BigDecimal.valueOf(random.nextLong() >> random.nextInt(64),
                            random.nextInt(12));
                };
                case FLOAT -> switch (pick) {
                    case 0 -> Double.NaN;
                    case 1 -> Double.NEGATIVE_INFINITY;
                    case 2 -> -0.0;
                    case 3 -> Double.MIN_VALUE;
                    default -> Double.longBitsToDouble(random.nextLong());
                };
                case BOOLEAN -> random.nextBoolean();
                case DATE -> switch (pick) {
                    case 0 -> LocalDate.MAX;
                    case 1 -> LocalDate.MIN;
                    default -> LocalDate.ofEpochDay(random.nextInt(2_000_000) - 1_000_000);
                };
                case TIMESTAMP -> switch (pick) {
                    case 0 -> LocalDateTime.MAX;
                    case 1 -> LocalDateTime.MIN;
                    default -> LocalDateTime.ofEpochSecond(
                            random.nextLong() % 100_000_000_000L, random.nextInt(1_000_000_000),
                            ZoneOffset.UTC);
                };
                case TIMESTAMPTZ -> switch (pick) {
                    case 0 -> OffsetDateTime.MAX;
                    case 1 -> OffsetDateTime.MIN;
                    default -> OffsetDateTime.of(LocalDateTime.ofEpochSecond(
                                    random.nextLong() % 100_000_000_000L,
                                    random.nextInt(1_000) * 1_000, ZoneOffset.UTC),
                            ZoneOffset.ofTotalSeconds((random.nextInt(36 * 4) - 18 * 4) * 900));
                };
                case TEXT -> switch (pick) {
                    case 0 -> "";
                    case 1 -> text(100 + random.nextInt(400));
                    default -> text(random.nextInt(40));
                };
            };
        }

        /** Text mixing ASCII, CSV specials, accents, CJK and supplementary characters. */
        public String text(int length) {
            String[] pieces = {"a", "Z", "7", " ", ",", "\"", "\r\n", "\n", ";", "é", "ß", "中",
                "😀", "\t", "'", "\u2028"};
            StringBuilder sb = new StringBuilder(length + 2);
            while (sb.length() < length) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            return sb.toString();
        }
    }
}
