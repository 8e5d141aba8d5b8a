package dev.firmquery.localpg;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the launcher needs to know about the machine it runs on. An interface so that the choice
 * between the bundled and the system PostgreSQL can be specified in unit tests without being root.
 */
interface Host {

    /** Whether this process runs as uid 0, which PostgreSQL refuses. */
    boolean isRoot();

    /**
     * A launcher setting: the system property {@code property} if set, else the environment
     * variable {@code variable}; blank counts as unset.
     */
    Optional<String> setting(String property, String variable);

    /** The first executable regular file named {@code name} on {@code PATH}. */
    Optional<Path> findOnPath(String name);

    /** Whether the OS user exists (e.g. {@code postgres}). */
    boolean userExists(String name);

    /**
     * Whether {@code unshare -U} works here: in a new user namespace uid 0 becomes "nobody", so
     * PostgreSQL runs although we are root (no other user or chown needed).
     */
    boolean canUnshareUserNamespace();

    /** Whether the jar carries PostgreSQL binaries for this platform. */
    boolean hasBundledBinaries();

    /** Directories that hold installed PostgreSQL versions, e.g. {@code /usr/lib/postgresql}. */
    List<PgBinaries.InstallLocation> installLocations();

    /** Where throwaway cluster directories are created ({@code java.io.tmpdir}). */
    Path tempDirectory();
}
