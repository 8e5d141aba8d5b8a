package dev.firmquery.testing;

/** Query templates for tests that need a run to last long enough to be interrupted part-way. */
public final class SlowQueries {
    private SlowQueries() {
    }

    /** The shipped firm_details query plus a 50 ms pause per statement. */
    public static final String SLOW_DETAILS = """
            WITH pause AS MATERIALIZED (SELECT pg_sleep(0.05))
            SELECT DISTINCT t1.firm_root_id, t1.firm_name, t1.country_code, t1.founded_on, t1.is_active,
                   t1.employees, t1.revenue_musd, t1.updated_at, t2.id_scheme, t2.id_value, t2.valid_from
            FROM firm t1
            JOIN firm_identifier t2 ON t2.firm_root_id = t1.firm_root_id
            CROSS JOIN pause
            WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})
            ORDER BY t1.firm_root_id, t2.id_scheme, t2.id_value
            """;
}
