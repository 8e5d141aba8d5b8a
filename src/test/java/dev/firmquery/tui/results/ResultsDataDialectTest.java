package dev.firmquery.tui.results;

import dev.firmquery.export.CellCuts;
import dev.firmquery.export.Column;
import dev.firmquery.export.ColumnKind;
import dev.firmquery.export.CsvDialect;
import dev.firmquery.export.CsvResultWriter;
import dev.firmquery.export.IdListWriter;
import dev.firmquery.export.OutputFile;
import dev.firmquery.ids.IdStats;
import dev.firmquery.run.RunReport;
import dev.firmquery.testing.ReportBuilder;
import dev.firmquery.run.RunStatus;
import dev.firmquery.tui.widget.Glyphs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The results window reads back the files of a run in whatever CSV dialect the run wrote them. */
class ResultsDataDialectTest {
    @TempDir
    Path dir;

    static Stream<CsvDialect> dialects() {
        return Stream.of(CsvDialect.RFC4180, new CsvDialect(';', true, CsvDialect.LineEnding.LF),
                new CsvDialect('\t', true, CsvDialect.LineEnding.CRLF), new CsvDialect('|', false,
                        CsvDialect.LineEnding.LF));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void headerRowsAndMissingIdsAreReadInTheRunsDialect(CsvDialect dialect) throws Exception {
        List<Column> columns = List.of(new Column("firm_root_id", "int8", ColumnKind.INTEGER),
                new Column("legal_name", "text", ColumnKind.TEXT));
        Path csv = dir.resolve("r.csv");
        try (CsvResultWriter w = new CsvResultWriter(csv, false, OutputFile.OWNER_READ_WRITE, false, dialect)) {
            w.begin(columns);
            w.row(new Object[]{1L, "Acme; Söhne | \"Ltd\""});
            w.commit(List.of());
        }
        Path missing = dir.resolve("r_missing.csv");
        try (IdListWriter m = IdListWriter.missing(missing, "firm_root_id", OutputFile.OWNER_READ_WRITE, false,
                dialect)) {
            m.id(9);
            m.commit();
        }
        Instant at = Instant.parse("2026-11-22T10:15:00Z");
        RunReport report = ReportBuilder.report().run("run", RunStatus.COMPLETED, at, at)
                .source("ids.csv", "0".repeat(64), new IdStats(3, 2, 2, 0, 0, 0), List.of())
                .columns(columns).chunks(1, 1, 0, 0, 0).counts(1, 1, 0, 0)
                .files(List.of(new RunReport.OutputFileInfo("results-csv", csv, Files.size(csv)),
                        new RunReport.OutputFileInfo("missing", missing, Files.size(missing))))
                .build();

        ResultsData data = ResultsData.read(report, Glyphs.ASCII);

        assertEquals(List.of("firm_root_id", "legal_name"), data.header());
        assertEquals(List.of(List.of("1", "Acme; Söhne | \"Ltd\"")), data.rows());
        assertEquals("9", data.missing().get(1));
    }
}
