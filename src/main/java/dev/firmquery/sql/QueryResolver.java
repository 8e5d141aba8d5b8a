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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Finds query files: {@code --query} takes a file path or a name looked up as {@code **}{@code /NAME.sql}
 * under the query roots (the caller passes {@code sql/queries/} under the application home and under the
 * current directory). Roots that do not exist are skipped.
 */
public final class QueryResolver {
    private static final String EXTENSION = ".sql";

    private final List<Path> roots;

    /** @param queryRoots directories searched for names, in order */
    public QueryResolver(List<Path> queryRoots) {
        this.roots = List.copyOf(queryRoots);
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
        List<Path> matches = new ArrayList<>();
        for (Found found : scan()) {
            if (found.key().equals(key) || found.key().endsWith("/" + key)) {
                matches.add(found.path());
            }
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
     * Every query file under the roots, sorted by name and then path, with its description. Broken templates
     * are listed too; validation happens when one is loaded.
     *
     * @throws UncheckedIOException if a root cannot be walked or a file cannot be read; the message names it
     */
    public List<QueryInfo> list() {
        List<QueryInfo> infos = new ArrayList<>();
        for (Found found : scan()) {
            String text;
            try {
                text = new String(Files.readAllBytes(found.path()), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read query file " + found.path() + " (" + e
                        + "); check its permissions", e);
            }
            infos.add(new QueryInfo(nameOf(found.path()), found.path(), QueryTemplate.describe(text)));
        }
        infos.sort(Comparator.comparing(QueryInfo::name).thenComparing(QueryInfo::path));
        return List.copyOf(infos);
    }

    /** A query file with its path relative to its root, without extension and with '/' separators. */
    private record Found(Path path, String key) {
    }

    /** All {@code .sql} files under the roots; a file reachable from two roots counts once. */
    private List<Found> scan() {
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
            names = scan().stream().map(found -> nameOf(found.path())).distinct().sorted().toList();
        } catch (UncheckedIOException e) {
            return "(cannot list them: " + e.getMessage() + ")";
        }
        return names.isEmpty() ? "(none: no .sql files under " + describeRoots() + ")" : String.join(", ", names);
    }

    private String describeRoots() {
        return roots.isEmpty() ? "any query directory (none configured)"
                : roots.stream().map(root -> root.toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(", "));
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
