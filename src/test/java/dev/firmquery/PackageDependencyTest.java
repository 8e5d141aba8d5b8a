package dev.firmquery;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-way flow of docs/architecture.md, checked on the sources under {@code src/main/java}: front
 * ends ({@code cli}, {@code tui}) call the service layer ({@code app}), which drives the engine
 * ({@code run}), which writes the run's durable state ({@code run.store}) and the final files
 * ({@code export}); nothing reaches back up, and no two packages depend on each other.
 *
 * <p>A dependency is an {@code import} of a {@code dev.firmquery} type (single, static or on demand)
 * or a fully qualified {@code dev.firmquery} name in code; names in comments and strings do not count.
 */
@DisplayName("Package dependencies follow the one-way flow")
class PackageDependencyTest {
    private static final Path SOURCES = Path.of(System.getProperty("firmquery.home", "."), "src/main/java");
    private static final Path ROOT = SOURCES.resolve("dev/firmquery");

    /** One source file: its package (relative to {@code dev.firmquery}) and the firmquery types it uses. */
    record Source(Path file, String pkg, Set<String> types) {
        Set<String> packages() {
            return types.stream().map(PackageDependencyTest::packageOf).filter(p -> !p.equals(pkg))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static List<Source> sources;

    @BeforeAll
    static void scan() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            List<Source> found = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String pkg = ROOT.relativize(f.getParent()).toString().replace('/', '.');
                found.add(new Source(f, pkg, typesUsed(Files.readString(f))));
            }
            sources = found;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The rules

    @Test
    void nothingButTheCommandLineItselfUsesTheCommandLine() {
        assertNone(from(p -> !inside(p, "cli")), to(p -> inside(p, "cli")),
                "cli is the entry point (cli.Main): it calls everything and nothing calls it");
    }

    @Test
    void onlyTheCommandLineStartsTheFullScreenUi() {
        assertNone(from(p -> !inside(p, "tui") && !inside(p, "cli")), to(p -> inside(p, "tui")),
                "the UI is a front end: only cli starts it, and nothing below it may know it exists");
    }

    @Test
    void onlyTheFrontEndsCallTheServiceLayer() {
        assertNone(from(p -> !inside(p, "app") && !inside(p, "cli") && !inside(p, "tui")), to(p -> inside(p, "app")),
                "app is what cli and tui call to do work; the layers below it do not call back up");
    }

    @Test
    void onlyTheServiceLayerCreatesTheEngine() {
        List<String> found = new ArrayList<>();
        for (Source s : sources) {
            if (!s.pkg().equals("run") && !inside(s.pkg(), "app") && s.types().contains("run.RunEngine")) {
                found.add(relative(s) + " uses dev.firmquery.run.RunEngine");
            }
        }
        assertEquals(List.of(), found, "the wiring (Kerberos login, data source, pool, ticket guard, engine) is"
                + " written once, in app.DatabaseSession; front ends run through app.RunService");
    }

    @Test
    void onlyTheServiceLayerUsesTheMetrics() {
        assertNone(from(p -> !inside(p, "app") && !inside(p, "metrics")), to(p -> inside(p, "metrics")),
                "the metrics hear every run of a session through app.SessionMetrics, the same for the UI, a batch"
                        + " and a headless run; the engine reports through run.RunListener and knows no metrics");
    }

    @Test
    void theEngineKnowsNoFrontEndNoServiceNoAuditAndNoKerberos() {
        assertNone(from(p -> p.equals("run")), to(p -> inside(p, "cli") || inside(p, "tui") || inside(p, "app")
                        || inside(p, "audit") || inside(p, "kerberos")),
                "run reports through run.RunListener and gets connections from db.ConnectionSource (which"
                        + " kerberos.TicketGuard implements); who shows, audits or authenticates is decided above it");
    }

    @Test
    void theRunStoreNeverReachesBackIntoTheEngine() {
        assertNone(from(p -> inside(p, "run.store")), to(p -> p.equals("run") || inside(p, "app") || inside(p, "cli")
                        || inside(p, "tui") || inside(p, "audit") || inside(p, "kerberos") || inside(p, "db")),
                "run.store is the run's durable state: the engine writes and reads it, it never calls the engine"
                        + " or the database; run.store.SpooledChunk is what it hands back");
    }

    @Test
    void theWritersOfFinalFilesDependOnNothingAboveThem() {
        assertNone(from(p -> inside(p, "export")), to(p -> inside(p, "run") || inside(p, "app") || inside(p, "cli")
                        || inside(p, "tui") || inside(p, "audit") || inside(p, "kerberos") || inside(p, "db")),
                "export only writes final files (CSV, XLSX, ID lists, JSON): the engine and the store feed it"
                        + " rows and bytes, it does not know where they come from");
    }

    @Test
    void exitCodesDependOnNothing() {
        assertNone(from(p -> inside(p, "exit")), to(p -> true),
                "every layer carries an exit.ExitCode, so exit itself may depend on no other package");
    }

    @Test
    void posixDependsOnNothing() {
        assertNone(from(p -> inside(p, "posix")), to(p -> true),
                "every shared-host check reads owners and modes through posix.Posix, so it may depend on no other"
                        + " package");
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        Map<String, Set<String>> graph = graph();
        List<String> cycles = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String start : graph.keySet()) {
            findCycle(graph, start, new ArrayList<>(), done, cycles);
        }
        assertEquals(List.of(), cycles, "a cycle makes the layers one; break it by moving the shared type down");
    }

    // ---------------------------------------------------------------------------------------------
    // The check itself sees what it checks

