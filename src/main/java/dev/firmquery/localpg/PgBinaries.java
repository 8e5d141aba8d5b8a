package dev.firmquery.localpg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A directory with PostgreSQL server binaries ({@code initdb}, {@code postgres}, {@code pg_ctl}).
 *
 * @param directory the {@code bin} directory, symlinks resolved (initdb finds {@code postgres} next
 *                  to its real path, so the real directory is the one that counts)
 * @param source    where it was found, for messages: "FIRMQUERY_PG_BIN", "PATH", "/usr/lib/postgresql"
 */
record PgBinaries(Path directory, String source) {

    static final List<String> REQUIRED = List.of("initdb", "postgres", "pg_ctl");

    Path initdb() {
        return directory.resolve("initdb");
    }

    Path postgres() {
        return directory.resolve("postgres");
    }

    Path pgCtl() {
        return directory.resolve("pg_ctl");
    }

    /**
     * A directory whose children are installed versions, e.g. {@code /usr/lib/postgresql} with
     * {@code 15/bin} (Debian) or {@code /usr} with {@code pgsql-15/bin} (PGDG RPMs).
     */
    record InstallLocation(Path parent, String childPrefix) {
        static final List<InstallLocation> DEFAULTS = List.of(
                new InstallLocation(Path.of("/usr/lib/postgresql"), ""),
                new InstallLocation(Path.of("/usr"), "pgsql-"));

        String describe() {
            return parent.resolve(childPrefix + "*").resolve("bin").toString();
        }
    }

    /**
     * Validates an explicitly configured directory; being explicit, a wrong one is an error rather
     * than a reason to look elsewhere.
     */
    static PgBinaries explicit(Path directory, String source) throws PostgresServerException {
        List<String> missing = missingIn(directory);
        if (!missing.isEmpty()) {
            throw new PostgresServerException(source + " points at " + directory + ", which lacks the executable(s) "
                    + String.join(", ", missing) + "; set it to the bin directory of a PostgreSQL server installation"
                    + " (e.g. /usr/lib/postgresql/15/bin) or unset it to search PATH and the usual install locations");
        }
        return new PgBinaries(realPath(directory), source);
    }

    /**
     * Looks for server binaries: {@code initdb} on PATH (the directory it really lives in), else the
     * highest version under the install locations.
     */
    static Optional<PgBinaries> search(Host host) {
        Optional<Path> initdb = host.findOnPath("initdb");
        if (initdb.isPresent()) {
            Path dir = realPath(initdb.get()).getParent();
            if (dir != null && missingIn(dir).isEmpty()) {
                return Optional.of(new PgBinaries(dir, "PATH"));
            }
        }
        for (InstallLocation location : host.installLocations()) {
            Optional<PgBinaries> found = highestVersion(location);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** Where {@link #search} looks, for "nothing found" messages. */
    static String searchedPlaces(Host host) {
        List<String> places = new ArrayList<>();
        places.add("initdb on PATH");
        host.installLocations().forEach(l -> places.add(l.describe()));
        return String.join(", ", places);
    }

    private static Optional<PgBinaries> highestVersion(InstallLocation location) {
        if (!Files.isDirectory(location.parent())) {
            return Optional.empty();
        }
        try (Stream<Path> children = Files.list(location.parent())) {
            return children
                    .filter(child -> {
                        String name = child.getFileName().toString();
                        return name.startsWith(location.childPrefix())
                                && name.length() > location.childPrefix().length()
                                && Character.isDigit(name.charAt(location.childPrefix().length()));
                    })
                    .filter(child -> missingIn(child.resolve("bin")).isEmpty())
                    .max(Comparator.comparing(
                            child -> version(child.getFileName().toString().substring(location.childPrefix().length())),
                            PgBinaries::compareVersions))
                    .map(child -> new PgBinaries(realPath(child.resolve("bin")), location.describe()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** "9.6" → [9, 6]; "15" → [15]; non-numeric parts count as 0. */
    static int[] version(String text) {
        String[] parts = text.split("\\.");
        int[] numbers = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                numbers[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                numbers[i] = 0;
            }
        }
        return numbers;
    }

    static int compareVersions(int[] a, int[] b) {
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int x = i < a.length ? a[i] : 0;
            int y = i < b.length ? b[i] : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }

    private static List<String> missingIn(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String name : REQUIRED) {
            Path p = dir.resolve(name);
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                missing.add(name);
            }
        }
        return missing;
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath();
        }
    }
}
