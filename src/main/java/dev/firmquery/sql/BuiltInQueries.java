package dev.firmquery.sql;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;

/**
 * The query templates shipped inside firmquery itself: {@code sql/queries/} of the jar (or of the classes
 * directory) that this class was loaded from. They are the lowest-priority query root, so a
 * {@code firmquery.jar} copied alone into an empty folder still finds {@code firm_details}; any file of
 * the same name under a query directory on disk hides the built-in one.
 *
 * <p>Files in a jar are read through the JDK's zip file system (module {@code jdk.zipfs}); the jar is
 * opened read-only once per process and stays open, like the class loader's own handle on it.
 */
public final class BuiltInQueries {
    /** Where the build puts the shipped queries, relative to the jar's root. */
    static final String FOLDER = "sql/queries";

    private BuiltInQueries() {
    }

    /** The built-in query folder of this firmquery, or empty when its code has none (classes built elsewhere). */
    public static Optional<Path> root() {
        return Holder.ROOT;
    }

    /**
     * The {@code sql/queries} folder inside a jar or classes directory.
     *
     * @param codeSource a jar file (opened read-only with the zip file system) or a classes directory
     * @return the folder, or empty when {@code codeSource} has none or cannot be opened as a jar
     */
    static Optional<Path> in(Path codeSource) {
        if (Files.isDirectory(codeSource)) {
            Path folder = codeSource.resolve(FOLDER);
            return Files.isDirectory(folder) ? Optional.of(folder) : Optional.empty();
        }
        if (!Files.isRegularFile(codeSource)) {
            return Optional.empty();
        }
        FileSystem jar;
        try {
            jar = FileSystems.newFileSystem(codeSource);
        } catch (IOException | RuntimeException e) {
            // Not a readable jar (or no zip file system in this runtime): there are no built-in queries.
            return Optional.empty();
        }
        Path folder = jar.getPath("/" + FOLDER);
        if (Files.isDirectory(folder)) {
            return Optional.of(folder);
        }
        try {
            jar.close();
        } catch (IOException e) {
            // Nothing was read from it; a failed close of a read-only jar loses nothing.
        }
        return Optional.empty();
    }

    /** Whether {@code file} is one of the built-in queries (read from inside a jar, not from disk). */
    public static boolean isInsideJar(Path file) {
        return file.getFileSystem() != FileSystems.getDefault();
    }

    /**
     * How to name a query file to a user: its path on disk, or for a file inside the jar its URI
     * ({@code jar:file:///opt/firmquery/lib/firmquery.jar!/sql/queries/firm_details.sql}), so it is
     * never mistaken for a path on disk.
     */
    public static String describe(Path file) {
        return isInsideJar(file) ? file.toUri().toString() : file.toString();
    }

    /** Opened on first use: most commands never look a query up. */
    private static final class Holder {
        static final Optional<Path> ROOT = locate();

        private static Optional<Path> locate() {
            try {
                CodeSource source = BuiltInQueries.class.getProtectionDomain().getCodeSource();
                if (source == null || source.getLocation() == null) {
                    return Optional.empty();
                }
                return in(Path.of(source.getLocation().toURI()));
            } catch (URISyntaxException | RuntimeException e) {
                // An unusual class loader (not a file or jar on disk): no built-in queries, the folders still work.
                return Optional.empty();
            }
        }
    }
}
