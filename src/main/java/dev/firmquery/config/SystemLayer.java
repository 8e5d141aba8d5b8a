package dev.firmquery.config;

import dev.firmquery.posix.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Optional;

/**
 * Where the administrator's layer lives and whether it can be trusted: the system file
 * {@code /etc/firmquery/config.yaml} (another path in {@code FIRMQUERY_SYSTEM_CONFIG}, for tests and
 * unusual installs) and the query folder {@code queries/} beside it.
 *
 * <p>The system file decides what every user may do, so on a shared host it must be one that only root
 * (or the user running firmquery, who could change the program anyway) can have written: the file and the
 * folder holding it are owned by root or by this user and writable by their owner only. A symbolic link
 * is followed (configuration management often links {@code /etc} files), and the check applies to what it
 * points at.
 */
public final class SystemLayer {
    /** The environment variable that moves the system file. */
    public static final String VARIABLE = "FIRMQUERY_SYSTEM_CONFIG";
    /** Where the system file is unless {@link #VARIABLE} says otherwise; the Debian package installs it. */
    public static final Path DEFAULT_FILE = Path.of("/etc/firmquery/config.yaml");

    private SystemLayer() {
    }

    /** The system file for this environment: {@code FIRMQUERY_SYSTEM_CONFIG}, else {@code /etc/firmquery/config.yaml}. */
    public static Path file(Map<String, String> environment) {
        String given = environment.get(VARIABLE);
        return given == null || given.isBlank() ? DEFAULT_FILE : Path.of(given.strip()).toAbsolutePath().normalize();
    }

    /** Whether {@code FIRMQUERY_SYSTEM_CONFIG} names the file (so a missing one is a mistake, not "none"). */
    static boolean named(Map<String, String> environment) {
        String given = environment.get(VARIABLE);
        return given != null && !given.isBlank();
    }

    /** The administrator's query folder: {@code queries/} beside the system file ({@code /etc/firmquery/queries}). */
    public static Path queryFolder(Map<String, String> environment) {
        Path parent = file(environment).getParent();
        return (parent == null ? Path.of("/") : parent).resolve("queries");
    }

    /**
     * Why {@code file} cannot be trusted as the administrator's, or empty when it can.
     *
     * @param uid this process's user id, or -1 when unknown (then only root counts as a trusted owner)
     */
    static Optional<String> untrusted(Path file, long uid) {
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            return Optional.of("cannot read the system file " + file + ": " + e.getMessage());
        }
        Optional<String> fileProblem = problem(real, "the system file", uid);
        if (fileProblem.isPresent()) {
            return fileProblem;
        }
        Path folder = real.getParent();
        return folder == null ? Optional.empty() : problem(folder, "its folder", uid);
    }

    /**
     * Why the query folder {@code folder} cannot be trusted to hold the administrator's approved queries
     * (the same rule as for the system file), or empty when it can or does not exist.
     */
    static Optional<String> untrustedFolder(Path folder, long uid) {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try {
            return problem(folder.toRealPath(), "the query folder", uid);
        } catch (IOException e) {
            return Optional.of("cannot read the query folder " + folder + ": " + e.getMessage());
        }
    }

    /**
     * Why a file in the user's own configuration folder cannot be trusted, or empty when it can: it must
     * be a regular file, not a symbolic link, owned by this user and writable by nobody else, in a folder
     * that is not a link, is this user's and writable by nobody else (whoever may write the folder can
     * put another file in the file's place).
     *
     * @param uid this process's user id, or -1 when unknown (then the owner is not checked)
     */
    static Optional<String> untrustedUserFile(Path file, long uid) {
        Path folder = file.toAbsolutePath().getParent();
        Optional<String> problem = folder == null ? Optional.empty() : untrustedUserPath(folder, uid, true);
        return problem.isPresent() ? problem : untrustedUserPath(file, uid, false);
    }

    private static Optional<String> untrustedUserPath(Path path, long uid, boolean folder) {
        PosixFileAttributes attributes;
        long owner;
        try {
            attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            owner = Posix.uid(path, false);
        } catch (IOException e) {
            return Optional.of("cannot read " + path + ": " + e.getMessage() + "; check its permissions (ls -ld " + path
                    + "), or remove it from your configuration folder");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
        String where = folder ? "the folder " + path : path.toString();
        if (folder ? !attributes.isDirectory() : !attributes.isRegularFile()) {
            return Optional.of(where + " is " + (attributes.isSymbolicLink() ? "a symbolic link"
                    : folder ? "not a folder" : "not a regular file") + "; put the " + (folder ? "folder" : "YAML file")
                    + " itself there (links are not followed in your configuration folder)");
        }
        if (uid >= 0 && owner != uid) {
            return Optional.of(where + " belongs to " + attributes.owner().getName() + " (uid " + owner
                    + "), not to you: what another user wrote could point your runs at another database. "
                    + (folder ? "Make it yours (chown) or move your overlays to a folder of your own"
                    : "Copy it into a file of your own there, or remove it"));
        }
        if (attributes.permissions().contains(PosixFilePermission.GROUP_WRITE)
                || attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            return Optional.of(where + " is writable by its group or by others (mode "
                    + java.nio.file.attribute.PosixFilePermissions.toString(attributes.permissions())
                    + (folder ? "): they could put another overlay in its place" : ")")
                    + "; make it writable by you only (chmod go-w " + path + ")");
        }
        return Optional.empty();
    }

    private static Optional<String> problem(Path path, String what, long uid) {
        PosixFileAttributes attributes;
        long owner;
        try {
            attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            owner = Posix.uid(path, false);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // No POSIX attributes (not a Unix file system): ownership cannot be told, as on a laptop's FAT disk.
            return Optional.empty();
        }
        String where = what.equals("its folder") ? what + " " + path + " (of the system file)" : what + " " + path;
        if (owner != 0 && owner != uid) {
            return Optional.of(where + " belongs to " + attributes.owner().getName() + " (uid " + owner
                    + "), not to root or to you: what another user wrote is not the administrator's. "
                    + "Have root own it (chown root:root), or point " + VARIABLE + " at your own file");
        }
        boolean writableByOthers = attributes.permissions().contains(PosixFilePermission.GROUP_WRITE)
                || attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE);
        if (writableByOthers) {
            return Optional.of(where + " is writable by its group or by others (mode "
                    + java.nio.file.attribute.PosixFilePermissions.toString(attributes.permissions())
                    + "): anybody could change the administrator's policy. Make it writable by its owner only (chmod go-w "
                    + path + ")");
        }
        return Optional.empty();
    }
}
