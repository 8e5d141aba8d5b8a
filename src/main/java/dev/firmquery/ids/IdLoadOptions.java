package dev.firmquery.ids;

import java.util.regex.Pattern;

/**
 * How to read and validate an ID input.
 *
 * @param type             integer or text IDs
 * @param textPattern      the pattern a text ID must match in full; required for {@link IdType#TEXT}
 * @param idColumn         for CSV/TSV input: a header name (case-insensitive) or a 1-based column
 *                         number; {@code null} means the header {@code firm_root_id}, or the only
 *                         column of a one-column file
 * @param maxIds           more valid IDs than this is refused ({@code application.max_input_ids})
 * @param warningThreshold more valid IDs than this is warned about ({@code application.warning_threshold})
 */
public record IdLoadOptions(IdType type, Pattern textPattern, String idColumn, int maxIds, int warningThreshold) {
    public static final String DEFAULT_ID_COLUMN = "firm_root_id";
}
