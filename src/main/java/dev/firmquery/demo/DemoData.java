package dev.firmquery.demo;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo schema and its generated data, a pure function of (number of firms, seed):
 * <pre>
 * CREATE TABLE firm (firm_root_id bigint PRIMARY KEY, firm_name text NOT NULL, country_code char(2) NOT NULL,
 *   founded_on date, is_active boolean NOT NULL, employees integer, revenue_musd numeric(14,2),
 *   updated_at timestamptz NOT NULL);
 * CREATE TABLE firm_identifier (firm_root_id bigint NOT NULL REFERENCES firm, id_scheme text NOT NULL,
 *   id_value text NOT NULL, valid_from date NOT NULL, PRIMARY KEY (firm_root_id, id_scheme, id_value));
 * </pre>
 *
 * <p>Firm {@code i} (0-based) has the ID {@link #firmId(int) 100000 + 7i}, whatever the seed, so
 * numbers in between and beyond are valid IDs that do not exist. Its columns and identifiers depend
 * only on (i, seed): tests compute the expected content of any firm with {@link #firm} and
 * {@link #identifiers} without reading the database. Rows are loaded in a seeded shuffled order so
 * that the table's physical order is not the ID order.
 *
 * <p>About 10 % of firms have NULL {@code founded_on}, {@code employees} and {@code revenue_musd}
 * (each independently); names contain commas, double quotes, apostrophes, semicolons and non-ASCII
 * characters (including one outside the BMP) now and then; each firm has 0-4 identifiers with distinct
 * schemes (LEI, ISIN, DUNS, CIK), about 5 % have none - "missing" for a query that joins them.
 */
public final class DemoData {
    private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);

    /** The ID of firm 0. */
    public static final long FIRST_ID = 100_000L;
    /** Distance between consecutive firm IDs. */
    public static final int ID_STEP = 7;
    /** Upper bound on the number of firms, far above anything the demo or the benchmark uses. */
    public static final int MAX_FIRMS = 100_000_000;
    /** Identifier schemes, in the order of {@link #identifiers}' internal shuffle base. */
    public static final List<String> ID_SCHEMES = List.of("LEI", "ISIN", "DUNS", "CIK");

    private static final long STREAM_FIRM = 1;
    private static final long STREAM_IDENTIFIERS = 2;
    static final long STREAM_SAMPLE = 3;
    private static final long STREAM_ORDER = 4;

    private static final long FOUNDED_MIN = LocalDate.of(1850, 1, 1).toEpochDay();
    private static final long FOUNDED_MAX = LocalDate.of(2023, 12, 31).toEpochDay();
    private static final long VALID_FROM_MIN = LocalDate.of(1995, 1, 1).toEpochDay();
    private static final long VALID_FROM_MAX = LocalDate.of(2024, 12, 31).toEpochDay();
    private static final long UPDATED_MIN = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();
    private static final long UPDATED_MAX = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final int MAX_EMPLOYEES = 250_000;
    /** revenue_musd in hundredths: 0.05 .. 200,000.00 million USD. */
    private static final long REVENUE_MIN_CENTS = 5;
    private static final long REVENUE_MAX_CENTS = 20_000_000;

    /** Country codes, weighted by repetition, with the legal-form suffix used in plain names. */
    private static final String[][] COUNTRIES = {
        {"US", "Inc."}, {"US", "Inc."}, {"US", "LLC"}, {"US", "Corp."}, {"US", "Inc."},
        {"GB", "Ltd"}, {"GB", "Ltd"}, {"GB", "PLC"}, {"DE", "GmbH"}, {"DE", "AG"}, {"DE", "GmbH"},
        {"FR", "SA"}, {"FR", "SAS"}, {"NL", "B.V."}, {"CH", "AG"}, {"JP", "K.K."}, {"CA", "Corp."},
        {"SE", "AB"}, {"PL", "S.A."}, {"ES", "S.L."}, {"BR", "Ltda."}, {"IT", "S.p.A."}, {"IE", "Ltd"},
    };
    private static final String[] PREFIXES = {
        "Northwind", "Contoso", "Fabrikam", "Adventure Works", "Blue Yonder", "Wide World", "Tailspin",
        "Litware", "Proseware", "Alpine Ski", "Coho", "Margie's", "Lucerne", "Trey Research", "Humongous",
        "Wingtip", "Fourth Coffee", "Graphic Design", "Southridge", "Woodgrove",
    };
    private static final String[] NOUNS = {
        "Holdings", "Trading", "Logistics", "Capital", "Industries", "Partners", "Systems", "Foods",
        "Energy", "Media", "Insurance", "Shipping",
    };
    /** Names that exercise CSV quoting and encodings; {@code #} is replaced by the firm's number. */
    private static final String[][] EXOTIC = {
        {"DE", "Müller & Söhne #, \"Nord\" GmbH"},
        {"FR", "Société Générale d'Équipement # SA"},
        {"DK", "Øresund Shipping # ApS"},
        {"PL", "Łódź Tekstylia # Sp. z o.o."},
        {"CH", "Zürich Rückversicherung # AG"},
        {"TR", "Çelik Yapı # A.Ş."},
        {"GR", "Ελληνική Ναυτιλία # Α.Ε."},
        {"BG", "Софийска Енергия # ЕООД"},
        {"BR", "São Paulo Alimentos # Ltda."},
        {"ES", "Ñandú Exportaciones #, S.A."},
        {"IE", "O'Brien & Sons # Ltd"},
        {"AT", "Café \"Zum Löwen\" #; Inh. Jürgen Groß"},
        {"JP", "東京精密 # 株式会社"},
        {"US", "Rocket 🚀 Labs # Inc."},
    };
    private static final String[] LEI_PREFIXES = {"5299", "5493", "2138", "9695", "3912"};
    private static final String[] ISIN_COUNTRIES = {"US", "DE", "GB", "FR", "CH", "JP", "NL"};
    private static final char[] ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();

    private DemoData() {
    }

    /** A firm as generated: what {@code SELECT * FROM firm} returns for it. Nullable: the boxed/object fields. */
    public record Firm(long firmRootId, String firmName, String countryCode, LocalDate foundedOn, boolean active,
                       Integer employees, BigDecimal revenueMusd, Instant updatedAt) {
    }

    /** One {@code firm_identifier} row. */
    public record Identifier(long firmRootId, String idScheme, String idValue, LocalDate validFrom) {
    }

    /**
     * What {@link #create} loaded.
     *
     * @param firmsWithoutIdentifiers firms that have no row in {@code firm_identifier}
     */
    public record Summary(int firms, long identifiers, int firmsWithoutIdentifiers, long seed, Duration elapsed) {
    }

    /** The ID of firm {@code index} (0-based): {@code 100000 + 7 * index}. */
    public static long firmId(int index) {
        if (index < 0 || index >= MAX_FIRMS) {
            throw new IllegalArgumentException("firm index " + index + " is outside 0.." + (MAX_FIRMS - 1));
        }
        return FIRST_ID + (long) ID_STEP * index;
    }

    /** The index of the firm with this ID in a table of {@code firms} firms, or empty if no such firm exists. */
    public static OptionalInt indexOf(long firmRootId, int firms) {
        long offset = firmRootId - FIRST_ID;
        if (offset < 0 || offset % ID_STEP != 0 || offset / ID_STEP >= firms) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) (offset / ID_STEP));
    }

    /** Whether a table of {@code firms} firms contains this ID. */
    public static boolean exists(long firmRootId, int firms) {
        return indexOf(firmRootId, firms).isPresent();
    }

    /** Firm {@code index} as generated for {@code seed}. */
    public static Firm firm(int index, long seed) {
        RawFirm raw = new RawFirm();
        raw.generate(index, seed);
        return new Firm(raw.id, raw.name, raw.country,
                raw.foundedEpochDay == RawFirm.NULL ? null : LocalDate.ofEpochDay(raw.foundedEpochDay),
                raw.active,
                raw.employees == RawFirm.NULL ? null : (int) raw.employees,
                raw.revenueCents == RawFirm.NULL ? null : BigDecimal.valueOf(raw.revenueCents, 2),
                Instant.ofEpochMilli(raw.updatedAtMillis));
    }

    /** The identifiers of firm {@code index} for {@code seed}, 0 to 4, with distinct schemes. */
    public static List<Identifier> identifiers(int index, long seed) {
        RawIdentifiers raw = new RawIdentifiers();
        raw.generate(index, seed);
        List<Identifier> result = new ArrayList<>(raw.count);
        for (int i = 0; i < raw.count; i++) {
            result.add(new Identifier(raw.firmId, raw.schemes[i], raw.values[i], LocalDate.ofEpochDay(raw.validFrom[i])));
        }
        return result;
    }

    /**
     * Creates the tables in the connection's current schema and loads {@code firms} firms and their
     * identifiers: tables, COPY, then primary keys and the foreign key, in one transaction (with
     * {@code wal_level=minimal} the COPY then skips the WAL), then ANALYZE. The connection's
     * auto-commit setting is restored afterwards.
     *
     * @throws SQLException if the tables exist already (use a fresh database) or loading fails; nothing is left behind then
     */
    public static Summary create(Connection connection, int firms, long seed) throws SQLException {
        if (firms < 0 || firms > MAX_FIRMS) {
            throw new IllegalArgumentException("firms must be 0.." + MAX_FIRMS + ", got " + firms);
        }
        long started = System.nanoTime();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            s.execute("SET LOCAL maintenance_work_mem = '256MB'");
            s.execute("CREATE TABLE firm (firm_root_id bigint NOT NULL, firm_name text NOT NULL,"
                    + " country_code char(2) NOT NULL, founded_on date, is_active boolean NOT NULL, employees integer,"
                    + " revenue_musd numeric(14,2), updated_at timestamptz NOT NULL)");
            s.execute("CREATE TABLE firm_identifier (firm_root_id bigint NOT NULL, id_scheme text NOT NULL,"
                    + " id_value text NOT NULL, valid_from date NOT NULL)");
            int[] order = loadOrder(firms, seed);
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            copyFirms(copy, order, seed);
            LOG.debug("firm copied after {} ms", (System.nanoTime() - started) / 1_000_000);
            long[] identifierCounts = copyIdentifiers(copy, order, seed);
            LOG.debug("firm_identifier copied after {} ms", (System.nanoTime() - started) / 1_000_000);
            s.execute("ALTER TABLE firm ADD PRIMARY KEY (firm_root_id)");
            s.execute("ALTER TABLE firm_identifier ADD PRIMARY KEY (firm_root_id, id_scheme, id_value),"
                    + " ADD FOREIGN KEY (firm_root_id) REFERENCES firm");
            s.execute("COMMENT ON TABLE firm IS 'firmquery demo data: " + firms + " firms, seed " + seed + "'");
            connection.commit();
            LOG.debug("keys added and committed after {} ms", (System.nanoTime() - started) / 1_000_000);
            s.execute("ANALYZE firm, firm_identifier");
            connection.commit();
            Summary summary = new Summary(firms, identifierCounts[0], (int) identifierCounts[1], seed,
                    Duration.ofNanos(System.nanoTime() - started));
            LOG.info("Demo data loaded: {} firms, {} identifiers, {} firms without identifiers, seed {}, in {} ms",
                    firms, summary.identifiers(), summary.firmsWithoutIdentifiers(), seed, summary.elapsed().toMillis());
            return summary;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            if (e instanceof SQLException sql && "42P07".equals(sql.getSQLState())) {
                throw new SQLException("Cannot create the demo schema in database '" + connection.getCatalog()
                        + "': " + sql.getMessage() + "; load demo data into a fresh database", sql.getSQLState(), sql);
            }
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * The largest sample ID file {@link #writeSampleIds} can write for a table of {@code firms} firms:
     * about 95 % of a sample's IDs must exist.
     */
    public static int largestSample(int firms) {
        return SampleIds.largest(firms);
    }

    /** The firms a sample of {@code count} IDs needs in the table: the IDs of it that exist. */
    public static int firmsForSample(int count) {
        return SampleIds.present(count);
    }

    /**
     * Writes a sample ID file for a table of {@code firms} firms: UTF-8 with a byte-order mark, the
     * header line {@code firm_root_id}, then one value per line - {@code count} distinct valid IDs of
     * which about 5 % do not exist in the table, plus about 2 % duplicate lines, invalid values
     * ({@code abc}, {@code 12.5}, {@code 1.2E+07}, {@code -5}, a 20-digit number...), blank lines,
     * a few IDs in quotes or padded with spaces, and CRLF on about one line in ten (LF otherwise).
     * It reads as a one-column CSV (name it {@code .csv}). Deterministic for a seed.
     *
     * @param count number of distinct valid IDs; about 95 % of them must exist, so at most ~{@code firms / 0.95}
     * @return what was written, line by line counts and the IDs, for computing expectations
     * @throws java.nio.file.FileAlreadyExistsException if {@code file} exists (it is never overwritten)
     */
    public static SampleIdFile writeSampleIds(java.nio.file.Path file, int firms, int count, long seed)
            throws java.io.IOException {
        return SampleIds.write(file, firms, count, seed);
    }

    /** Firm indexes in the seeded order rows are written in. */
    private static int[] loadOrder(int firms, long seed) {
        int[] order = new int[firms];
        for (int i = 0; i < firms; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(mix(seed, 0, STREAM_ORDER));
        for (int i = firms - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static void copyFirms(CopyManager copy, int[] order, long seed) throws SQLException {
        CopyBuffer out = new CopyBuffer(copy.copyIn("COPY firm (firm_root_id, firm_name, country_code, founded_on,"
                + " is_active, employees, revenue_musd, updated_at) FROM STDIN"));
        try {
            RawFirm firm = new RawFirm();
            for (int index : order) {
                firm.generate(index, seed);
                out.number(firm.id).tab().text(firm.name).tab().ascii(firm.country).tab();
                if (firm.foundedEpochDay == RawFirm.NULL) {
                    out.nul();
                } else {
                    date(out, firm.foundedEpochDay);
                }
                out.tab().put(firm.active ? 't' : 'f').tab();
                if (firm.employees == RawFirm.NULL) {
                    out.nul();
                } else {
                    out.number(firm.employees);
                }
                out.tab();
                if (firm.revenueCents == RawFirm.NULL) {
                    out.nul();
                } else {
                    out.number(firm.revenueCents / 100).put('.').digits(firm.revenueCents % 100, 2);
                }
                out.tab();
                timestamp(out, firm.updatedAtMillis);
                out.endRow();
            }
            out.finish();
        } catch (SQLException | RuntimeException e) {
            out.cancel(e);
            throw e;
        }
    }

    /** @return {total identifiers, firms without any} */
    private static long[] copyIdentifiers(CopyManager copy, int[] order, long seed) throws SQLException {
        CopyBuffer out = new CopyBuffer(copy.copyIn(
                "COPY firm_identifier (firm_root_id, id_scheme, id_value, valid_from) FROM STDIN"));
        long total = 0;
        long without = 0;
        try {
            RawIdentifiers ids = new RawIdentifiers();
            for (int index : order) {
                ids.generate(index, seed);
                if (ids.count == 0) {
                    without++;
                }
                for (int i = 0; i < ids.count; i++) {
                    out.number(ids.firmId).tab().ascii(ids.schemes[i]).tab().ascii(ids.values[i]).tab();
                    date(out, ids.validFrom[i]);
                    out.endRow();
                }
                total += ids.count;
            }
            out.finish();
        } catch (SQLException | RuntimeException e) {
            out.cancel(e);
            throw e;
        }
        return new long[] {total, without};
    }

    private static void date(CopyBuffer out, long epochDay) throws SQLException {
        LocalDate d = LocalDate.ofEpochDay(epochDay);
        out.digits(d.getYear(), 4).put('-').digits(d.getMonthValue(), 2).put('-').digits(d.getDayOfMonth(), 2);
    }

    private static void timestamp(CopyBuffer out, long epochMillis) throws SQLException {
        long day = Math.floorDiv(epochMillis, 86_400_000L);
        long millisOfDay = Math.floorMod(epochMillis, 86_400_000L);
        date(out, day);
        out.put(' ').digits(millisOfDay / 3_600_000, 2).put(':').digits(millisOfDay / 60_000 % 60, 2)
                .put(':').digits(millisOfDay / 1000 % 60, 2).put('.').digits(millisOfDay % 1000, 3).ascii("+00");
    }

    /** A well-spread seed for one (seed, index, stream) triple (SplitMix64's finaliser). */
    static long mix(long seed, long index, long stream) {
        long z = seed * 0x9E3779B97F4A7C15L + (index + 1) * 0xBF58476D1CE4E5B9L + stream * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [min, max]. */
    private static long between(SplittableRandom rng, long min, long max) {
        return min + rng.nextLong(max - min + 1);
    }

    /** Log-uniform in [min, max]: many small firms, a few huge ones. */
    private static long logUniform(SplittableRandom rng, long min, long max) {
        double value = Math.exp(Math.log(min) + rng.nextDouble() * (Math.log(max) - Math.log(min)));
        return Math.max(min, Math.min(max, Math.round(value)));
    }

    /** Reusable scratch for one firm's columns, so loading millions of rows allocates little. */
    private static final class RawFirm {
        static final long NULL = Long.MIN_VALUE;

        long id;
        String name;
        String country;
        long foundedEpochDay;
        boolean active;
        long employees;
        long revenueCents;
        long updatedAtMillis;

        void generate(int index, long seed) {
            SplittableRandom rng = new SplittableRandom(mix(seed, index, STREAM_FIRM));
            id = firmId(index);
            String number = pad6(index);
            int style = rng.nextInt(100);
            if (style < 96) {
                String[] country = COUNTRIES[rng.nextInt(COUNTRIES.length)];
                this.country = country[0];
                String prefix = PREFIXES[rng.nextInt(PREFIXES.length)];
                String noun = NOUNS[rng.nextInt(NOUNS.length)];
                if (style < 86) {
                    name = prefix + " " + noun + " " + number + " " + country[1];
                } else if (style < 92) {
                    name = prefix + " " + noun + " " + number + ", " + country[1];
                } else {
                    name = prefix + " \"" + noun + "\" " + number + " " + country[1];
                }
            } else {
                String[] exotic = EXOTIC[rng.nextInt(EXOTIC.length)];
                this.country = exotic[0];
                name = exotic[1].replace("#", number);
            }
            foundedEpochDay = rng.nextInt(100) < 10 ? NULL : between(rng, FOUNDED_MIN, FOUNDED_MAX);
            active = rng.nextInt(100) < 88;
            employees = rng.nextInt(100) < 10 ? NULL : logUniform(rng, 1, MAX_EMPLOYEES);
            revenueCents = rng.nextInt(100) < 10 ? NULL : logUniform(rng, REVENUE_MIN_CENTS, REVENUE_MAX_CENTS);
            updatedAtMillis = between(rng, UPDATED_MIN, UPDATED_MAX - 1);
        }

        private static String pad6(int index) {
            String digits = Integer.toString(index);
            return digits.length() >= 6 ? digits : "000000".substring(digits.length()) + digits;
        }
    }

    /** Reusable scratch for one firm's identifiers. */
    private static final class RawIdentifiers {
        final String[] schemes = new String[4];
        final String[] values = new String[4];
        final long[] validFrom = new long[4];
        final int[] schemeOrder = new int[4];
        long firmId;
        int count;

        void generate(int index, long seed) {
            SplittableRandom rng = new SplittableRandom(mix(seed, index, STREAM_IDENTIFIERS));
            firmId = firmId(index);
            int u = rng.nextInt(100);
            count = u < 5 ? 0 : u < 35 ? 1 : u < 65 ? 2 : u < 85 ? 3 : 4;
            for (int i = 0; i < 4; i++) {
                schemeOrder[i] = i;
            }
            for (int i = 0; i < count; i++) {
                int j = i + rng.nextInt(4 - i);
                int t = schemeOrder[i];
                schemeOrder[i] = schemeOrder[j];
                schemeOrder[j] = t;
                schemes[i] = ID_SCHEMES.get(schemeOrder[i]);
                values[i] = switch (schemeOrder[i]) {
                    case 0 -> lei(rng);
                    case 1 -> isin(rng);
                    case 2 -> Long.toString(between(rng, 100_000_000L, 999_999_999L));
                    default -> zeroPad(between(rng, 1, 1_999_999), 10);
                };
                validFrom[i] = between(rng, VALID_FROM_MIN, VALID_FROM_MAX);
            }
        }

        private static String zeroPad(long value, int width) {
            String digits = Long.toString(value);
            return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
        }

        /** LOU prefix, "00", 12 alphanumerics, ISO 7064 mod 97-10 check digits: 20 characters. */
        private static String lei(SplittableRandom rng) {
            StringBuilder sb = new StringBuilder(20).append(LEI_PREFIXES[rng.nextInt(LEI_PREFIXES.length)]).append("00");
            for (int i = 0; i < 12; i++) {
                sb.append(ALPHANUMERIC[rng.nextInt(ALPHANUMERIC.length)]);
            }
            int remainder = 0;
            for (int i = 0; i < sb.length(); i++) {
                char ch = sb.charAt(i);
                remainder = ch <= '9' ? (remainder * 10 + (ch - '0')) % 97 : (remainder * 100 + (ch - 'A' + 10)) % 97;
            }
            int check = 98 - (remainder * 100) % 97;
            return sb.append((char) ('0' + check / 10)).append((char) ('0' + check % 10)).toString();
        }

        /** Country, 9 alphanumerics, Luhn check digit over the letters-as-numbers expansion: 12 characters. */
        private static String isin(SplittableRandom rng) {
            StringBuilder sb = new StringBuilder(12).append(ISIN_COUNTRIES[rng.nextInt(ISIN_COUNTRIES.length)]);
            for (int i = 0; i < 9; i++) {
                sb.append(ALPHANUMERIC[rng.nextInt(ALPHANUMERIC.length)]);
            }
            StringBuilder digits = new StringBuilder(22);
            for (int i = 0; i < sb.length(); i++) {
                char ch = sb.charAt(i);
                digits.append(ch <= '9' ? String.valueOf(ch - '0') : String.valueOf(ch - 'A' + 10));
            }
            int sum = 0;
            boolean doubleIt = true;
            for (int i = digits.length() - 1; i >= 0; i--) {
                int d = digits.charAt(i) - '0';
                if (doubleIt) {
                    d *= 2;
                    if (d > 9) {
                        d -= 9;
                    }
                }
                sum += d;
                doubleIt = !doubleIt;
            }
            return sb.append((char) ('0' + (10 - sum % 10) % 10)).toString();
        }
    }
}
