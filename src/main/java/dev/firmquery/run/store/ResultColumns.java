package dev.firmquery.run.store;

import dev.firmquery.export.Column;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The result columns a run's spooled rows were written with. The first session records them in the
 * manifest; a resume whose statement now describes different columns (a column added, dropped,
 * renamed, reordered or of another type since: a schema change) is refused, because its new chunks'
 * rows would land under the old header, or the old chunks' rows under the new one.
 */
final class ResultColumns {
    private static final Logger log = LoggerFactory.getLogger(ResultColumns.class);

    private ResultColumns() {
    }

    /**
     * Refuses a session whose described {@code now} columns differ from those recorded in {@code m}.
     *
     * @throws RunStoreException naming the first difference, both column lists and the fix
     */
    static void checkUnchanged(RunDirectory dir, Manifest m, List<Column> now) throws RunStoreException {
        List<Column> then = m.columns();
        if (then == null) {
            log.warn("run {} in {} was started by a version that did not record its result columns; resuming "
                    + "without checking that the query still describes the same ones", m.runId(), dir.path());
            return;
        }
        String difference = firstDifference(then, now);
        if (difference != null) {
            throw new RunStoreException("the query of run " + m.runId() + " now describes different result columns"
                    + " than when the run started (" + difference + "; then " + list(then) + ", now " + list(now)
                    + "): the rows of its finished chunks have the old columns, so the files would mix two layouts."
                    + " Undo the schema change to finish this run, or start a new run (and delete " + dir.path() + ")");
        }
    }

    /** The first difference, as {@code column 3 was name varchar, is name text}; null when none. */
    static String firstDifference(List<Column> then, List<Column> now) {
        for (int i = 0; i < Math.max(then.size(), now.size()); i++) {
            Column a = i < then.size() ? then.get(i) : null;
            Column b = i < now.size() ? now.get(i) : null;
            if (a == null || b == null || !a.label().equals(b.label()) || !a.typeName().equals(b.typeName())
                    || a.kind() != b.kind()) {
                return "column " + (i + 1) + " was " + describe(a) + ", is " + describe(b);
            }
        }
        return null;
    }

    private static String describe(Column c) {
        return c == null ? "absent" : c.label() + " " + c.typeName();
    }

    private static String list(List<Column> columns) {
        StringBuilder b = new StringBuilder("(");
        for (Column c : columns) {
            b.append(b.length() > 1 ? ", " : "").append(c.label()).append(' ').append(c.typeName());
        }
        return b.append(')').toString();
    }
}
