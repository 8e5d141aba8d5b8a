-- firmquery benchmark data: the demo schema of dev.firmquery.demo.DemoData (same DDL, same ID scheme),
-- filled with generated rows in SQL. Run by bench/run.sh with psql variables :firms and :seed.
--
-- Firm i (0-based) has firm_root_id 100000 + 7*i, so the numbers in between are valid IDs that do
-- not exist. Every value is a pure function of (i, seed) through hashint8extended(), so a given
-- (firms, seed) always gives the same database. Rows are inserted in a seeded shuffled order so
-- that the physical order of the tables is not the ID order (as in DemoData).
--
-- Columns: ~10 % NULL founded_on / employees / revenue_musd (independently); names with commas,
-- double quotes, apostrophes, semicolons and non-ASCII text (one in 25 firms, incl. an emoji outside
-- the BMP); updated_at with microseconds; 0-4 identifiers per firm with distinct schemes
-- (5 % none, 30 % one, 30 % two, 20 % three, 15 % four).
\set ON_ERROR_STOP on

BEGIN;
SET LOCAL maintenance_work_mem = '512MB';
SET LOCAL work_mem = '256MB';
-- Creating and filling the tables in one transaction lets a wal_level=minimal server skip the WAL.
CREATE TABLE firm (firm_root_id bigint NOT NULL, firm_name text NOT NULL, country_code char(2) NOT NULL,
    founded_on date, is_active boolean NOT NULL, employees integer, revenue_musd numeric(14,2),
    updated_at timestamptz NOT NULL);
CREATE TABLE firm_identifier (firm_root_id bigint NOT NULL, id_scheme text NOT NULL, id_value text NOT NULL,
    valid_from date NOT NULL);

INSERT INTO firm
SELECT 100000 + 7 * g.i,
       CASE
           WHEN g.style < 86 THEN p.prefix || ' ' || p.noun || ' ' || g.num || ' ' || c.suffix
           WHEN g.style < 92 THEN p.prefix || ' ' || p.noun || ' ' || g.num || ', ' || c.suffix
           WHEN g.style < 96 THEN p.prefix || ' "' || p.noun || '" ' || g.num || ' ' || c.suffix
           ELSE replace(x.name, '#', g.num)
       END,
       CASE WHEN g.style < 96 THEN c.country ELSE x.country END,
       CASE WHEN g.r6 % 100 < 10 THEN NULL
            ELSE date '1850-01-01' + (g.r7 % (date '2023-12-31' - date '1850-01-01' + 1))::int END,
       g.r8 % 100 < 88,
       CASE WHEN g.r9 % 100 < 10 THEN NULL
            ELSE greatest(1, least(250000, round(exp(ln(250000) * (g.r10 / 2147483648.0)))))::int END,
       CASE WHEN g.r11 % 100 < 10 THEN NULL
            ELSE greatest(0.05, round(exp(ln(0.05) + (g.r12 / 2147483648.0) * (ln(200000) - ln(0.05)))::numeric, 2)) END,
       -- 2020-01-01 .. 2025-12-31 23:59:59.999999 UTC, microsecond resolution.
       timestamptz '2020-01-01 00:00:00+00' + (g.r13 % 189302400000000) * interval '1 microsecond'
FROM (
    SELECT i,
           lpad(i::text, 6, '0') AS num,
           (hashint8extended(i, :seed * 64 + 1) & 2147483647) % 100 AS style,
           (hashint8extended(i, :seed * 64 + 2) & 2147483647) % 23 + 1 AS ci,
           (hashint8extended(i, :seed * 64 + 3) & 2147483647) % 240 AS pi,
           (hashint8extended(i, :seed * 64 + 5) & 2147483647) % 14 + 1 AS xi,
           hashint8extended(i, :seed * 64 + 6) & 2147483647 AS r6,
           hashint8extended(i, :seed * 64 + 7) & 2147483647 AS r7,
           hashint8extended(i, :seed * 64 + 8) & 2147483647 AS r8,
           hashint8extended(i, :seed * 64 + 9) & 2147483647 AS r9,
           hashint8extended(i, :seed * 64 + 10) & 2147483647 AS r10,
           hashint8extended(i, :seed * 64 + 11) & 2147483647 AS r11,
           hashint8extended(i, :seed * 64 + 12) & 2147483647 AS r12,
           hashint8extended(i, :seed * 64 + 13) & 9223372036854775807 AS r13
    FROM generate_series(0, :firms - 1) AS i
    ORDER BY hashint8extended(i, :seed * 64)
    OFFSET 0
) g
JOIN (VALUES (1, 'US', 'Inc.'), (2, 'US', 'Inc.'), (3, 'US', 'LLC'), (4, 'US', 'Corp.'), (5, 'US', 'Inc.'),
             (6, 'GB', 'Ltd'), (7, 'GB', 'Ltd'), (8, 'GB', 'PLC'), (9, 'DE', 'GmbH'), (10, 'DE', 'AG'),
             (11, 'DE', 'GmbH'), (12, 'FR', 'SA'), (13, 'FR', 'SAS'), (14, 'NL', 'B.V.'), (15, 'CH', 'AG'),
             (16, 'JP', 'K.K.'), (17, 'CA', 'Corp.'), (18, 'SE', 'AB'), (19, 'PL', 'S.A.'), (20, 'ES', 'S.L.'),
             (21, 'BR', 'Ltda.'), (22, 'IT', 'S.p.A.'), (23, 'IE', 'Ltd')) AS c (ci, country, suffix)
    ON c.ci = g.ci
