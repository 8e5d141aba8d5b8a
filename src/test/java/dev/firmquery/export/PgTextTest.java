package dev.firmquery.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PgTextTest {

    @Test
    void datesAreIsoWithFourDigitYearsAndBcSuffix() {
        assertEquals("2024-02-29", PgText.date(LocalDate.of(2024, 2, 29)));
        assertEquals("0099-01-05", PgText.date(LocalDate.of(99, 1, 5)));
        assertEquals("12345-06-07", PgText.date(LocalDate.of(12345, 6, 7)));
        assertEquals("0001-01-01 BC", PgText.date(LocalDate.of(0, 1, 1)));
        assertEquals("0044-03-15 BC", PgText.date(LocalDate.of(-43, 3, 15)));
    }

    @Test
    void timestampsUseASpaceAndTrimTheFraction() {
        assertEquals("2024-03-01 13:45:00", PgText.timestamp(LocalDateTime.of(2024, 3, 1, 13, 45)));
        assertEquals("2024-03-01 13:45:00.5",
                PgText.timestamp(LocalDateTime.of(2024, 3, 1, 13, 45, 0, 500_000_000)));
        assertEquals("2024-03-01 13:45:00.000001",
                PgText.timestamp(LocalDateTime.of(2024, 3, 1, 13, 45, 0, 1_000)));
        assertEquals("2024-03-01 13:45:00.000000123",
                PgText.timestamp(LocalDateTime.of(2024, 3, 1, 13, 45, 0, 123)));
    }

    @Test
    void timestampsWithTimeZoneShowTheShortestOffset() {
        LocalDateTime t = LocalDateTime.of(2024, 3, 1, 13, 45);
        assertEquals("2024-03-01 13:45:00+00", PgText.timestampTz(t.atOffset(ZoneOffset.UTC)));
        assertEquals("2024-03-01 13:45:00+05:30",
                PgText.timestampTz(t.atOffset(ZoneOffset.ofHoursMinutes(5, 30))));
        assertEquals("2024-03-01 13:45:00-03:00:15",
                PgText.timestampTz(t.atOffset(ZoneOffset.ofHoursMinutesSeconds(-3, 0, -15))));
        assertEquals("0001-03-01 13:45:00+00 BC",
                PgText.timestampTz(t.withYear(0).atOffset(ZoneOffset.UTC)));
    }

    @Test
    void infiniteValuesFromPgjdbcPrintAsInfinity() {
        assertEquals("infinity", PgText.date(LocalDate.MAX));
        assertEquals("-infinity", PgText.date(LocalDate.MIN));
        assertEquals("infinity", PgText.timestamp(LocalDateTime.MAX));
        assertEquals("-infinity", PgText.timestamp(LocalDateTime.MIN));
        assertEquals("infinity", PgText.timestampTz(OffsetDateTime.MAX));
        assertEquals("-infinity", PgText.timestampTz(OffsetDateTime.MIN));
    }

    @Test
    void doublesArePlainInTheMiddleRangeAndScientificOutsideLikePostgresql() {
        assertEquals("0.1", PgText.doubleText(0.1));
        assertEquals("3", PgText.doubleText(3.0));
        assertEquals("-0", PgText.doubleText(-0.0));
        assertEquals("123456789012345", PgText.doubleText(123456789012345.0));
        assertEquals("1e+15", PgText.doubleText(1e15));
        assertEquals("0.0001", PgText.doubleText(1e-4));
        assertEquals("1.5e-07", PgText.doubleText(1.5e-7));
        assertEquals("-1.7976931348623157e+308", PgText.doubleText(-Double.MAX_VALUE));
        assertEquals("NaN", PgText.doubleText(Double.NaN));
        assertEquals("Infinity", PgText.doubleText(Double.POSITIVE_INFINITY));
        assertEquals("-Infinity", PgText.doubleText(Double.NEGATIVE_INFINITY));
    }

    @Test
    void doubleTextReadsBackAsTheSameDouble() {
        Random random = new Random(8_259);
        for (int i = 0; i < 10_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(d)) {
                assertEquals(d, Double.parseDouble(PgText.doubleText(d)), "bits of " + d);
            }
        }
    }

    @Test
    void doublesInTheCommonRangeMatchTheirExactPlainDecimal() {
        Random random = new Random(4_180);
        for (int i = 0; i < 10_000; i++) {
            double d = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(12) - 3);
            if (Math.abs(d) < 1e-4) {
                continue;
            }
            String expected = new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros()
                            .toPlainString();
            assertEquals(expected, PgText.doubleText(d), "for " + d);
        }
    }
}
