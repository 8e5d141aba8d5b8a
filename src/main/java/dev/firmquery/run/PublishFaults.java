package dev.firmquery.run;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A test seam: failures injected at the steps of publishing a run's files, to prove that a resume
 * after a failure at any of them completes (docs/reliability.md, "Shared host"). {@link #NONE} in
 * production.
 */
interface PublishFaults {
    /** Injects nothing. */
    PublishFaults NONE = (step, kind, path) -> {
    };

    /** The steps, in the order one file goes through them; the journal lines come after every file. */
    enum Step {
        /** The intent is journalled; the file is not linked under its name yet. */
        BEFORE_LINK,
        /** The file is linked under its name; its temporary name is still there. */
        AFTER_LINK,
        /** Every file is in place; the journal's "published" line for this one is not written yet. */
        BEFORE_PUBLISHED_LINE,
        /** Every "published" line is written; the run's end is not. */
        BEFORE_FINISHED_LINE
    }

    /** Called at {@code step} for the file of {@code kind} at {@code path} (null for the end line). */
    void at(Step step, String kind, Path path) throws IOException;
}
