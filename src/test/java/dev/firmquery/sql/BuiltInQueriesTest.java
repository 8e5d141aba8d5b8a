package dev.firmquery.sql;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.firmquery.sql.Templates.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The queries shipped inside the jar are the last place a name is looked up: found when no folder on disk
 * has the name, hidden by a file of the same name, and read straight from the jar.
 */
class BuiltInQueriesTest {
    private static final Path SHIPPED = Paths.get(System.getProperty("firmquery.home", "")).resolve("sql/queries");

    @TempDir
    Path dir;
    Path disk;
    Path builtIn;

    @BeforeEach
    void roots() throws IOException {
        disk = Files.createDirectories(dir.resolve("cwd/sql/queries"));
        builtIn = Files.createDirectories(dir.resolve("jar/sql/queries"));
    }

    private QueryResolver resolver() {
        return new QueryResolver(List.of(disk), builtIn);
    }

    private static Path query(Path root, String relative, String firstLine) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, firstLine + "\n" + Templates.FIRM_NAMES);
    }

    @Test
    void aNameNoFolderHasIsFoundAmongTheBuiltInQueries() throws Exception {
        Path shipped = query(builtIn, "firm_names.sql", "-- shipped");
        assertEquals(shipped, resolver().resolve("firm_names"));
    }

    @Test
    void aFileOnDiskHidesTheBuiltInQueryOfTheSameName() throws Exception {
        query(builtIn, "firm_names.sql", "-- shipped");
        Path own = query(disk, "mine/firm_names.sql", "-- my own");
        assertEquals(own, resolver().resolve("firm_names"));
        assertEquals(List.of(new QueryInfo("firm_names", own, "my own")), resolver().list());
    }

    @Test
    void theListMarksBuiltInQueriesAndSaysWhereEachCameFrom() throws Exception {
        Path own = query(disk, "firm_details.sql", "-- my details");
        Path shipped = query(builtIn, "firm_names.sql", "-- shipped names");
        List<QueryInfo> list = resolver().list();
        assertEquals(List.of(new QueryInfo("firm_details", own, "my details", false),
                new QueryInfo("firm_names", shipped, "shipped names", true)), list);
        assertEquals(own.toString(), list.get(0).origin());
        assertEquals("built in: " + shipped, list.get(1).origin());
    }

    @Test
    void anUnknownNameListsTheBuiltInQueriesToo() throws Exception {
        query(builtIn, "firm_names.sql", "-- shipped");
        String message = assertThrows(TemplateException.class, () -> resolver().resolve("firm_nam")).getMessage();
        assertMentions(message, "query 'firm_nam' not found", disk.toString(), "or among the built-in queries",
                "Available queries: firm_names");
    }

    @Test
    void queriesAreReadStraightFromAJar() throws Exception {
        Path jar = jar(dir.resolve("firmquery.jar"), Map.of(
                "sql/queries/firm_names.sql", "-- in the jar\n" + Templates.FIRM_NAMES,
                "dev/firmquery/Other.class", "not a query"));
        Path folder = BuiltInQueries.in(jar).orElseThrow();
        try {
            QueryResolver resolver = new QueryResolver(List.of(disk), folder);
            Path found = resolver.resolve("firm_names");
            assertTrue(BuiltInQueries.isInsideJar(found));
            assertEquals("jar:" + jar.toUri() + "!/sql/queries/firm_names.sql", BuiltInQueries.describe(found));
            assertEquals(List.of("firm_names"), resolver.list().stream().map(QueryInfo::name).toList());
            QueryTemplate template = QueryTemplate.load(found, false);
            assertEquals("in the jar", template.description());
            assertMentions(template.locate(0), "jar:file:", "firmquery.jar!/sql/queries/firm_names.sql:1:1");
        } finally {
            folder.getFileSystem().close();
        }
    }

    @Test
    void aJarOrFolderWithoutQueriesHasNoBuiltInRoot() throws Exception {
        Path jar = jar(dir.resolve("other.jar"), Map.of("README", "no queries here"));
        assertEquals(Optional.empty(), BuiltInQueries.in(jar));
        assertEquals(Optional.empty(), BuiltInQueries.in(dir.resolve("empty-classes")));
        assertEquals(Optional.empty(), BuiltInQueries.in(Files.writeString(dir.resolve("not-a.jar"), "plain text")));
    }

    @Test
    void theBuildShipsEveryQueryOfSqlQueriesInsideFirmquery() throws Exception {
        Path root = BuiltInQueries.root().orElseThrow(() -> new AssertionError(
                "no sql/queries next to the classes: the build must copy sql/queries/ into the jar"));
        List<QueryInfo> onDisk = new QueryResolver(List.of(SHIPPED)).list();
        assertFalse(onDisk.isEmpty());
        for (QueryInfo query : onDisk) {
            Path copy = root.resolve(SHIPPED.relativize(query.path()).toString());
            assertArrayEquals(Files.readAllBytes(query.path()), Files.readAllBytes(copy), copy::toString);
        }
    }

    private static Path jar(Path file, Map<String, String> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return file;
    }
}
