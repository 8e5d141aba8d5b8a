package dev.firmquery.sql;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The administrator's {@code policy.approved_queries}: whether a query may run. A name approves the query
 * of that name found in the administrator's folders ({@code /etc/firmquery/queries}, the installation's
 * {@code sql/queries}, the built-in queries) and no other file of that name, since anybody can write a
 * {@code firm_details.sql} of their own; {@code sha256:HEX} approves that exact text wherever it is.
 * Without entries every query is approved.
 */
public final class QueryApproval {
    private static final String HASH_PREFIX = "sha256:";

    private final List<String> entries;
    private final Set<String> names = new LinkedHashSet<>();
    private final Set<String> hashes = new LinkedHashSet<>();
    private final List<Path> adminFolders;
    private final Path builtIn;
    private final String policyFile;

    /**
     * @param entries      {@code policy.approved_queries} as written; empty approves everything
     * @param adminFolders the administrator's query folders
     * @param builtIn      the built-in query root, or {@code null}
     * @param policyFile   the system file, for messages
     */
    public QueryApproval(List<String> entries, List<Path> adminFolders, Path builtIn, String policyFile) {
        this.entries = List.copyOf(entries);
        for (String entry : entries) {
            if (entry.regionMatches(true, 0, HASH_PREFIX, 0, HASH_PREFIX.length())) {
                hashes.add(entry.substring(HASH_PREFIX.length()).toLowerCase(Locale.ROOT));
            } else {
                names.add(entry);
            }
        }
        this.adminFolders = new ArrayList<>();
        for (Path folder : adminFolders) {
            this.adminFolders.add(real(folder));
        }
        this.builtIn = builtIn;
        this.policyFile = policyFile;
    }

    /** Whether the policy limits the queries at all. */
    public boolean restricts() {
        return !entries.isEmpty();
    }

    /** Whether the query in {@code file}, whose text has the SHA-256 {@code sha256} (hex), may run. */
    public boolean approves(Path file, String sha256) {
        if (!restricts() || hashes.contains(sha256.toLowerCase(Locale.ROOT))) {
            return true;
        }
        return names.contains(nameOf(file)) && administered(file);
    }

    /** {@link #approves} for a listed query: reads its text to hash it. */
    public boolean approves(QueryInfo query) {
        if (!restricts()) {
            return true;
        }
        try {
            return approves(query.path(), QueryTemplate.sha256Of(query.path()));
        } catch (IOException e) {
            return false; // unreadable: it could not run either
        }
    }

    /**
     * Why {@code template} may not run, with what to do; empty when it may.
     */
    public Optional<String> refusal(QueryTemplate template) {
        Path file = template.source();
        if (approves(file, template.sha256())) {
            return Optional.empty();
        }
        String name = nameOf(file);
        String shown = file == null ? template.name() : BuiltInQueries.describe(file);
        StringBuilder why = new StringBuilder("query ").append(name).append(" (").append(shown)
                .append(", sha256:").append(template.sha256()).append(") is not approved by the administrator's policy"
                        + " (policy.approved_queries in ").append(policyFile).append(": ")
                .append(String.join(", ", entries)).append(")");
        if (names.contains(name)) {
            why.append("; the name ").append(name).append(" is approved only as found in ").append(describeFolders())
                    .append(", and a file of that name elsewhere hides it: remove or rename this one, or pass the "
                            + "approved file's path");
        } else {
            why.append("; run one of the approved queries (firmquery queries marks them)");
        }
        why.append(", or ask the administrator to approve this text by adding \"sha256:").append(template.sha256())
                .append("\" to policy.approved_queries");
        return Optional.of(why.toString());
    }

    private boolean administered(Path file) {
        if (file == null) {
            return false;
        }
        if (BuiltInQueries.isInsideJar(file)) {
            return true;
        }
        Path real = real(file);
        if (builtIn != null && !BuiltInQueries.isInsideJar(builtIn) && real.startsWith(real(builtIn))) {
            return true;
        }
        for (Path folder : adminFolders) {
            if (real.startsWith(folder)) {
                return true;
            }
        }
        return false;
    }

    private String describeFolders() {
        List<String> folders = new ArrayList<>();
        for (Path folder : adminFolders) {
            folders.add(folder.toString());
        }
        folders.add("the built-in queries");
        return String.join(", ", folders);
    }

    private static Path real(Path path) {
        if (BuiltInQueries.isInsideJar(path)) {
            return path;
        }
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    private static String nameOf(Path file) {
        if (file == null || file.getFileName() == null) {
            return "";
        }
        String name = file.getFileName().toString();
        return name.regionMatches(true, Math.max(0, name.length() - 4), ".sql", 0, 4)
                ? name.substring(0, name.length() - 4) : name;
    }
}
