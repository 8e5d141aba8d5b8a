package dev.firmquery.app;

import dev.firmquery.ids.IdLoadResult;
import dev.firmquery.run.RunException;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunSetup;
import dev.firmquery.sql.QueryTemplate;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How a run gets its request, and what the audit log records when it is refused: a new run from the
 * user's choices, or the resume or retry of a run directory. {@link RunService#prepare} runs it.
 *
 * @param description what is being run, for the log and, when there are no choices, the audit line
 *                    (e.g. "run directory /out/.firmquery/20240501-...")
 * @param choices     the user's choices of a new run, or null for a resume
 * @param preparer    builds the request
 */
public record Preparation(String description, RunSetup.Choices choices, Preparer preparer) {

    /** Builds a request (a new run, or the resume of an earlier one). */
    @FunctionalInterface
    public interface Preparer {
        /** @throws RunException when the input, the template or the run directory cannot be used */
        RunRequest prepare(RunSetup setup) throws RunException;
    }

    public Preparation {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(preparer, "preparer");
    }

    /** A new run: loads the ID input and the template named in {@code choices}. */
    public static Preparation newRun(RunSetup.Choices choices) {
        String input = choices.ids() == null ? "standard input" : choices.ids().toString();
        return new Preparation(choices.query() + " over " + input, choices, setup -> setup.prepare(choices));
    }

    /** A new run over an input and template loaded already (the UI's preview). */
    public static Preparation newRun(RunSetup.Choices choices, IdLoadResult ids, QueryTemplate template) {
        return new Preparation(template.name() + " over " + ids.source(), choices,
                setup -> setup.prepare(choices, ids, template));
    }

    /** {@code --resume DIR}: the failed and not-run chunks of the run in {@code directory}. */
    public static Preparation resume(Path directory) {
        return resume(directory, Map.of());
    }

    /**
     * {@code --resume DIR} with {@code --param} values, which must be those the run started with
     * ({@link RunSetup#resume(Path, boolean, Map)}).
     */
    public static Preparation resume(Path directory, Map<String, String> params) {
        return new Preparation("run directory " + directory, null, setup -> setup.resume(directory, false, params));
    }

    /** {@code --retry-failed DIR}: only the failed chunks of the finished run in {@code directory}. */
    public static Preparation retryFailed(Path directory) {
        return retryFailed(directory, Map.of());
    }

    /** {@code --retry-failed DIR} with {@code --param} values, which must be those the run started with. */
    public static Preparation retryFailed(Path directory, Map<String, String> params) {
        return new Preparation("run directory " + directory, null, setup -> setup.resume(directory, true, params));
    }

    /** The same preparation whose request keeps its run directory even when it completes ({@code --keep-work}). */
    public Preparation keepingWork(boolean keepWork) {
        Preparer inner = preparer;
        return new Preparation(description, choices, setup -> inner.prepare(setup).withKeepWork(keepWork));
    }
}
