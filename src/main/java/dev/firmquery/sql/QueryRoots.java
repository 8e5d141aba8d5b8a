package dev.firmquery.sql;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The folders a query name is looked up in, highest first, each with the label {@code firmquery queries}
 * shows. Below them all come the queries built into the jar ({@link BuiltInQueries}).
 */
public final class QueryRoots {

    /**
     * One folder of query files.
     *
     * @param directory the folder (it may not exist; it is then skipped)
     * @param origin    how {@code firmquery queries} names it
     */
    public record Root(Path directory, String origin) {
    }

    private QueryRoots() {
    }

    /**
     * The standard look-up order: {@code ./sql/queries}; {@code ~/.config/firmquery/queries};
     * {@code systemFolder} ({@code /etc/firmquery/queries}); the installation's {@code sql/queries}. A folder
     * reached twice (the current directory is the installation, in a source checkout) keeps its first,
     * higher place.
     *
     * @param cwd          the current directory
     * @param userHome     the user's home
     * @param systemFolder the administrator's query folder, beside the system file
     * @param appHome      the installation, or {@code null}
     */
    public static List<Root> standard(Path cwd, Path userHome, Path systemFolder, Path appHome) {
        Map<Path, Root> roots = new LinkedHashMap<>();
        add(roots, cwd.resolve("sql").resolve("queries"), "./sql/queries");
        add(roots, userHome.resolve(".config").resolve("firmquery").resolve("queries"), "~/.config/firmquery/queries");
        add(roots, systemFolder, "system " + systemFolder);
        if (appHome != null) {
            add(roots, appHome.resolve("sql").resolve("queries"), "installation " + appHome.toAbsolutePath().normalize());
        }
        return List.copyOf(roots.values());
    }

    /** The folders of {@code roots}, in order. */
    public static List<Path> paths(List<Root> roots) {
        List<Path> paths = new ArrayList<>();
        for (Root root : roots) {
            paths.add(root.directory());
        }
        return paths;
    }

    private static void add(Map<Path, Root> roots, Path directory, String origin) {
        Path normal = directory.toAbsolutePath().normalize();
        roots.putIfAbsent(normal, new Root(normal, origin));
    }
}
