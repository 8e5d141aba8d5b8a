-- Firm names only: one row per firm (firm_root_id, firm_name).
SELECT
    t1.firm_root_id,
    t1.firm_name
FROM firm t1
WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})
ORDER BY t1.firm_root_id
