package dev.firmquery.tui.input;

import dev.firmquery.tui.widget.Fmt;

import java.nio.file.Path;

/** Where the IDs of the next run come from: a file, or text pasted into the UI. */
sealed interface InputSource {

    /** How the source is named on screen. */
    String label();

    /**
     * An ID file.
     *
     * @param sheet the sheet of an {@code .xlsx} workbook chosen with the Sheet button ({@code --sheet}), or
     *              null for its first sheet
     */
    record File(Path path, String sheet) implements InputSource {
        /** A file whose first sheet (if it is a workbook) is read. */
        File(Path path) {
            this(path, null);
        }

        @Override
        public String label() {
            return sheet == null ? path.toString() : path + ", sheet '" + Fmt.printable(sheet) + "'";
        }
    }

    /** IDs pasted or typed into the paste window. */
    record Pasted(String text) implements InputSource {
        @Override
        public String label() {
            long lines = text.isEmpty() ? 0 : text.lines().count();
            return "pasted text (" + Fmt.plural(lines, "line", "lines") + ")";
        }
    }
}
