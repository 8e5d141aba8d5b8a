package dev.firmquery.run;

import dev.firmquery.exit.ExitCode;
import dev.firmquery.export.Column;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the result column that holds the ID, for the list of IDs that returned no rows: the one
 * named by {@code --id-column-out}, else the one named like the input's ID column, else
 * {@value #DEFAULT_ID_COLUMN}. Never a guess: with none of them in the result, the run is refused
 * (a wrong column would list every ID as missing, or none).
 */
final class IdColumnCheck {
    /** The ID column's name when neither --id-column-out nor the input names one. */
    static final String DEFAULT_ID_COLUMN = "firm_root_id";

    private IdColumnCheck() {
    }

    /**
     * @return the index in {@code columns} of the ID column
     * @throws RunException ({@code USAGE}) naming the columns there are and how to name the right one
     */
    static int idColumn(RunRequest request, List<Column> columns) throws RunException {
        String wanted = request.idColumnOut();
        if (wanted != null && !wanted.isBlank()) {
            int at = indexOf(columns, wanted);
            if (at >= 0) {
                return at;
            }
            throw new RunException("the query " + request.template().name() + " has no result column '" + wanted
                    + "' (--id-column-out); its columns are " + labels(columns)
                    + ". Name the column that holds the ID, or add it to the SELECT list", ExitCode.USAGE);
        }
        List<String> candidates = new ArrayList<>();
        String inputName = request.input().columnName();
        if (inputName != null && !inputName.isBlank()) {
            candidates.add(inputName);
        }
        if (!candidates.contains(DEFAULT_ID_COLUMN)) {
            candidates.add(DEFAULT_ID_COLUMN);
        }
        for (String name : candidates) {
            int at = indexOf(columns, name);
            if (at >= 0) {
                return at;
            }
        }
        throw new RunException("the query " + request.template().name() + " returns no column named "
                + String.join(" or ", candidates.stream().map(c -> "'" + c + "'").toList())
                + ", so firmquery cannot tell which IDs returned no rows; its columns are " + labels(columns)
                + ". Name the ID column with --id-column-out NAME (firmquery run), or alias it in the SELECT list"
                + " (... AS " + candidates.get(0) + ")", ExitCode.USAGE);
    }

    private static int indexOf(List<Column> columns, String label) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).label().equalsIgnoreCase(label)) {
                return i;
            }
        }
        return -1;
    }

    private static String labels(List<Column> columns) {
        List<String> l = new ArrayList<>();
        for (Column c : columns) {
            l.add(c.label());
        }
        return String.join(", ", l);
    }
}
