package dev.firmquery.sql;

import java.nio.file.Path;

/**
 * A query file found under the query roots, for lists ({@code firmquery queries}, the UI).
 *
 * @param name        the file name without {@code .sql}; what {@code --query NAME} takes
 * @param path        the file (inside the jar for a built-in query: see {@link BuiltInQueries#describe})
 * @param description the first line's {@code --} comment, or empty
 * @param builtIn     whether it is one of the queries shipped inside firmquery rather than a file on disk
 */
public record QueryInfo(String name, Path path, String description, boolean builtIn) {
    /** A query file on disk. */
    public QueryInfo(String name, Path path, String description) {
        this(name, path, description, false);
    }

    /** Where it came from, for a user: the path on disk, or "built in" with the jar entry. */
    public String origin() {
        return builtIn ? "built in: " + BuiltInQueries.describe(path) : BuiltInQueries.describe(path);
    }
}
