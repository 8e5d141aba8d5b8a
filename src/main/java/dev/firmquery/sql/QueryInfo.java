package dev.firmquery.sql;

import java.nio.file.Path;

/**
 * A query file found under the query roots, for lists ({@code firmquery queries}, the UI).
 *
 * @param name        the file name without {@code .sql}; what {@code --query NAME} takes
 * @param path        the file
 * @param description the first line's {@code --} comment, or empty
 */
public record QueryInfo(String name, Path path, String description) {
}
