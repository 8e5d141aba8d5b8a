package dev.firmquery.run;

import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.export.CsvDialect;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Where and how a run writes its files.
 *
 * @param directory   the output directory (created if absent)
 * @param baseName    file name stem; files are {@code <base>.csv}, {@code <base>.xlsx},
 *                    {@code <base>.jsonl}, {@code <base>_missing.csv}, {@code <base>_failed.csv},
 *                    {@code <base>_report.json}
 * @param formats     which result formats to write
 * @param csvGzip     gzip the result CSV ({@code <base>.csv.gz})
 * @param permissions POSIX permissions of every file written
 * @param csvFormulaGuard neutralise CSV text cells a spreadsheet would take for a formula
 *                    ({@code output.csv_formula_guard}); fixed for the life of a run, so a resume encodes
 *                    the same bytes
 * @param csvDialect  the delimiter, byte order mark and line ending of every CSV file
 *                    ({@code output.csv_delimiter}, {@code output.csv_bom}, {@code output.csv_line_ending});
 *                    fixed for the life of a run likewise
 */
public record OutputSpec(Path directory, String baseName, Set<Format> formats, boolean csvGzip,
                         Set<PosixFilePermission> permissions, boolean csvFormulaGuard, CsvDialect csvDialect) {
    public OutputSpec {
        formats = Set.copyOf(formats);
        permissions = Set.copyOf(permissions);
    }

    public Path resultCsv() {
        return directory.resolve(baseName + (csvGzip ? ".csv.gz" : ".csv"));
    }

    public Path resultXlsx() {
        return directory.resolve(baseName + ".xlsx");
    }

    public Path resultJsonl() {
        return directory.resolve(baseName + ".jsonl");
    }

    public Path missingCsv() {
        return directory.resolve(baseName + "_missing.csv");
    }

    public Path failedCsv() {
        return directory.resolve(baseName + "_failed.csv");
    }

    public Path reportJson() {
        return directory.resolve(baseName + "_report.json");
    }

    /** Every file name this spec may create, for the "never overwrite" check before a run. */
    public Set<Path> allFiles() {
        return Set.of(resultCsv(), resultXlsx(), resultJsonl(), missingCsv(), failedCsv(), reportJson());
    }
}
