package dev.firmquery.export;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;

/**
 * Renders values as text the way PostgreSQL's text output does (with {@code DateStyle=ISO}), so a
 * CSV export matches {@code psql \copy} output of the same query value for value, with two
 * deliberate differences: booleans are {@code true}/{@code false} (psql writes {@code t}/{@code f},
 * which spreadsheets do not read as booleans) and records end in CRLF (RFC 4180). Appends into a caller-owned
 * {@link StringBuilder} so that hot loops allocate nothing for the common kinds.
 *
 * <ul>
 *   <li>dates: {@code 2024-03-01}; years after 9999 with all digits ({@code 12345-01-01}); years
 *       before 1 AD as {@code 0044-03-15 BC}</li>
 *   <li>timestamps: {@code 2024-03-01 13:45:00}, fraction only if non-zero, trailing zeros
 *       trimmed ({@code 13:45:00.5})</li>
 *   <li>timestamps with time zone: as timestamps plus the value's own offset, {@code +00},
 *       {@code +05:30}, {@code -03:00:15} (PostgreSQL prints the session time zone; pgjdbc hands
 *       out UTC values, so exports show {@code +00})</li>
 *   <li>{@code infinity} / {@code -infinity}: the MAX/MIN values that pgjdbc maps PostgreSQL's
 *       infinite dates and timestamps to ({@link LocalDate#MAX}, {@link LocalDateTime#MAX},
 *       {@link OffsetDateTime#MAX} and the MINs)</li>
 *   <li>double: the shortest text that reads back as the same double; plain notation for
 *       magnitudes in [1e-4, 1e15), otherwise {@code 1.5e-07} / {@code 1e+15} like PostgreSQL;
 *       {@code NaN}, {@code Infinity}, {@code -Infinity}</li>
 *   <li>numeric: {@link BigDecimal#toPlainString()} (keeps the scale, like PostgreSQL)</li>
 * </ul>
 */
final class PgText {

    private PgText() {
    }

    static boolean isInfinite(LocalDate d) {
        return d.equals(LocalDate.MAX) || d.equals(LocalDate.MIN);
    }

    static boolean isInfinite(LocalDateTime t) {
        return t.equals(LocalDateTime.MAX) || t.equals(LocalDateTime.MIN);
    }

    static boolean isInfinite(OffsetDateTime t) {
        return t.equals(OffsetDateTime.MAX) || t.equals(OffsetDateTime.MIN);
    }

    static StringBuilder appendDate(StringBuilder sb, LocalDate d) {
        if (d.equals(LocalDate.MAX)) {
            return sb.append("infinity");
        }
        if (d.equals(LocalDate.MIN)) {
            return sb.append("-infinity");
        }
        appendYmd(sb, d.getYear(), d.getMonthValue(), d.getDayOfMonth());
        if (d.getYear() <= 0) {
            sb.append(" BC");
        }
        return sb;
    }

    static StringBuilder appendTimestamp(StringBuilder sb, LocalDateTime t) {
        if (t.equals(LocalDateTime.MAX)) {
            return sb.append("infinity");
        }
        if (t.equals(LocalDateTime.MIN)) {
            return sb.append("-infinity");
        }
        appendYmd(sb, t.getYear(), t.getMonthValue(), t.getDayOfMonth());
        sb.append(' ');
        appendTime(sb, t.toLocalTime());
        if (t.getYear() <= 0) {
            sb.append(" BC");
        }
        return sb;
    }

    static StringBuilder appendTimestampTz(StringBuilder sb, OffsetDateTime t) {
        if (t.equals(OffsetDateTime.MAX)) {
            return sb.append("infinity");
        }
        if (t.equals(OffsetDateTime.MIN)) {
            return sb.append("-infinity");
        }
        appendYmd(sb, t.getYear(), t.getMonthValue(), t.getDayOfMonth());
        sb.append(' ');
        appendTime(sb, t.toLocalTime());
        int offset = t.getOffset().getTotalSeconds();
        sb.append(offset < 0 ? '-' : '+');
        offset = Math.abs(offset);
        append2(sb, offset / 3600);
        int minutes = offset / 60 % 60;
        int seconds = offset % 60;
        if (minutes != 0 || seconds != 0) {
            sb.append(':');
            append2(sb, minutes);
            if (seconds != 0) {
                sb.append(':');
                append2(sb, seconds);
            }
        }
        if (t.getYear() <= 0) {
            sb.append(" BC");
        }
        return sb;
    }

    static StringBuilder appendDouble(StringBuilder sb, double d) {
        if (Double.isNaN(d)) {
            return sb.append("NaN");
        }
        if (Double.isInfinite(d)) {
            return sb.append(d > 0 ? "Infinity" : "-Infinity");
        }
        if (d == 0) {
            return sb.append(1 / d < 0 ? "-0" : "0");
        }
        double abs = Math.abs(d);
        if (abs >= 1e-3 && abs < 1e7) {
            // Double.toString is already plain in this range; only "x.0" needs trimming.
            String s = Double.toString(d);
            return s.endsWith(".0") ? sb.append(s, 0, s.length() - 2) : sb.append(s);
        }
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        if (abs >= 1e-4 && abs < 1e15) {
            return sb.append(exact.toPlainString());
        }
        String digits = exact.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - exact.scale();
        if (d < 0) {
            sb.append('-');
        }
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        sb.append('e').append(exponent < 0 ? '-' : '+');
        int absExponent = Math.abs(exponent);
        if (absExponent < 10) {
            sb.append('0');
        }
        return sb.append(absExponent);
    }

    static String date(LocalDate d) {
        return appendDate(new StringBuilder(16), d).toString();
    }

    static String timestamp(LocalDateTime t) {
        return appendTimestamp(new StringBuilder(32), t).toString();
    }

    static String timestampTz(OffsetDateTime t) {
        return appendTimestampTz(new StringBuilder(40), t).toString();
    }

    static String doubleText(double d) {
        return appendDouble(new StringBuilder(24), d).toString();
    }

    private static void appendYmd(StringBuilder sb, int year, int month, int day) {
        // Proleptic ISO year 0 is 1 BC, year -1 is 2 BC, and so on.
        int shown = year <= 0 ? 1 - year : year;
        if (shown < 1000) {
            sb.append(shown < 10 ? "000" : shown < 100 ? "00" : "0");
        }
        sb.append(shown).append('-');
        append2(sb, month);
        sb.append('-');
        append2(sb, day);
    }

    private static void appendTime(StringBuilder sb, LocalTime time) {
        append2(sb, time.getHour());
        sb.append(':');
        append2(sb, time.getMinute());
        sb.append(':');
        append2(sb, time.getSecond());
        int nanos = time.getNano();
        if (nanos != 0) {
            sb.append('.');
            int digits = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                digits--;
            }
            for (int scale = pow10(digits - 1); scale > nanos; scale /= 10) {
                sb.append('0');
            }
            sb.append(nanos);
        }
    }

    private static int pow10(int n) {
        int p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }

    private static void append2(StringBuilder sb, int value) {
        if (value < 10) {
            sb.append('0');
        }
        sb.append(value);
    }
}
