package dev.firmquery.ids;

import java.util.Locale;

/** How an ID input is laid out. */
public enum InputFormat {
    /** Values separated by any blank characters, commas or semicolons; an optional one-word header line. */
    TEXT,
    /** Delimited records (delimiter {@code ,} {@code ;} tab or {@code |}, decided once) with an ID column. */
    CSV,
    /** Tab-separated records with an ID column. */
    TSV,
    /** An Excel workbook (Office Open XML): one sheet, read like CSV records, with an ID column. */
    XLSX,
    /**
     * Decided from the first non-blank line: {@link #CSV} if it contains a delimiter and a header-like
     * field (a name that is not an ID), else {@link #TEXT}. For stdin and pasted text.
     */
    AUTO;

    /**
     * {@code .csv} is {@link #CSV}, {@code .tsv} and {@code .tab} are {@link #TSV}, {@code .xlsx} and
     * {@code .xlsm} (the same format with macros, which are never run) are {@link #XLSX}, anything else
     * {@link #TEXT}.
     */
    public static InputFormat forFileName(String name) {
        if (name == null) {
            return TEXT;
        }
        String lower = name.strip().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".csv")) {
            return CSV;
        }
        if (lower.endsWith(".tsv") || lower.endsWith(".tab")) {
            return TSV;
        }
        if (lower.endsWith(".xlsx") || lower.endsWith(".xlsm")) {
            return XLSX;
        }
        return TEXT;
    }
}
