package dev.firmquery.tui.unfinished;

import dev.firmquery.run.store.RunStore;
import dev.firmquery.run.store.UnfinishedRun;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * How the UI shows the runs an output directory holds that can still be finished ("Resume" in the UI,
 * which lists unfinished runs at start). Listing, probing and deleting them is the run store's
 * ({@link RunStore#unfinished}, {@link RunStore#delete}); resuming one is
 * {@link dev.firmquery.tui.progress.Rerun#resume}. This class only words them; {@link UnfinishedRunsDialog}
 * draws the list.
 */
public final class UnfinishedRuns {
    /** The name of the folder the engine keeps run directories in, under the output directory. */
    public static final String WORK_FOLDER = RunStore.DIR_NAME;

    private UnfinishedRuns() {
    }

    /** The word for how a run was left, as the list's status column shows it. */
    public static String label(UnfinishedRun.State state) {
        return switch (state) {
            case INTERRUPTED -> "interrupted";
            case PARTIAL -> "partial";
            case FAILED -> "failed";
            case CANCELLED -> "cancelled";
            case INTERNAL_ERROR -> "internal error";
            case IN_USE -> "in use";
            case DAMAGED -> "damaged";
        };
    }

    /** The status column: {@code cancelled}, or {@code damaged: <why>}. */
    public static String status(UnfinishedRun run) {
        return run.state() == UnfinishedRun.State.DAMAGED ? "damaged: " + run.problem() : label(run.state());
    }

    /** The ID file's name ({@code demo_sample_ids.csv}), or the source as it is when it is not a path. */
    public static String inputName(UnfinishedRun run) {
        String inputSource = run.inputSource();
        if (inputSource == null) {
            return "";
        }
        if ("-".equals(inputSource)) {
            return "standard input";
        }
        if (!inputSource.contains("/")) {
            return inputSource;
        }
        try {
            Path name = Path.of(inputSource).getFileName();
            return name == null ? inputSource : name.toString();
        } catch (InvalidPathException e) {
            return inputSource;
        }
    }
}
