package dev.firmquery.posix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Who this process is and who owns a file, as the shared-host checks ask it: the numeric user id and the
 * {@code st_mode} bits that {@link java.nio.file.attribute.PosixFileAttributes} does not give (the sticky
 * bit). Every check of ownership and mode in firmquery reads them here, so they all agree on what "mine"
 * means, including on a runtime image built without {@code jdk.security.auth}.
 */
public final class Posix {
    /** The sticky bit of {@code st_mode} ({@code S_ISVTX}, 01000): in a folder, only a file's owner may rename it. */
    public static final int STICKY = 01000;

    private static final long UID = readUid();
    private static final LinkOption[] FOLLOW = new LinkOption[0];
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private Posix() {
    }

    /** The user id this process runs as; -1 when it cannot be told (not a Unix system). */
    public static long currentUid() {
        return UID;
    }

    /** Whether {@code p}'s file system has the {@code unix} attribute view, so owners and modes can be read. */
    public static boolean isUnix(Path p) {
        return p != null && p.getFileSystem().supportedFileAttributeViews().contains("unix");
    }

    /** The numeric owner of {@code p}; a link is followed only when {@code follow}. */
    public static long uid(Path p, boolean follow) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:uid", follow ? FOLLOW : NO_FOLLOW)).longValue();
    }

    /** The permission bits of {@code p} with set-id and sticky ({@code st_mode & 07777}); a link followed only when {@code follow}. */
    public static int mode(Path p, boolean follow) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:mode", follow ? FOLLOW : NO_FOLLOW)).intValue() & 07777;
    }

    /** Whether {@code p} itself (not a link's target) belongs to this process's user. */
    public static boolean ownedByMe(Path p) throws IOException {
        long me = currentUid();
        return me >= 0 && uid(p, false) == me;
    }

    /** {@code mode} as the four octal digits {@code ls} and {@code chmod} use ({@code 0755}). */
    public static String octal(int mode) {
        return String.format("%04o", mode & 07777);
    }

    private static long readUid() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid();
        } catch (LinkageError | RuntimeException e) {
            // A runtime image without jdk.security.auth: on Linux /proc/self belongs to the process's user.
            try {
                return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
            } catch (IOException | RuntimeException e2) {
                return -1;
            }
        }
    }
}
