package dev.firmquery.ids;

import java.util.List;

/**
 * The outcome of loading an ID input: what was kept and why the rest was dropped.
 *
 * @param ids             distinct valid IDs in first-seen order
 * @param stats           counts
 * @param invalidExamples the first 20 invalid values with their line numbers
 * @param warnings        things the user should see but that do not stop the run (near the cap, ...)
 * @param source          where the IDs came from: a file path, or {@code "-"} for stdin / pasted text
 * @param sha256          hex SHA-256 of the raw input bytes, for the audit trail
 * @param columnName      the name of the ID column as found in the header, or {@code null} if the input had none
 */
public record IdLoadResult(IdList ids, IdStats stats, List<InvalidValue> invalidExamples, List<String> warnings,
                           String source, String sha256, String columnName) {
    public static final int MAX_INVALID_EXAMPLES = 20;

    public IdLoadResult {
        invalidExamples = List.copyOf(invalidExamples);
        warnings = List.copyOf(warnings);
    }

    /** The same result with {@code ids} in place of its IDs (the same IDs in another order). */
    public IdLoadResult withIds(IdList ids) {
        return new IdLoadResult(ids, stats, invalidExamples, warnings, source, sha256, columnName);
    }
}
