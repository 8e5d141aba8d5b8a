package dev.firmquery.cli;

import dev.firmquery.config.AppConfig;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.run.RunSetup;
import dev.firmquery.sql.BuiltInQueries;
import dev.firmquery.sql.QueryApproval;
import dev.firmquery.sql.QueryInfo;
import dev.firmquery.sql.QueryResolver;
import dev.firmquery.sql.QueryRoots;
import dev.firmquery.sql.QueryTemplate;
import dev.firmquery.sql.TemplateException;
import dev.firmquery.sql.TemplateParameter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.firmquery.text.TerminalText.printable;

/**
 * {@code firmquery queries} and {@code firmquery queries show NAME}: the query library as a user sees
 * it. The list has every query of every root in look-up order with its description, its parameters and
 * the folder it came from, which ones a higher root's file of the same name hides and, under a policy that
 * approves queries, which ones may not run; a template that does not validate is listed with its error
 * rather than left out. {@code show} prints one query with its resolved path, SHA-256 and text. The roots
 * are scanned once per command. Text read from the files is made {@link
 * dev.firmquery.text.TerminalText#printable printable}: anyone may have written a query folder.
 */
final class QueriesCommand {
    private final PrintStream out;
    private final PrintStream err;
    private final List<QueryRoots.Root> roots;
    private final AppConfig config;

    QueriesCommand(PrintStream out, PrintStream err, List<QueryRoots.Root> roots, AppConfig config) {
        this.out = out;
        this.err = err;
        this.roots = List.copyOf(roots);
        this.config = config;
    }

    /** A query file's template, or why it does not validate. */
    private record Loaded(QueryTemplate template, String error) {
    }

    private Loaded load(Path file) {
        try {
            return new Loaded(QueryTemplate.load(file, config.processing().allowWrites()), null);
        } catch (TemplateException e) {
            return new Loaded(null, e.getMessage());
        }
    }

    /** The list; always exit 0, since a broken template is information, not a failure of the command. */
    ExitCode list() {
        List<QueryInfo> list = QueryResolver.labelled(roots).listAll();
        if (list.isEmpty()) {
            out.println("no queries found under " + QueryRoots.paths(roots) + " nor built in");
            return ExitCode.COMPLETED;
        }
        QueryApproval approval = RunSetup.approval(config.policy());
        int width = 4;
        for (QueryInfo q : list) {
            width = Math.max(width, q.name().length());
        }
        for (QueryInfo q : list) {
            List<String> marks = new ArrayList<>();
            if (q.shadowed()) {
                marks.add("shadowed: " + q.name() + " runs " + BuiltInQueries.describe(q.shadowedBy()));
            }
            if (approval.restricts() && !approval.approves(q)) {
                marks.add("not approved by the policy");
            }
            Loaded loaded = load(q.path());
            if (loaded.error() != null) {
                marks.add("invalid");
            }
            out.printf(Locale.ROOT, "%-" + width + "s  %s%n    %s: %s%s%n", printable(q.name()), printable(q.description()),
                    q.root(), printable(BuiltInQueries.describe(q.path())),
                    marks.isEmpty() ? "" : "  [" + String.join("; ", marks) + "]");
            if (loaded.template() != null) {
                for (TemplateParameter p : loaded.template().parameters()) {
                    out.println("    " + parameterLine(p));
                }
            } else {
                printError(loaded.error(), "    ");
            }
        }
        return ExitCode.COMPLETED;
    }

    /**
     * One query: what {@code --query NAME} runs, with the folder, path, SHA-256 of the file (as
     * {@code sha256sum} prints it), approval, parameters and text.
     *
     * @return {@code COMPLETED}, or {@code USAGE} when the name resolves to nothing or the template does
     *         not validate (the error is printed with the rest)
     */
    ExitCode show(String name) {
        QueryResolver resolver = QueryResolver.labelled(roots);
        Path path;
        try {
            path = resolver.resolve(name);
        } catch (TemplateException e) {
            err.println("firmquery: " + printable(e.getMessage()));
            return ExitCode.USAGE;
        }
        String folder = "(a file path, not a query folder)";
        for (QueryInfo q : resolver.listAll()) {
            if (!q.shadowed() && q.path().equals(path)) {
                folder = q.root();
            }
        }
        String sha256;
        try {
            sha256 = QueryTemplate.sha256Of(path);
        } catch (IOException e) {
            err.println("firmquery: cannot read " + BuiltInQueries.describe(path) + " (" + e + "); check its permissions");
            return ExitCode.USAGE;
        }
        Loaded loaded = load(path);
        QueryApproval approval = RunSetup.approval(config.policy());
        out.println("name:        " + printable(nameOf(path)));
        out.println("description: " + printable(loaded.template() != null ? loaded.template().description()
                : describe(path)));
        out.println("folder:      " + folder);
        out.println("path:        " + printable(BuiltInQueries.describe(path)));
        out.println("sha256:      " + sha256);
        if (approval.restricts()) {
            out.println("policy:      " + (approval.approves(path, sha256) ? "approved" : "not approved by the policy"));
        }
        if (loaded.template() == null) {
            out.println("status:      invalid");
            printError(loaded.error(), "  ");
            return ExitCode.USAGE;
        }
        if (loaded.template().parameters().isEmpty()) {
            out.println("parameters:  none");
        } else {
            out.println("parameters:");
            for (TemplateParameter p : loaded.template().parameters()) {
                out.println("  " + parameterLine(p));
            }
        }
        out.println();
        for (String line : loaded.template().text().split("\r\n|\r|\n", -1)) {
            out.println(printable(line));
        }
        return ExitCode.COMPLETED;
    }

    /** {@code --param since (date, default 2026-01-01)  Only firms updated since}. */
    private static String parameterLine(TemplateParameter p) {
        return "--param " + printable(p.name()) + " (" + p.type().declaredName()
                + (p.hasDefault() ? ", default " + printable(p.defaultText().isEmpty() ? "''" : p.defaultText()) : ", required")
                + ")" + (p.description().isEmpty() ? "" : "  " + printable(p.description()));
    }

    private void printError(String error, String indent) {
        for (String line : error.split("\n")) {
            out.println(indent + "error: " + printable(line.strip()));
        }
    }

    private static String describe(Path path) {
        try {
            return QueryTemplate.describe(new String(java.nio.file.Files.readAllBytes(path),
                    java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "";
        }
    }

    /** The name {@code --query} knows a file by: its file name without {@code .sql}. */
    private static String nameOf(Path path) {
        String file = path.getFileName().toString();
        return file.regionMatches(true, Math.max(0, file.length() - 4), ".sql", 0, 4)
                ? file.substring(0, file.length() - 4) : file;
    }
}
