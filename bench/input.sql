-- firmquery benchmark input: :present IDs that exist and :absent valid IDs that do not (each in a gap
-- between two firms: 100000 + 7*i + 1..6), all distinct, in a seeded shuffled order (column pos).
-- Run by bench/run.sh with psql variables :firms, :present, :absent and :seed, after load.sql.
-- bench_input also gives the expected missing IDs: absent ones, and existing firms without identifiers.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

DROP TABLE IF EXISTS bench_input;
CREATE TABLE bench_input (pos integer NOT NULL, firm_root_id bigint NOT NULL, present boolean NOT NULL);

INSERT INTO bench_input
SELECT row_number() OVER (ORDER BY hashint8extended(s.firm_root_id, :seed * 64 + 40), s.firm_root_id), s.firm_root_id, s.present
FROM (
    (SELECT 100000 + 7 * i AS firm_root_id, true AS present
     FROM generate_series(0, :firms - 1) AS i
     ORDER BY hashint8extended(i, :seed * 64 + 41)
     LIMIT :present)
    UNION ALL
    (SELECT 100000 + 7 * i + 1 + (hashint8extended(i, :seed * 64 + 43) & 2147483647) % 6, false
     FROM generate_series(0, :firms - 1) AS i
     ORDER BY hashint8extended(i, :seed * 64 + 42)
     LIMIT :absent)
) s;

ALTER TABLE bench_input ADD PRIMARY KEY (firm_root_id);
VACUUM (ANALYZE) bench_input;
