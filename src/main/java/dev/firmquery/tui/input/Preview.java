package dev.firmquery.tui.input;

import dev.firmquery.chunk.ChunkPlan;
import dev.firmquery.ids.IdLoadResult;
import dev.firmquery.sql.QueryTemplate;

import java.util.List;

/**
 * What loading an input found out, shown in the input window before anything touches the database.
 * Loading goes as far as it can: an unusable template still shows the ID counts.
 *
 * @param source   where the IDs came from
 * @param idColumn the ID column asked for (blank: automatic)
 * @param query    the query name or path as chosen
 * @param input    the cleaned IDs, or null if they could not be read
 * @param template the validated template, or null
 * @param plan     the chunk plan, or null
 * @param problems what stops a run, with how to fix it (empty: the input can run)
 * @param warnings what matters for the run but does not stop it (low disk space in the output folder)
 */
record Preview(InputSource source, String idColumn, String query, IdLoadResult input, QueryTemplate template,
               ChunkPlan plan, List<String> problems, List<String> warnings) {

    Preview {
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
    }

    Preview(InputSource source, String idColumn, String query, IdLoadResult input, QueryTemplate template,
            ChunkPlan plan, List<String> problems) {
        this(source, idColumn, query, input, template, plan, problems, List.of());
    }

    /** Whether Run may start this input. */
    boolean runnable() {
        return problems.isEmpty() && input != null && template != null && plan != null && plan.size() > 0;
    }
}
