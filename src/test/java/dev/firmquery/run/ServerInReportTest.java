package dev.firmquery.run;

import dev.firmquery.export.ResultWriter.SummaryLine;
import dev.firmquery.testing.ReportBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recognised server and the plan_cache_mode set on it, in {@code _report.json} and the XLSX Summary sheet. */
class ServerInReportTest {
    private static final String CRDB = "CockroachDB CCL v24.1.4 (x86_64-pc-linux-gnu, built 2024/08/29 14:40:10, go1.22.5)";

    private static RunReport cockroachRun() {
        return ReportBuilder.report().server(DatabaseServer.parse(CRDB), PlanCacheMode.AUTO).build();
    }

    @Test
    void theReportJsonHasTheServersKindVersionTextAndPlanCacheMode() {
        @SuppressWarnings("unchecked")
        Map<String, Object> server = (Map<String, Object>) ReportJson.tree(cockroachRun()).get("server");

        assertEquals(Map.of("kind", "cockroachdb", "version", "24.1", "version_text", CRDB, "plan_cache_mode", "auto"),
                server);
    }

    @Test
    void theSummarySheetNamesTheServerAndThePlanCacheMode() {
        List<SummaryLine> lines = ReportJson.summaryLines(cockroachRun());

        assertTrue(lines.contains(new SummaryLine("Server", "CockroachDB 24.1")), lines.toString());
        assertTrue(lines.contains(new SummaryLine("plan_cache_mode", "auto")), lines.toString());
    }

    @Test
    void aReportWithoutAServerSaysSo() {
        @SuppressWarnings("unchecked")
        Map<String, Object> server = (Map<String, Object>) ReportJson.tree(ReportBuilder.report().build()).get("server");

        assertEquals("other", server.get("kind"));
        assertEquals("server default", server.get("plan_cache_mode"));
    }
}
