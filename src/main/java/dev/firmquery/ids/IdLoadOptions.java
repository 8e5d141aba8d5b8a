package dev.firmquery.ids;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to read and validate an ID input.
 *
 * @param type             integer or text IDs
 * @param textPattern      the pattern a text ID must match in full; required for {@link IdType#TEXT}
 * @param idColumn         for CSV/TSV/XLSX input: a header name (case-insensitive) or a 1-based column
 *                         number; {@code null} means the header {@code firm_root_id}, or the only
 *                         column of a one-column file
 * @param maxIds           more valid IDs than this is refused ({@code application.max_input_ids})
 * @param warningThreshold more valid IDs than this is warned about ({@code application.warning_threshold})
 * @param sheet            for XLSX input: the sheet to read, by name (case-insensitive, as in Excel);
 *                         {@code null} means the first sheet ({@code --sheet})
 */
public record IdLoadOptions(IdType type, Pattern textPattern, String idColumn, int maxIds, int warningThreshold,
                            String sheet) {
    public static final String DEFAULT_ID_COLUMN = "firm_root_id";
    /** The shipped {@code application.max_input_ids}. */
    public static final int DEFAULT_MAX_IDS = 1_000_000;
    /** The shipped {@code application.warning_threshold}. */
    public static final int DEFAULT_WARNING_THRESHOLD = 900_000;

    /** Options for the first sheet of a workbook. */
    public IdLoadOptions(IdType type, Pattern textPattern, String idColumn, int maxIds, int warningThreshold) {
        this(type, textPattern, idColumn, maxIds, warningThreshold, null);
    }

    /** Integer IDs, the default column and the shipped limits. */
    public static IdLoadOptions integers() {
        return new IdLoadOptions(IdType.INTEGER, null, null, DEFAULT_MAX_IDS, DEFAULT_WARNING_THRESHOLD);
    }

    /** Text IDs matching {@code pattern} in full, the default column and the shipped limits. */
    public static IdLoadOptions texts(Pattern pattern) {
        return new IdLoadOptions(IdType.TEXT, Objects.requireNonNull(pattern, "pattern"), null, DEFAULT_MAX_IDS,
                DEFAULT_WARNING_THRESHOLD);
    }

    /** A copy with {@link #idColumn()} replaced ({@code --id-column}). */
    public IdLoadOptions withIdColumn(String column) {
        return new IdLoadOptions(type, textPattern, column, maxIds, warningThreshold, sheet);
    }

    /** A copy with {@link #sheet()} replaced ({@code --sheet}). */
    public IdLoadOptions withSheet(String name) {
        return new IdLoadOptions(type, textPattern, idColumn, maxIds, warningThreshold, name);
    }

    /** A copy with the limits replaced. */
    public IdLoadOptions withLimits(int max, int warnAbove) {
        return new IdLoadOptions(type, textPattern, idColumn, max, warnAbove, sheet);
    }
}
