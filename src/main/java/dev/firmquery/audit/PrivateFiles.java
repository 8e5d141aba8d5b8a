package dev.firmquery.audit;

import dev.firmquery.posix.Posix;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The log folder (0700) and the log files (0600) of this user: created so whatever the umask, and
 * when they exist already, checked. The application log and the audit trail hold paths, query names
 * and server error texts, which other users of a shared jump host must not read.
 *
 * <p>What exists already is tightened when it belongs to this user (a folder made by an older
 * version, or with a loose umask, is made 0700 rather than refused: nothing in it is trusted, and
 * refusing would only leave the user without a log); it is refused when it belongs to someone else
 * or is a symbolic link to a file (a planted link would make firmquery append to, and re-mode, a
 * file of the attacker's choice).
 */
public final class PrivateFiles {
    /** Mode 0700. */
    public static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    /** Mode 0600. */
    public static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private static final Set<PosixFilePermission> GROUP_AND_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PrivateFiles() {
    }

    /**
     * Creates {@code dir} (and missing parents) with mode 0700, or makes an existing one of this user
     * 0700.
     *
     * @throws IOException when it cannot be created, is not a directory, or belongs to another user
     *                     (the message says what to do)
     */
    public static void directory(Path dir) throws IOException {
        Path d = dir.toAbsolutePath();
        if (!Files.exists(d)) {
            if (d.getParent() != null) {
                Files.createDirectories(d.getParent());
            }
            try {
                if (posix(d.getParent())) {
                    Files.createDirectory(d, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
                } else {
                    Files.createDirectory(d);
                }
            } catch (FileAlreadyExistsException e) {
                // created meanwhile: checked below like any existing one
            }
        }
        if (!Files.isDirectory(d)) {
            throw new IOException(d + " is not a directory; set logging.directory to a folder of yours");
        }
        if (!posix(d)) {
            return;
        }
        PosixFileAttributes a = Files.readAttributes(d, PosixFileAttributes.class); // a link to a folder is followed
        if (!ownedByMe(d, true)) {
            throw new IOException("the log folder " + d + " belongs to " + a.owner().getName() + ", not to you: another "
                    + "user could read or replace your log there. Set logging.directory to a folder of your own");
        }
        if (!a.permissions().equals(DIRECTORY_MODE) && hasAny(a.permissions(), GROUP_AND_OTHERS)) {
            Set<PosixFilePermission> tightened = EnumSet.copyOf(a.permissions());
            tightened.removeAll(GROUP_AND_OTHERS);
            tightened.addAll(DIRECTORY_MODE);
            Files.setPosixFilePermissions(d, tightened);
        }
    }

    /**
     * Creates {@code file} with mode 0600 in a private folder ({@link #directory}), or makes an
     * existing one of this user 0600.
     *
     * @throws IOException when it is a symbolic link, not a regular file, or belongs to another user
     */
    public static void file(Path file) throws IOException {
        Path f = file.toAbsolutePath();
        directory(f.getParent());
        boolean posix = posix(f.getParent());
        try {
            if (posix) {
                Files.createFile(f, PosixFilePermissions.asFileAttribute(FILE_MODE)); // never follows a link
            } else {
                Files.createFile(f);
            }
        } catch (FileAlreadyExistsException e) {
            // there already: checked below
        }
        if (Files.isSymbolicLink(f) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(f + " is a symbolic link or not a regular file; firmquery writes its log only to a "
                    + "file of its own: remove it (another user may have planted it)");
        }
        if (!posix) {
            return;
        }
        if (!ownedByMe(f, false)) {
            throw new IOException(f + " belongs to " + Files.getOwner(f, LinkOption.NOFOLLOW_LINKS).getName()
                    + ", not to you; remove it, or set logging.directory to a folder of your own");
        }
        // The creation mode was filtered by the umask, and an older file may have been readable by others.
        Files.getFileAttributeView(f, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setPermissions(FILE_MODE);
    }

    /** Whether {@code p} (a link followed when {@code follow}) belongs to the user this process runs as. */
    static boolean ownedByMe(Path p, boolean follow) throws IOException {
        if (Posix.currentUid() >= 0) {
            try {
                return Posix.uid(p, follow) == Posix.currentUid();
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                // no "unix" view: compare names below
            }
        }
        return Files.getOwner(p, follow ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS}).getName()
                .equals(System.getProperty("user.name"));
    }

    private static boolean posix(Path dir) {
        return dir != null && dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static boolean hasAny(Set<PosixFilePermission> have, Set<PosixFilePermission> any) {
        for (PosixFilePermission p : any) {
            if (have.contains(p)) {
                return true;
            }
        }
        return false;
    }
}
