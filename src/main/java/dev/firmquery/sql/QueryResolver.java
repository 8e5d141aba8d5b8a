package dev.firmquery.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds query files: {@code --query} takes a file path or a name looked up as {@code **}{@code /NAME.sql}
 * under the query roots, highest first ({@link QueryRoots#standard}: {@code ./sql/queries},
 * {@code ~/.config/firmquery/queries}, {@code /etc/firmquery/queries}, the installation's
 * {@code sql/queries}). The first root that has the name wins and hides the same name in the roots below
 * it; two files of one name in the same root are ambiguous. Roots that do not exist are skipped. Below
 * them all may come a built-in root, the queries shipped inside the jar ({@link BuiltInQueries}): a name
 * is looked up there only when no folder on disk has it, and a built-in query with the name of a file on
 * disk is not listed by {@link #list()} ({@link #listAll()} lists it as shadowed).
 */
public final class QueryResolver {
    private static final String EXTENSION = ".sql";

    private final List<Path> roots;
    private final Path builtIn;
    /** Each root's label for {@link #listAll()} ({@code ./sql/queries}, {@code installation}...), where known. */
    private final Map<Path, String> labels = new java.util.HashMap<>();

    /** @param queryRoots directories searched for names, in order; no built-in queries */
    public QueryResolver(List<Path> queryRoots) {
        this(queryRoots, null);
    }

    /**
     * @param queryRoots directories searched for names, in order
     * @param builtIn    the lowest-priority root, consulted only for names no directory has; or {@code null}
     */
    public QueryResolver(List<Path> queryRoots, Path builtIn) {
        this.roots = List.copyOf(queryRoots);
        this.builtIn = builtIn;
    }

    /** The application's resolver: {@code queryRoots}, then the queries built into this firmquery's jar. */
    public static QueryResolver withBuiltIns(List<Path> queryRoots) {
        return new QueryResolver(queryRoots, BuiltInQueries.root().orElse(null));
    }

    /** The application's resolver over labelled roots, which {@link #listAll()} names. */
    public static QueryResolver labelled(List<QueryRoots.Root> roots) {
        QueryResolver resolver = withBuiltIns(QueryRoots.paths(roots));
        for (QueryRoots.Root root : roots) {
            resolver.labels.putIfAbsent(root.directory().toAbsolutePath().normalize(), root.origin());
        }
        return resolver;
    }

    /**
     * The query file for {@code --query}. An existing file path wins; otherwise the argument is a name, with
     * or without {@code .sql}, optionally with leading directories ({@code reports/firm_details}), matched
     * against the files' paths relative to each root.
     *
     * @throws TemplateException when nothing matches (the message lists the available names) or when a name
     *                           matches two files (the message lists both)
     */
    public Path resolve(String pathOrName) throws TemplateException {
        String given = pathOrName == null ? "" : pathOrName.strip();
        if (given.isEmpty()) {
            throw new TemplateException("--query is empty; pass a query file path or one of the names "
                    + availableNames());
        }
        Path asPath = asPath(given);
        if (asPath != null && Files.isRegularFile(asPath)) {
            return asPath.toAbsolutePath().normalize();
        }
        if (asPath != null && Files.isDirectory(asPath)) {
            throw new TemplateException(given + " is a directory; --query takes one .sql file or a query name"
                    + " such as " + availableNames());
        }
        String key = given.replace('\\', '/');
        while (key.startsWith("./")) {
            key = key.substring(2);
        }
        if (key.regionMatches(true, Math.max(0, key.length() - EXTENSION.length()), EXTENSION, 0,
                EXTENSION.length())) {
            key = key.substring(0, key.length() - EXTENSION.length());
        }
        List<Path> matches = List.of();
        for (Path root : roots) {
            matches = matching(scan(List.of(root)), key);
            if (!matches.isEmpty()) {
                break; // the highest root with the name wins
            }
        }
        if (matches.isEmpty() && builtIn != null) {
            matches = matching(scanBuiltIn(), key);
        }
        if (matches.isEmpty()) {
            throw new TemplateException("query '" + given + "' not found: no such file, and no " + key + EXTENSION
                    + " under " + describeRoots() + ". Available queries: " + availableNames()
                    + ". Pass an existing .sql file path or one of these names.");
        }
        if (matches.size() > 1) {
            throw new TemplateException("query name '" + given + "' is ambiguous: it matches "
                    + matches.stream().map(Path::toString).collect(Collectors.joining(" and "))
                    + ". Pass the file path instead, or a longer name with its directory.");
        }
        return matches.get(0);
    }

    /**
     * Every query file under the roots, sorted by name and then path, with its description; then the
     * built-in queries whose names no file on disk has. Broken templates are listed too; validation happens
     * when one is loaded.
     *
     * @throws UncheckedIOException if a root cannot be walked or a file cannot be read; the message names it
     */
    public List<QueryInfo> list() {
        List<QueryInfo> infos = new ArrayList<>();
        Set<String> onDisk = new HashSet<>();
        for (Found found : scan()) {
            infos.add(info(found, false));
            onDisk.add(nameOf(found.path()));
        }
        for (Found found : scanBuiltIn()) {
            if (!onDisk.contains(nameOf(found.path()))) {
                infos.add(info(found, true));
            }
        }
        infos.sort(Comparator.comparing(QueryInfo::name).thenComparing(QueryInfo::builtIn)
                .thenComparing(info -> info.path().toString()));
        return List.copyOf(infos);
    }

    /**
     * Every query file of every root, built-in ones included, each with the root it came from and, when a
     * higher root has a query of the same name, the file that name resolves to instead; sorted by name,
     * then in look-up order (the one a name resolves to first).
     *
     * @throws UncheckedIOException as {@link #list()}
     */
    public List<QueryInfo> listAll() {
        List<QueryInfo> infos = new ArrayList<>();
        Map<String, Path> winners = new java.util.HashMap<>();
        Set<Path> seen = new HashSet<>();
        List<Path> all = new ArrayList<>(roots);
        if (builtIn != null) {
            all.add(builtIn);
        }
        for (Path root : all) {
            boolean isBuiltIn = root == builtIn;
            String label = isBuiltIn ? "built in" : labels.getOrDefault(root.toAbsolutePath().normalize(),
                    root.toAbsolutePath().normalize().toString());
            Map<String, Path> inThisRoot = new java.util.HashMap<>();
            for (Found found : scan(List.of(root))) {
                if (!seen.add(realPath(found.path()))) {
                    continue; // the same folder reached twice
                }
                String name = nameOf(found.path());
                Path winner = winners.get(name);
                infos.add(info(found, isBuiltIn).withRoot(label, winner));
                inThisRoot.putIfAbsent(name, found.path());
            }
            inThisRoot.forEach(winners::putIfAbsent);
        }
        List<QueryInfo> sorted = new ArrayList<>();
        infos.stream().map(QueryInfo::name).distinct().sorted().forEach(name -> {
            for (QueryInfo info : infos) {
                if (info.name().equals(name)) {
                    sorted.add(info);
                }
            }
        });
        return List.copyOf(sorted);
    }

    private static Path realPath(Path file) {
        try {
            return BuiltInQueries.isInsideJar(file) ? file : file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();
        }
    }

    private static QueryInfo info(Found found, boolean builtIn) {
        String text;
        try {
            text = new String(Files.readAllBytes(found.path()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read query file " + BuiltInQueries.describe(found.path()) + " ("
                    + e + "); check its permissions", e);
        }
        return new QueryInfo(nameOf(found.path()), found.path(), QueryTemplate.describe(text), builtIn);
    }

    private static List<Path> matching(List<Found> found, String key) {
        List<Path> matches = new ArrayList<>();
        for (Found f : found) {
            if (f.key().equals(key) || f.key().endsWith("/" + key)) {
                matches.add(f.path());
            }
        }
        return matches;
    }

    /** A query file with its path relative to its root, without extension and with '/' separators. */
    private record Found(Path path, String key) {
    }

    /** All {@code .sql} files under the roots; a file reachable from two roots counts once. */
    private List<Found> scan() {
        return scan(roots);
    }

    private List<Found> scanBuiltIn() {
        return builtIn == null ? List.of() : scan(List.of(builtIn));
    }

    private static List<Found> scan(List<Path> roots) {
        Map<Path, Found> byRealPath = new LinkedHashMap<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            Path base = root.toAbsolutePath().normalize();
            List<Path> files = new ArrayList<>();
            try {
                Files.walkFileTree(base, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        if (attributes.isRegularFile() && isSqlFile(file)) {
                            files.add(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
                files.sort(Comparator.naturalOrder());
                for (Path file : files) {
                    String relative = base.relativize(file).toString().replace('\\', '/');
                    String key = relative.substring(0, relative.length() - EXTENSION.length());
                    byRealPath.putIfAbsent(file.toRealPath(), new Found(file, key));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot search query directory " + base + " (" + e
                        + "); check its permissions or remove it from the query roots", e);
            }
        }
        return List.copyOf(byRealPath.values());
    }

    private String availableNames() {
        List<String> names;
        try {
            List<Found> all = new ArrayList<>(scan());
            all.addAll(scanBuiltIn());
            names = all.stream().map(found -> nameOf(found.path())).distinct().sorted().toList();
        } catch (UncheckedIOException e) {
            return "(cannot list them: " + e.getMessage() + ")";
        }
        return names.isEmpty() ? "(none: no .sql files under " + describeRoots() + ")" : String.join(", ", names);
    }

    private String describeRoots() {
        String dirs = roots.isEmpty() ? "any query directory (none configured)"
                : roots.stream().map(root -> root.toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(", "));
        return builtIn == null ? dirs : dirs + " or among the built-in queries";
    }

    private static boolean isSqlFile(Path file) {
        String name = file.getFileName().toString();
        return name.length() > EXTENSION.length()
                && name.regionMatches(true, name.length() - EXTENSION.length(), EXTENSION, 0, EXTENSION.length());
    }

    private static String nameOf(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - EXTENSION.length());
    }

    private static Path asPath(String given) {
        try {
            return Path.of(given);
        } catch (InvalidPathException e) {
            // Not a usable path on this platform (e.g. a NUL byte); it can still be looked up as a name.
            return null;
        }
    }
}
