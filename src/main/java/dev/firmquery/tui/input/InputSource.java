package dev.firmquery.tui.input;

import dev.firmquery.tui.widget.Fmt;

import java.nio.file.Path;

/** Where the IDs of the next run come from: a file, or text pasted into the UI. */
sealed interface InputSource {

    /** How the source is named on screen. */
    String label();

    /** An ID file. */
    record File(Path path) implements InputSource {
        @Override
        public String label() {
            return path.toString();
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
