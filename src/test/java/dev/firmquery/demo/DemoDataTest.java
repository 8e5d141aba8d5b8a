package dev.firmquery.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.firmquery.demo.DemoData.Firm;
import dev.firmquery.demo.DemoData.Identifier;
import dev.firmquery.testing.TestPostgres;
import dev.firmquery.testing.TestPostgres.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("DemoData")
class DemoDataTest {
    static final int FIRMS = 20_000;
    static final long SEED = 42;

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<Firm> generatedFirms(int firms, long seed) {
        return IntStream.range(0, firms).mapToObj(i -> DemoData.firm(i, seed)).toList();
    }

    @Nested
    @DisplayName("firm IDs")
    class FirmIds {
        @Test
        void start_at_100000_and_step_by_7_so_the_numbers_in_between_are_absent() {
            assertEquals(100_000L, DemoData.firmId(0));
            assertEquals(100_007L, DemoData.firmId(1));
            assertEquals(OptionalInt.of(1), DemoData.indexOf(100_007L, 10));
            assertFalse(DemoData.exists(100_008L, 10));
        }

        @Test
        void beyond_the_last_firm_do_not_exist() {
            assertTrue(DemoData.exists(DemoData.firmId(9), 10));
            assertFalse(DemoData.exists(DemoData.firmId(10), 10));
            assertFalse(DemoData.exists(99_993L, 10));
        }
    }

    @Nested
    @DisplayName("the generator")
    class Generator {
        private final List<Firm> firms = generatedFirms(FIRMS, SEED);

        @Test
        void gives_the_same_firm_for_the_same_index_and_seed_and_another_for_another_seed() {
            assertEquals(DemoData.firm(123, SEED), DemoData.firm(123, SEED));
            assertEquals(DemoData.identifiers(123, SEED), DemoData.identifiers(123, SEED));
            assertNotEquals(DemoData.firm(123, SEED), DemoData.firm(123, SEED + 1));
        }

        @Test
        void leaves_about_ten_percent_of_the_optional_columns_null() {
            assertFraction(0.08, 0.12, firms, f -> f.foundedOn() == null);
            assertFraction(0.08, 0.12, firms, f -> f.employees() == null);
            assertFraction(0.08, 0.12, firms, f -> f.revenueMusd() == null);
        }

        @Test
        void writes_names_that_need_csv_quoting_and_non_ascii_characters() {
            assertFraction(0.03, 0.12, firms, f -> f.firmName().contains(","));
            assertFraction(0.02, 0.10, firms, f -> f.firmName().contains("\""));
            assertFraction(0.01, 0.08, firms, f -> f.firmName().chars().anyMatch(ch -> ch > 127));
            assertTrue(firms.stream().anyMatch(f -> f.firmName().codePoints().anyMatch(Character::isSupplementaryCodePoint)),
                    "some name should need a surrogate pair");
        }

        @Test
        void gives_about_five_percent_of_firms_no_identifier_and_the_others_one_to_four_with_distinct_schemes() {
            List<List<Identifier>> all = IntStream.range(0, FIRMS).mapToObj(i -> DemoData.identifiers(i, SEED)).toList();

            assertFraction(0.04, 0.06, all, List::isEmpty);
            for (List<Identifier> ids : all) {
                assertTrue(ids.size() <= 4, ids.toString());
                assertEquals(ids.size(), ids.stream().map(Identifier::idScheme).distinct().count(), ids.toString());
            }
        }

        @Test
        void makes_identifiers_with_valid_check_digits() {
            for (int i = 0; i < 2_000; i++) {
                for (Identifier id : DemoData.identifiers(i, SEED)) {
                    switch (id.idScheme()) {
                        case "LEI" -> assertTrue(id.idValue().matches("[0-9A-Z]{18}[0-9]{2}") && mod97(id.idValue()) == 1, id.idValue());
                        case "ISIN" -> assertTrue(id.idValue().matches("[A-Z]{2}[0-9A-Z]{9}[0-9]") && luhn(id.idValue()), id.idValue());
                        case "DUNS" -> assertTrue(id.idValue().matches("[1-9][0-9]{8}"), id.idValue());
                        case "CIK" -> assertTrue(id.idValue().matches("[0-9]{10}"), id.idValue());
                        default -> throw new AssertionError("unknown scheme " + id.idScheme());
                    }
                }
            }
        }
    }

    @Nested
    @DisplayName("a loaded database")
    class Loaded {
        private final TestDatabase db = TestPostgres.demoDatabase(FIRMS, SEED);

