package dev.firmquery.run;

import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reading a run's files back in the run and run store specs. */
public final class RunOutputs {
    private RunOutputs() {
    }

    /** The file of {@code kind} ({@code results-csv}, {@code missing}, ...) that the report lists. */
    public static Path file(RunReport report, String kind) {
        return report.outputs().files().stream().filter(f -> f.kind().equals(kind)).map(RunReport.OutputFileInfo::path)
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " file in " + report.outputs().files()));
    }

    /** The raw cell values of the XLSX's first sheet, row by row. */
    public static List<List<String>> xlsxRows(Path file) throws IOException {
        try (ReadableWorkbook wb = new ReadableWorkbook(file.toFile())) {
            List<List<String>> rows = new ArrayList<>();
            for (Row r : wb.getFirstSheet().read()) {
                List<String> cells = new ArrayList<>();
                for (int c = 0; c < r.getCellCount(); c++) {
                    cells.add(r.getCellRawValue(c).orElse(""));
                }
                rows.add(cells);
            }
            return rows;
        }
    }
}
