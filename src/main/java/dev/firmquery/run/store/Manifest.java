package dev.firmquery.run.store;

import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.export.Column;
import dev.firmquery.export.CsvDialect;
import dev.firmquery.ids.IdStats;
import dev.firmquery.ids.IdType;
import dev.firmquery.ids.InvalidValue;
import dev.firmquery.sql.IdBinding;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code run.properties} records about a run ({@link RunDirectory#manifest()}).
 *
 * @param querySource     the template's file; null for a template that had none
 * @param idColumnOut     the result column named with {@code --id-column-out}; null when not given
 * @param inputColumnName the input's ID column name; null when it had none
 * @param inputSheet      the name of the workbook sheet the IDs were read from (the first sheet when none
 *                        was chosen); null for an input that is not a workbook, and for folders of
 *                        versions that did not record it. Text read back from disk: print it through
 *                        {@code TerminalText.printable}
 * @param queryTextSha256 hash of {@code query.sql} (the text as run), to detect tampering
 * @param idsSha256       hash of {@code ids.bin}
 * @param csvFormulaGuard whether the run's CSV is written with the formula guard (false for folders of
 *                        versions that had none)
 * @param csvDialect      the run's CSV dialect ({@link CsvDialect#RFC4180} for folders of versions that had
 *                        none)
 * @param columns         the result columns the first session described, whose layout the spooled rows
 *                        have; null for folders of versions that did not record them
 * @param parameters      the values of the template's parameters as their canonical text, by name in
 *                        declaration order; empty for a template without parameters (and for folders of
 *                        versions that had none)
 */
public record Manifest(String runId, Instant created, Path outputDirectory, String baseName, Set<Format> formats,
                       boolean csvGzip, Set<PosixFilePermission> permissions,
                       String idColumnOut, String queryName, Path querySource, String querySha256,
                       String queryTextSha256, IdBinding binding, String inputSource, String inputSha256,
                       String inputColumnName, String inputSheet, IdStats stats, List<InvalidValue> invalidExamples, IdType idType,
                       int idCount, String idsSha256, int chunks, boolean csvFormulaGuard,
                       CsvDialect csvDialect, List<Column> columns, Map<String, String> parameters) {
    /** Copies the lists. */
    public Manifest {
        parameters = parameters == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        formats = Set.copyOf(formats);
        permissions = Set.copyOf(permissions);
        invalidExamples = List.copyOf(invalidExamples);
        columns = columns == null ? null : List.copyOf(columns);
    }
}