    @Test
    void theScanSeesEveryPackageAndTheLayersThatCallEachOther() {
        Map<String, Set<String>> graph = graph();
        assertTrue(sources.size() > 100, sources.size() + " source files under " + SOURCES);
        for (String[] edge : new String[][]{{"cli", "app"}, {"tui", "app"}, {"app", "run"}, {"run", "run.store"},
                {"run", "export"}, {"run.store", "export"}}) {
            assertTrue(graph.getOrDefault(edge[0], Set.of()).contains(edge[1]),
                    edge[0] + " -> " + edge[1] + " is the documented flow; the scan found " + graph);
        }
    }

    @Test
    void namesInCommentsAndStringsAreNotDependencies() {
        Set<String> types = typesUsed("""
                package dev.firmquery.run.store;

                import dev.firmquery.export.Column;
                import static dev.firmquery.exit.ExitCode.haltNow;
                import dev.firmquery.ids.*;
                // import dev.firmquery.tui.Ui;
                /** See {@link dev.firmquery.app.RunService}. */
                class X {
                    String s = "dev.firmquery.cli.Main";
                    String t = \"""
                        dev.firmquery.cli.Help
                        \""";
                    Object o = dev.firmquery.run.RunEngine.class; // dev.firmquery.tui.TuiApp
                }
                """);
        assertEquals(Set.of("export.Column", "exit.ExitCode", "ids.*", "run.RunEngine"), types);
    }

    @Test
    void everyPackageHasItsRowInTheArchitecturePage() throws IOException {
        String page = Files.readString(Path.of(System.getProperty("firmquery.home", "."), "docs/architecture.md"));
        Set<String> missing = new TreeSet<>();
        for (Source s : sources) {
            String top = s.pkg().startsWith("tui.") ? "tui" : s.pkg();
            if (!page.contains("| `" + top + "` |")) {
                missing.add(top);
            }
        }
        assertEquals(Set.of(), missing, "docs/architecture.md's package table must name every package");
    }

    // ---------------------------------------------------------------------------------------------

    private static Predicate<String> from(Predicate<String> p) {
        return p;
    }

    private static Predicate<String> to(Predicate<String> p) {
        return p;
    }

    /** Whether {@code pkg} is {@code root} or one of its subpackages. */
    private static boolean inside(String pkg, String root) {
        return pkg.equals(root) || pkg.startsWith(root + ".");
    }

    private static void assertNone(Predicate<String> from, Predicate<String> to, String why) {
        List<String> found = new ArrayList<>();
        for (Source s : sources) {
            if (!from.test(s.pkg())) {
                continue;
            }
            for (String type : s.types()) {
                String target = packageOf(type);
                if (!target.equals(s.pkg()) && to.test(target)) {
                    found.add(relative(s) + " uses dev.firmquery." + type);
                }
            }
        }
        assertEquals(List.of(), found, why);
    }

    private static String relative(Source s) {
        return SOURCES.relativize(s.file()).toString();
    }

    /** Package to the packages its files use, both relative to {@code dev.firmquery}. */
    private static Map<String, Set<String>> graph() {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Source s : sources) {
            graph.computeIfAbsent(s.pkg(), k -> new TreeSet<>()).addAll(s.packages());
        }
        return graph;
    }

    private static void findCycle(Map<String, Set<String>> graph, String at, List<String> path, Set<String> done,
                                  List<String> cycles) {
        int seen = path.indexOf(at);
        if (seen >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
            cycle.add(at);
            cycles.add(String.join(" -> ", cycle));
            return;
        }
        if (!done.add(at)) {
            return;
        }
        path.add(at);
        for (String next : graph.getOrDefault(at, Set.of())) {
            findCycle(graph, next, path, done, cycles);
        }
        path.remove(path.size() - 1);
    }

    private static String packageOf(String type) {
        return type.substring(0, type.lastIndexOf('.'));
    }

    /** {@code dev.firmquery.<lower-case segments>.<Type>}, or an on-demand import {@code dev.firmquery.<pkg>.*}. */
    private static final Pattern NAME = Pattern.compile(
            "\\bdev\\.firmquery\\.((?:[a-z][a-z0-9_]*\\.)+)([A-Z]\\w*|\\*)");

    /**
     * The {@code dev.firmquery} types {@code source} uses, as {@code pkg.Type} relative to
     * {@code dev.firmquery} ({@code pkg.*} for an on-demand import); its own package declaration
     * excluded.
     */
    static Set<String> typesUsed(String source) {
        String code = withoutCommentsAndLiterals(source).replaceFirst("(?m)^\\s*package [\\w.]+;", "");
        Set<String> types = new TreeSet<>();
        Matcher m = NAME.matcher(code);
        while (m.find()) {
            types.add(m.group(1) + m.group(2));
        }
        return types;
    }

    /** {@code source} with every comment, string, text block and character literal blanked out. */
    static String withoutCommentsAndLiterals(String source) {
        StringBuilder code = new StringBuilder(source.length());
        int n = source.length();
        int i = 0;
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                i = source.indexOf('\n', i);
                i = i < 0 ? n : i;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                code.append(' ');
            } else if (source.startsWith("\"\"\"", i)) {
                int end = i + 3;
                while (end < n && !(source.startsWith("\"\"\"", end) && source.charAt(end - 1) != '\\')) {
                    end++;
                }
                i = Math.min(n, end + 3);
                code.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < n && source.charAt(end) != c && source.charAt(end) != '\n') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                i = Math.min(n, end + 1);
                code.append("\"\"");
            } else {
                code.append(c);
                i++;
            }
        }
        return code.toString();
    }
}