JOIN (SELECT (pn.a - 1) * 12 + (nn.b - 1) AS pi, pn.prefix, nn.noun
      FROM unnest(ARRAY['Northwind', 'Contoso', 'Fabrikam', 'Adventure Works', 'Blue Yonder', 'Wide World',
                        'Tailspin', 'Litware', 'Proseware', 'Alpine Ski', 'Coho', 'Margie''s', 'Lucerne',
                        'Trey Research', 'Humongous', 'Wingtip', 'Fourth Coffee', 'Graphic Design',
                        'Southridge', 'Woodgrove']) WITH ORDINALITY AS pn (prefix, a)
      CROSS JOIN unnest(ARRAY['Holdings', 'Trading', 'Logistics', 'Capital', 'Industries', 'Partners',
                              'Systems', 'Foods', 'Energy', 'Media', 'Insurance', 'Shipping'])
                 WITH ORDINALITY AS nn (noun, b)) AS p
    ON p.pi = g.pi
JOIN (VALUES (1, 'DE', 'Müller & Söhne #, "Nord" GmbH'),
             (2, 'FR', 'Société Générale d''Équipement # SA'),
             (3, 'DK', 'Øresund Shipping # ApS'),
             (4, 'PL', 'Łódź Tekstylia # Sp. z o.o.'),
             (5, 'CH', 'Zürich Rückversicherung # AG'),
             (6, 'TR', 'Çelik Yapı # A.Ş.'),
             (7, 'GR', 'Ελληνική Ναυτιλία # Α.Ε.'),
             (8, 'BG', 'Софийска Енергия # ЕООД'),
             (9, 'BR', 'São Paulo Alimentos # Ltda.'),
             (10, 'ES', 'Ñandú Exportaciones #, S.A.'),
             (11, 'IE', 'O''Brien & Sons # Ltd'),
             (12, 'AT', 'Café "Zum Löwen" #; Inh. Jürgen Groß'),
             (13, 'JP', '東京精密 # 株式会社'),
             (14, 'US', 'Rocket 🚀 Labs # Inc.')) AS x (xi, country, name)
    ON x.xi = g.xi;

INSERT INTO firm_identifier
SELECT 100000 + 7 * f.i,
       s.scheme,
       CASE s.scheme
           -- LEI: LOU prefix, "00", 12 alphanumerics, 2 check digits (not a valid checksum): 20 characters.
           WHEN 'LEI' THEN (ARRAY['5299', '5493', '2138', '9695', '3912'])[f.h % 5 + 1] || '00'
                           || upper(substr(md5(f.i::text || ':' || s.k || ':' || :seed), 1, 12))
                           || lpad((f.h % 97 + 1)::text, 2, '0')
           -- ISIN: country, 9 alphanumerics, 1 check digit: 12 characters.
           WHEN 'ISIN' THEN (ARRAY['US', 'DE', 'GB', 'FR', 'CH', 'JP', 'NL'])[f.h % 7 + 1]
                            || upper(substr(md5(f.i::text || ':' || s.k || ':' || :seed), 13, 9)) || (f.h % 10)::text
           WHEN 'DUNS' THEN (100000000 + f.h % 900000000)::text
           ELSE lpad((1 + f.h % 1999999)::text, 10, '0')
       END,
       date '1995-01-01' + ((hashint8extended(f.i, :seed * 64 + 24 + s.k) & 2147483647)
                            % (date '2024-12-31' - date '1995-01-01' + 1))::int
FROM (
    SELECT i,
           (hashint8extended(i, :seed * 64 + 20) & 2147483647) % 100 AS u,
           (hashint8extended(i, :seed * 64 + 21) & 2147483647) % 4 AS rot,
           hashint8extended(i, :seed * 64 + 22) & 2147483647 AS h
    FROM generate_series(0, :firms - 1) AS i
    ORDER BY hashint8extended(i, :seed * 64)
    OFFSET 0
) f
CROSS JOIN LATERAL (
    SELECT k, (ARRAY['LEI', 'ISIN', 'DUNS', 'CIK'])[(f.rot + k) % 4 + 1] AS scheme
    FROM generate_series(1, CASE WHEN f.u < 5 THEN 0 WHEN f.u < 35 THEN 1 WHEN f.u < 65 THEN 2
                                 WHEN f.u < 85 THEN 3 ELSE 4 END) AS k
) s;

ALTER TABLE firm ADD PRIMARY KEY (firm_root_id);
ALTER TABLE firm_identifier ADD PRIMARY KEY (firm_root_id, id_scheme, id_value),
    ADD FOREIGN KEY (firm_root_id) REFERENCES firm;
SELECT format('COMMENT ON TABLE firm IS %L', format('firmquery bench data: %s firms, seed %s', :firms, :seed)) \gexec
COMMIT;
-- VACUUM as well, so that autovacuum does not start on the fresh tables during the timed runs, and
-- hint bits and the visibility map are set as in a database that has been up for a while.
VACUUM (ANALYZE) firm, firm_identifier;
