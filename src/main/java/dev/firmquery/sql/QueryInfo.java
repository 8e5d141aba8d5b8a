package dev.firmquery.sql;

import java.nio.file.Path;

/**
 * A query file found under the query roots, for lists ({@code firmquery queries}, the UI).
 *
 * @param name        the file name without {@code .sql}; what {@code --query NAME} takes
 * @param path        the file (inside the jar for a built-in query: see {@link BuiltInQueries#describe})
 * @param description the first line's {@code --} comment, or empty
 * @param builtIn     whether it is one of the queries shipped inside firmquery rather than a file on disk
 * @param root        the query root it was found in, as {@code firmquery queries} names it
 *                    ({@code ./sql/queries}, {@code /etc/firmquery/queries}, {@code built in}...), or
 *                    {@code null} when not asked for
 * @param shadowedBy  the file its name resolves to instead (a higher root has the same name), or {@code null}
 */
public record QueryInfo(String name, Path path, String description, boolean builtIn, String root, Path shadowedBy) {
    /** A query file on disk. */
    public QueryInfo(String name, Path path, String description) {
        this(name, path, description, false);
    }

    /** A query file, without its root. */
    public QueryInfo(String name, Path path, String description, boolean builtIn) {
        this(name, path, description, builtIn, null, null);
    }

    /** This query as found in {@code root}, hidden by {@code shadowedBy} (or {@code null}). */
    QueryInfo withRoot(String root, Path shadowedBy) {
        return new QueryInfo(name, path, description, builtIn, root, shadowedBy);
    }

    /** Whether a query of the same name in a higher root is the one {@code --query NAME} runs. */
    public boolean shadowed() {
        return shadowedBy != null;
    }

    /** Where it came from, for a user: the path on disk, or "built in" with the jar entry. */
    public String origin() {
        return builtIn ? "built in: " + BuiltInQueries.describe(path) : BuiltInQueries.describe(path);
    }
}
