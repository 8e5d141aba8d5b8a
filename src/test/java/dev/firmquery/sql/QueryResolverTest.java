package dev.firmquery.sql;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.firmquery.sql.Templates.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class QueryResolverTest {
    @TempDir
    Path dir;
    Path home;
    Path local;

    @BeforeEach
    void roots() throws IOException {
        home = Files.createDirectories(dir.resolve("home/sql/queries"));
        local = Files.createDirectories(dir.resolve("cwd/sql/queries"));
    }

    private QueryResolver resolver() {
        return new QueryResolver(List.of(home, local));
    }

    private Path query(Path root, String relative, String firstLine) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, firstLine + "\n" + Templates.FIRM_NAMES);
    }

    @Test
    void existingFilePathWinsOverNames() throws Exception {
        query(home, "firm_names.sql", "-- by name");
        Path elsewhere = query(dir, "other/firm_names.sql", "-- by path");
        assertEquals(elsewhere.toAbsolutePath().normalize(), resolver().resolve(elsewhere.toString()));
    }

    @Test
    void nameIsFoundWithOrWithoutExtension() throws Exception {
        Path file = query(home, "firm_names.sql", "-- names");
        assertEquals(file, resolver().resolve("firm_names"));
        assertEquals(file, resolver().resolve("firm_names.sql"));
    }

    @Test
    void nameIsFoundInNestedDirectoriesOfAnyRoot() throws Exception {
        Path file = query(local, "reports/2024/firm_names.sql", "-- nested");
        assertEquals(file, resolver().resolve("firm_names"));
    }

    @Test
    void nameWithDirectoryPicksBetweenFilesOfTheSameName() throws Exception {
        query(home, "a/firm_names.sql", "-- a");
        Path b = query(home, "b/firm_names.sql", "-- b");
        assertEquals(b, resolver().resolve("b/firm_names"));
    }

    @Test
    void unknownNameIsRefusedWithTheAvailableNames() throws Exception {
        query(home, "firm_names.sql", "-- names");
        query(local, "x/firm_details.sql", "-- details");
        String message = assertThrows(TemplateException.class, () -> resolver().resolve("firm_detail")).getMessage();
        assertMentions(message, "query 'firm_detail' not found", "firm_detail.sql", home.toString(),
                "Available queries: firm_details, firm_names");
    }

    @Test
    void unknownNameWithNoQueriesAtAllSaysSo() {
        String message = assertThrows(TemplateException.class, () -> resolver().resolve("anything")).getMessage();
        assertMentions(message, "(none: no .sql files under");
    }

    @Test
    void nameMatchingTwoFilesOfOneRootIsRefusedListingBoth() throws Exception {
        Path first = query(local, "new/firm_names.sql", "-- new");
        Path second = query(local, "old/firm_names.sql", "-- old");
        String message = assertThrows(TemplateException.class, () -> resolver().resolve("firm_names")).getMessage();
        assertMentions(message, "ambiguous", first.toString(), second.toString(), "Pass the file path");
    }

    @Test
    void theHighestRootWithTheNameWinsOverTheRootsBelow() throws Exception {
        Path higher = query(home, "firm_names.sql", "-- first root");
        query(local, "old/firm_names.sql", "-- second root");
        assertEquals(higher, resolver().resolve("firm_names"));
    }

    @Test
    void listAllNamesEachRootAndMarksTheQueriesAHigherRootShadows() throws Exception {
        Path mine = query(local, "firm_names.sql", "-- mine");
        Path admins = query(home, "firm_names.sql", "-- the administrator's");
        Path only = query(home, "firm_details.sql", "-- details");
        QueryResolver resolver = QueryResolver.labelled(List.of(new QueryRoots.Root(local, "./sql/queries"),
                new QueryRoots.Root(home, "system /etc/firmquery/queries")));

        assertEquals(List.of(
                        new QueryInfo("firm_details", only, "details", false, "system /etc/firmquery/queries", null),
                        new QueryInfo("firm_names", mine, "mine", false, "./sql/queries", null),
                        new QueryInfo("firm_names", admins, "the administrator's", false, "system /etc/firmquery/queries",
                                mine)),
                resolver.listAll().stream().filter(q -> !q.builtIn()).toList());
    }

    @Test
    void listAllMarksABuiltInQueryAFileOnDiskShadows() throws Exception {
        Path mine = query(local, "firm_details.sql", "-- mine");
        QueryInfo builtIn = QueryResolver.labelled(List.of(new QueryRoots.Root(local, "./sql/queries"))).listAll()
                .stream().filter(q -> q.builtIn() && q.name().equals("firm_details")).findFirst().orElseThrow();
        assertEquals("built in", builtIn.root());
        assertEquals(mine, builtIn.shadowedBy());
    }

    @Test
    void theStandardOrderIsWorkingDirectoryUserSystemInstallation() {
        Path cwd = dir.resolve("cwd");
        Path user = dir.resolve("user");
        Path install = dir.resolve("opt/firmquery");
        List<QueryRoots.Root> roots = QueryRoots.standard(cwd, user, Path.of("/etc/firmquery/queries"), install);
        assertEquals(List.of(cwd.resolve("sql/queries"), user.resolve(".config/firmquery/queries"),
                Path.of("/etc/firmquery/queries"), install.resolve("sql/queries")), QueryRoots.paths(roots));
        assertEquals(List.of("./sql/queries", "~/.config/firmquery/queries", "system /etc/firmquery/queries",
                "installation " + install), roots.stream().map(QueryRoots.Root::origin).toList());
    }

    @Test
    void aSourceCheckoutRunFromItselfListsItsFolderOnceInTheHighestPlace() {
        Path checkout = dir.resolve("checkout");
        List<QueryRoots.Root> roots = QueryRoots.standard(checkout, dir, Path.of("/etc/firmquery/queries"), checkout);
        assertEquals(3, roots.size());
        assertEquals("./sql/queries", roots.get(0).origin());
    }

    @Test
    void sameDirectoryGivenTwiceIsNotAmbiguous() throws Exception {
        Path file = query(home, "firm_names.sql", "-- once");
        assertEquals(file, new QueryResolver(List.of(home, home.resolve("../queries"))).resolve("firm_names"));
    }

    @Test
    void missingRootsAreSkipped() throws Exception {
        Path file = query(home, "firm_names.sql", "-- names");
        assertEquals(file, new QueryResolver(List.of(dir.resolve("absent"), home)).resolve("firm_names"));
    }

    @Test
    void directoryIsRefused() {
        String message = assertThrows(TemplateException.class, () -> resolver().resolve(home.toString())).getMessage();
        assertMentions(message, "is a directory");
    }

    @Test
    void blankArgumentIsRefused() {
        assertMentions(assertThrows(TemplateException.class, () -> resolver().resolve(" ")).getMessage(),
                "--query is empty");
    }

    @Test
    void listGivesEveryQueryWithItsDescriptionSortedByName() throws Exception {
        Path names = query(local, "firm_names.sql", "-- Firm names only.");
        Path details = query(home, "deep/firm_details.sql", "-- Firm details.");
        Path broken = Files.writeString(home.resolve("aaa_broken.sql"), "SELECT 'unterminated");
        Files.writeString(home.resolve("notes.txt"), "not a query");
        assertEquals(List.of(
                        new QueryInfo("aaa_broken", broken, ""),
                        new QueryInfo("firm_details", details, "Firm details."),
                        new QueryInfo("firm_names", names, "Firm names only.")),
                resolver().list());
    }
}
