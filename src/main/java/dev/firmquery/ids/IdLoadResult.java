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
 * @param sheets          an {@code .xlsx} workbook's sheet names in the workbook's order (at most
 *                        {@link #MAX_SHEETS_LISTED}); empty for any other input
 * @param sheet           the name of the sheet read, as the workbook spells it; {@code null} for any other input
 */
public record IdLoadResult(IdList ids, IdStats stats, List<InvalidValue> invalidExamples, List<String> warnings,
                           String source, String sha256, String columnName, List<String> sheets, String sheet) {
    public static final int MAX_INVALID_EXAMPLES = 20;
    /** Sheet names kept at most: Excel allows as many sheets as memory does, a list to pick from does not need them. */
    public static final int MAX_SHEETS_LISTED = 200;

    public IdLoadResult {
        invalidExamples = List.copyOf(invalidExamples);
        warnings = List.copyOf(warnings);
        sheets = sheets == null ? List.of() : List.copyOf(sheets);
    }

    /** The result of an input that is not a workbook: no sheets. */
    public IdLoadResult(IdList ids, IdStats stats, List<InvalidValue> invalidExamples, List<String> warnings,
                        String source, String sha256, String columnName) {
        this(ids, stats, invalidExamples, warnings, source, sha256, columnName, List.of(), null);
    }

    /** The same result with {@code ids} in place of its IDs (the same IDs in another order). */
    public IdLoadResult withIds(IdList ids) {
        return new IdLoadResult(ids, stats, invalidExamples, warnings, source, sha256, columnName, sheets, sheet);
    }
}