        @Test
        void holds_exactly_the_generated_firms_column_by_column() throws Exception {
            List<Firm> expected = generatedFirms(FIRMS, SEED);
            List<Firm> actual = new ArrayList<>(FIRMS);
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT * FROM firm ORDER BY firm_root_id")) {
                while (rs.next()) {
                    Integer employees = (Integer) rs.getObject("employees");
                    actual.add(new Firm(rs.getLong("firm_root_id"), rs.getString("firm_name"), rs.getString("country_code"),
                            rs.getObject("founded_on", LocalDate.class), rs.getBoolean("is_active"), employees,
                            rs.getBigDecimal("revenue_musd"), rs.getObject("updated_at", OffsetDateTime.class).toInstant()));
                }
            }
            assertEquals(expected.size(), actual.size());
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i), actual.get(i), "firm index " + i);
            }
        }

        @Test
        void holds_exactly_the_generated_identifiers() throws Exception {
            Set<Identifier> expected = new HashSet<>();
            IntStream.range(0, FIRMS).forEach(i -> expected.addAll(DemoData.identifiers(i, SEED)));
            Set<Identifier> actual = new HashSet<>();
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT * FROM firm_identifier")) {
                while (rs.next()) {
                    actual.add(new Identifier(rs.getLong("firm_root_id"), rs.getString("id_scheme"),
                            rs.getString("id_value"), rs.getObject("valid_from", LocalDate.class)));
                }
            }
            assertEquals(expected, actual);
        }

        @Test
        void leaves_about_five_percent_of_firms_missing_from_a_join_with_their_identifiers() throws Exception {
            long expected = IntStream.range(0, FIRMS).filter(i -> DemoData.identifiers(i, SEED).isEmpty()).count();
            try (Connection c = db.connect()) {
                long missing = count(c, "SELECT count(*) FROM firm f"
                        + " WHERE NOT EXISTS (SELECT 1 FROM firm_identifier i WHERE i.firm_root_id = f.firm_root_id)");
                assertEquals(expected, missing);
                assertTrue(missing > FIRMS * 0.04 && missing < FIRMS * 0.06, "missing " + missing);
            }
        }

        @Test
        void has_the_primary_keys_the_foreign_key_and_fresh_statistics() throws Exception {
            try (Connection c = db.connect()) {
                assertEquals(3, count(c, "SELECT count(*) FROM pg_constraint"
                        + " WHERE conrelid IN ('firm'::regclass, 'firm_identifier'::regclass)"));
                assertEquals(FIRMS, count(c, "SELECT reltuples::bigint FROM pg_class WHERE relname = 'firm'"));
            }
        }

        @Test
        void stores_rows_in_an_order_other_than_the_id_order() throws Exception {
            List<Long> physical = new ArrayList<>();
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT firm_root_id FROM firm ORDER BY ctid LIMIT 100")) {
                while (rs.next()) {
                    physical.add(rs.getLong(1));
                }
            }
            assertNotEquals(physical.stream().sorted().toList(), physical);
        }

        @Test
        void rejects_a_second_load_into_the_same_database_and_leaves_it_intact() throws Exception {
            try (Connection c = db.connect()) {
                SQLException e = assertThrows(SQLException.class, () -> DemoData.create(c, 10, SEED));
                assertEquals("42P07", e.getSQLState());
                assertTrue(e.getMessage().contains("fresh database"), e.getMessage());
                assertTrue(c.getAutoCommit(), "auto-commit restored");
                assertEquals(FIRMS, count(c, "SELECT count(*) FROM firm"));
            }
        }
    }

    @Nested
    @DisplayName("loading twice")
    class Determinism {
        private static final String CHECKSUM = "SELECT md5(string_agg(f::text, '|' ORDER BY firm_root_id))"
                + " || md5(coalesce((SELECT string_agg(i::text, '|' ORDER BY firm_root_id, id_scheme, id_value)"
                + " FROM firm_identifier i), '')) FROM firm f";

        private String load(int firms, long seed) throws SQLException {
            TestDatabase db = TestPostgres.freshDatabase("determinism");
            try (Connection c = db.connect()) {
                DemoData.Summary summary = DemoData.create(c, firms, seed);
                assertEquals(firms, summary.firms());
                assertEquals(summary.identifiers(), count(c, "SELECT count(*) FROM firm_identifier"));
                return text(c, CHECKSUM);
            }
        }

        @Test
        void with_the_same_seed_gives_identical_tables() throws Exception {
            assertEquals(load(3_000, 7), load(3_000, 7));
        }

        @Test
        void with_another_seed_gives_different_tables() throws Exception {
            assertNotEquals(load(3_000, 7), load(3_000, 8));
        }

    }

    @Nested
    @DisplayName("COPY streaming")
    class CopyStreaming {
        @Test
        void round_trips_backslashes_tabs_line_breaks_and_non_ascii_text() throws Exception {
            // CopyBuffer's escaping, checked directly: the generator itself never produces these.
            TestDatabase db = TestPostgres.freshDatabase("copy_escapes");
            String nasty = "a\\b\tc\nd\re \"f\", Grüße 🚀";
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (v text)");
                CopyBuffer out = new CopyBuffer(c.unwrap(org.postgresql.PGConnection.class).getCopyAPI()
                        .copyIn("COPY t FROM STDIN"));
                out.text(nasty).endRow().nul().endRow();
                assertEquals(2, out.finish());
                try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM t WHERE v = ?")) {
                    p.setString(1, nasty);
                    try (ResultSet rs = p.executeQuery()) {
                        rs.next();
                        assertEquals(1, rs.getInt(1));
                    }
                }
                assertEquals(1, count(c, "SELECT count(*) FROM t WHERE v IS NULL"));
            }
        }
    }

    private static <T> void assertFraction(double min, double max, List<T> items, Predicate<T> predicate) {
        double fraction = items.stream().filter(predicate).count() / (double) items.size();
        assertTrue(fraction >= min && fraction <= max, "fraction " + fraction + " not in [" + min + ", " + max + "]");
    }

    private static int mod97(String lei) {
        int remainder = 0;
        for (char ch : lei.toCharArray()) {
            remainder = ch <= '9' ? (remainder * 10 + ch - '0') % 97 : (remainder * 100 + ch - 'A' + 10) % 97;
        }
        return remainder;
    }

    private static boolean luhn(String isin) {
        StringBuilder digits = new StringBuilder();
        for (char ch : isin.toCharArray()) {
            digits.append(ch <= '9' ? String.valueOf(ch - '0') : String.valueOf(ch - 'A' + 10));
        }
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }
}
