package dev.firmquery.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which {@code plan_cache_mode} a worker's session sets, by server kind, version and
 * {@code processing.generic_plans}; and how {@code version()}'s text is recognised.
 */
class PlanCacheModeTest {

    @ParameterizedTest(name = "{0} {1}.{2}, generic_plans {3} -> {4}")
    @CsvSource({
        // PostgreSQL has plan_cache_mode from 12
        "POSTGRESQL,  9, 6, true,  SERVER_DEFAULT",
        "POSTGRESQL, 11, 22, true, SERVER_DEFAULT",
        "POSTGRESQL, 12, 0, true,  FORCE_GENERIC_PLAN",
        "POSTGRESQL, 16, 4, true,  FORCE_GENERIC_PLAN",
        "POSTGRESQL, 18, 0, true,  FORCE_GENERIC_PLAN",
        "POSTGRESQL, 16, 4, false, SERVER_DEFAULT",
        "POSTGRESQL, 11, 0, false, SERVER_DEFAULT",
        // CockroachDB from 23.2, and auto rather than forced generic plans
        "COCKROACHDB, 22, 2, true, SERVER_DEFAULT",
        "COCKROACHDB, 23, 1, true, SERVER_DEFAULT",
        "COCKROACHDB, 23, 2, true, AUTO",
        "COCKROACHDB, 24, 1, true, AUTO",
        "COCKROACHDB, 25, 3, true, AUTO",
        "COCKROACHDB, 24, 1, false, SERVER_DEFAULT",
        // a server firmquery does not recognise is left alone
        "OTHER, 0, 0, true, SERVER_DEFAULT",
        "OTHER, 0, 0, false, SERVER_DEFAULT",
    })
    void theDecisionTable(DatabaseServer.Kind kind, int major, int minor, boolean genericPlans, PlanCacheMode expected) {
        assertEquals(expected, PlanCacheMode.choose(new DatabaseServer(kind, major, minor, "v"), genericPlans));
    }

    @Test
    void onlyTheChosenModesAreSet() {
        assertEquals("SET plan_cache_mode = force_generic_plan", PlanCacheMode.FORCE_GENERIC_PLAN.setStatement());
        assertEquals("SET plan_cache_mode = auto", PlanCacheMode.AUTO.setStatement());
        assertEquals(null, PlanCacheMode.SERVER_DEFAULT.setStatement());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "PostgreSQL 16.4 (Debian 16.4-1.pgdg120+2) on x86_64-pc-linux-gnu, compiled by gcc 12.2.0, 64-bit | POSTGRESQL | 16 | 4",
        "PostgreSQL 9.6.24 on x86_64-pc-linux-gnu, compiled by gcc (GCC) 4.8.5, 64-bit | POSTGRESQL | 9 | 6",
        "PostgreSQL 18devel on x86_64-pc-linux-gnu | POSTGRESQL | 18 | 0",
        "PostgreSQL 17beta1 on aarch64-unknown-linux-gnu | POSTGRESQL | 17 | 0",
        "CockroachDB CCL v24.1.4 (x86_64-pc-linux-gnu, built 2024/08/29 14:40:10, go1.22.5 X:nocoverageredesign) | COCKROACHDB | 24 | 1",
        "CockroachDB OSS v23.2.0-alpha.1 (x86_64-unknown-linux-gnu, built 2023/10/02) | COCKROACHDB | 23 | 2",
        "PostgreSQL 11.2-YB-2.20.1.0-b0 on x86_64-pc-linux-gnu | POSTGRESQL | 11 | 2",
        "MySQL 8.0 | OTHER | 0 | 0",
    })
    void versionTextIsRecognised(String text, DatabaseServer.Kind kind, int major, int minor) {
        DatabaseServer s = DatabaseServer.parse(text);
        assertEquals(kind, s.kind());
        assertEquals(major, s.major());
        assertEquals(minor, s.minor());
        assertEquals(text, s.version());
    }

    @Test
    void labelsNameTheProductAndVersion() {
        assertEquals("PostgreSQL 16.4", DatabaseServer.parse("PostgreSQL 16.4 (Debian) on x").label());
        assertEquals("CockroachDB 24.1", DatabaseServer.parse("CockroachDB CCL v24.1.4 (x86_64)").label());
        assertEquals("unrecognised server (MySQL 8.0)", DatabaseServer.parse("MySQL 8.0").label());
        assertEquals("unrecognised server", DatabaseServer.UNKNOWN.label());
    }
}
