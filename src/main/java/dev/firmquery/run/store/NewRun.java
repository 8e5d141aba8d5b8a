package dev.firmquery.run.store;

import dev.firmquery.chunk.ChunkPlan;
import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.export.CsvDialect;
import dev.firmquery.ids.IdLoadResult;
import dev.firmquery.sql.IdBinding;
import dev.firmquery.sql.ParameterValues;
import dev.firmquery.sql.QueryTemplate;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * What the first session of a run records in its folder before any chunk runs
 * ({@link RunSession#start}): enough to finish the run later with nothing but the folder.
 *
 * @param runId           the run's id (its folder's name)
 * @param outputDirectory where its files go
 * @param baseName        the stem of its file names
 * @param formats         the result formats it writes
 * @param csvGzip         whether the result CSV is gzipped
 * @param permissions     the POSIX permissions of its files
 * @param idColumnOut     the result column named with {@code --id-column-out}; null when not given
 * @param template        the validated query template
 * @param binding         how IDs are bound into the statement
 * @param input           the cleaned IDs, in the order the run uses, with their statistics
 * @param plan            the chunks
 * @param configText      the effective configuration as text, for the record
 * @param csvFormulaGuard whether the run's CSV records are written with the formula guard
 *                        ({@code output.csv_formula_guard}); every session encodes them so
 * @param csvDialect      the delimiter, byte order mark and line ending of the run's CSV files; every
 *                        session encodes its records so
 * @param parameters      the values bound for the template's parameters; a resume binds the same
 */
public record NewRun(String runId, Path outputDirectory, String baseName, Set<Format> formats, boolean csvGzip,
                     Set<PosixFilePermission> permissions, String idColumnOut, QueryTemplate template,
                     IdBinding binding, IdLoadResult input, ChunkPlan plan, String configText,
                     boolean csvFormulaGuard, CsvDialect csvDialect, ParameterValues parameters) {
    /** Copies the sets. */
    public NewRun {
        formats = Set.copyOf(formats);
        permissions = Set.copyOf(permissions);
        parameters = parameters == null ? ParameterValues.none() : parameters;
    }
}
