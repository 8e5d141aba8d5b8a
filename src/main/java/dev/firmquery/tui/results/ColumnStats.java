package dev.firmquery.tui.results;

import dev.firmquery.tui.widget.Fmt;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One column's statistics in the spirit of VisiData's frequency table: rows, non-empty values,
 * distinct values, minimum and maximum (as numbers when every value is one, else as text), and the
 * most frequent values. Memory is bounded: at most {@link #MAX_TRACKED} distinct values are counted;
 * past that the distinct count is a lower bound and the top values are those among the first ones
 * seen, which the lines say. Fed one value at a time on a background thread.
 */
final class ColumnStats {
    /** 100,000 distinct values: about 10 MB of counts at most. */
    static final int MAX_TRACKED = 100_000;
    static final int TOP = 8;

    private final String name;
    private long rows;
    private long nonEmpty;
    private final Map<String, long[]> counts = new HashMap<>();
    private boolean overflow;
    private boolean numeric = true;
    private BigDecimal minNumber;
    private BigDecimal maxNumber;
    private String minText;
    private String maxText;

    ColumnStats(String name) {
        this.name = name;
    }

    void add(String v) {
        rows++;
        if (v == null || v.isEmpty()) {
            return;
        }
        nonEmpty++;
        long[] c = counts.get(v);
        if (c != null) {
            c[0]++;
        } else if (counts.size() < MAX_TRACKED) {
            counts.put(v, new long[] {1});
        } else {
            overflow = true;
        }
        if (minText == null || v.compareTo(minText) < 0) {
            minText = v;
        }
        if (maxText == null || v.compareTo(maxText) > 0) {
            maxText = v;
        }
        if (numeric) {
            try {
                BigDecimal d = new BigDecimal(v.strip());
                minNumber = minNumber == null || d.compareTo(minNumber) < 0 ? d : minNumber;
                maxNumber = maxNumber == null || d.compareTo(maxNumber) > 0 ? d : maxNumber;
            } catch (NumberFormatException e) {
                numeric = false;
            }
        }
    }

    /** The lines of the statistics window. */
    List<String> lines() {
        List<String> l = new ArrayList<>();
        l.add("Column    " + name);
        l.add("Rows      " + Fmt.count(rows) + ", non-empty " + Fmt.count(nonEmpty) + ", empty " + Fmt.count(rows - nonEmpty));
        l.add("Distinct  " + (overflow ? "more than " + Fmt.count(MAX_TRACKED) + " (counting stops there)"
                : Fmt.count(counts.size())));
        if (nonEmpty > 0) {
            boolean asNumbers = numeric && minNumber != null;
            l.add("Min       " + (asNumbers ? minNumber.toPlainString() : minText) + (asNumbers ? " (as numbers)" : ""));
            l.add("Max       " + (asNumbers ? maxNumber.toPlainString() : maxText));
        }
        List<Map.Entry<String, long[]>> top = new ArrayList<>(counts.entrySet());
        top.sort(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0]).thenComparing(Map.Entry::getKey));
        l.add("Top values" + (overflow ? " (among the first " + Fmt.count(MAX_TRACKED) + " distinct)" : "") + ":");
        for (Map.Entry<String, long[]> e : top.subList(0, Math.min(TOP, top.size()))) {
            long n = e.getValue()[0];
            l.add(String.format(java.util.Locale.ROOT, "  %12s  %5.1f%%  %s", Fmt.count(n),
                    nonEmpty == 0 ? 0.0 : 100.0 * n / nonEmpty, Fmt.printable(e.getKey().replace('\n', ' '))));
        }
        return l;
    }
}
