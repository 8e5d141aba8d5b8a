package dev.firmquery.run.store;

import dev.firmquery.posix.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Whose folders the run store trusts (docs/reliability.md, "Shared host"). Everything read back from a
 * run folder decides what runs under the user's name and what is written or deleted, so a run folder
 * and its {@code .firmquery} parent are used only when they are real directories (not symbolic
 * links), belong to the user this process runs as and cannot be written by group or others. The
 * output folder they live in may be shared, but not so that anyone can replace what is in it: one
 * that every user can write must have the sticky bit (as {@code /tmp} has: then only an entry's
 * owner may rename or remove it), and one that belongs to another user (other than root, who can
 * read and replace everything anyway) is refused.
 */
final class FolderChecks {
    /** The sticky bit of {@code st_mode} ({@code S_ISVTX}, 01000). */

    private FolderChecks() {
    }

    /**
     * Refuses an output folder others could use to replace a run's files: owned by another user (not
     * root), or writable by every user without the sticky bit. Links to a folder are followed: the
     * user chose the path. A folder that does not exist yet is not checked (it is created as the
     * user's).
     */
    static void outputFolder(Path outputDirectory) throws RunStoreException {
        Path d = outputDirectory.toAbsolutePath();
        Problem p = outputFolderProblem(d);
        if (p != null) {
            throw new RunStoreException(p.text());
        }
    }

    /** What is wrong with the output folder {@code d}; null when nothing is (or it is not POSIX). */
    static Problem outputFolderProblem(Path d) throws RunStoreException {
        if (!Files.exists(d) || !Posix.isUnix(d)) {
            return null;
        }
        try {
            PosixFileAttributes a = Files.readAttributes(d, PosixFileAttributes.class);
            if (!a.isDirectory()) {
                return new Problem("the output path " + d + " is not a folder; choose another --out");
            }
            long owner = Posix.uid(d, true);
            if (owner != Posix.currentUid() && owner != 0) {
                return new Problem("the output folder " + d + " belongs to " + a.owner().getName() + ", not to you: "
                        + "its owner could rename or replace the run's files and its working folder there. Choose a "
                        + "folder of your own with --out (or output.default_directory)");
            }
            if (a.permissions().contains(PosixFilePermission.OTHERS_WRITE) && (Posix.mode(d, true) & Posix.STICKY) == 0) {
                return new Problem("the output folder " + d + " can be written by every user and has no sticky bit"
                        + " (mode " + Posix.octal(Posix.mode(d, true)) + "): anyone could rename or replace the run's files and"
                        + " its working folder there. Choose a folder of your own with --out, or have its owner make"
                        + " it sticky (chmod +t " + d + ", as /tmp is)");
            }
            return null;
        } catch (IOException e) {
            throw new RunStoreException("cannot check the output folder " + d + ": " + e
                    + "; check its permissions or choose another --out", e);
        }
    }

    /**
     * Refuses {@code dir} (the {@code .firmquery} folder or a run folder) unless it is a directory, not
     * a symbolic link, of this user, not writable by group or others.
     *
     * @param action what would have been done with it, for the message ("resumed", "deleted", ...)
     */
    static void privateFolder(Path dir, String action) throws RunStoreException {
        Problem p = privateFolderProblem(dir, action);
        if (p != null) {
            throw new RunStoreException(p.text());
        }
    }

    /** What is wrong with {@code dir} as a private folder; null when nothing is (or it is not POSIX). */
    static Problem privateFolderProblem(Path dir, String action) throws RunStoreException {
        Path d = dir.toAbsolutePath();
        if (!Posix.isUnix(d)) {
            return null;
        }
        try {
            PosixFileAttributes a = Files.readAttributes(d, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink() || !a.isDirectory()) {
                return new Problem(d + " is " + (a.isSymbolicLink() ? "a symbolic link" : "not a folder")
                        + ", not a folder firmquery made (another user may have planted it); nothing in it is "
                        + action + ". Remove it, or choose another --out");
            }
            if (Posix.uid(d, false) != Posix.currentUid()) {
                return new Problem(d + " belongs to " + a.owner().getName() + ", not to you (another user may have "
                        + "planted it to have their query run under your name); nothing in it is " + action
                        + ". Remove it (its owner or root can), or choose another --out");
            }
            Set<PosixFilePermission> m = a.permissions();
            if (m.contains(PosixFilePermission.GROUP_WRITE) || m.contains(PosixFilePermission.OTHERS_WRITE)) {
                return new Problem(d + " can be written by " + (m.contains(PosixFilePermission.OTHERS_WRITE)
                        ? "every user" : "its group") + " (mode " + Posix.octal(Posix.mode(d, false)) + "), so what is in it may not"
                        + " be yours; nothing in it is " + action + ". If you are sure only you wrote it, make it"
                        + " private (chmod 700 " + d + ") and try again; otherwise remove it");
            }
            return null;
        } catch (IOException e) {
            throw new RunStoreException("cannot check " + d + ": " + e + "; check its permissions", e);
        }
    }

    /** Whether {@code p} itself (a link is not followed) belongs to this user; false when it cannot be told. */
    static boolean ownedByMe(Path p) {
        if (!Posix.isUnix(p)) {
            return true;
        }
        try {
            return Posix.uid(p, false) == Posix.currentUid();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Why a folder is refused, as the message says it. */
    record Problem(String text) {
    }
}
