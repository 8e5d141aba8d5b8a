package dev.firmquery.export;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * An output file that is written under a temporary name in its target directory and only appears
 * under its final name, complete, when {@link #publish() published}.
 *
 * <p>The temporary file is {@code .<name>.tmp-<random>} next to the target, so the final move is a
 * rename within one file system. An existing file is never overwritten: {@link #create} refuses
 * early if the target already exists (so a long run does not fail at the very end), and
 * {@link #publish()} refuses atomically if it appeared meanwhile.
 *
 * <p>On file systems with POSIX attributes the file gets exactly the requested permissions
 * (default {@link #OWNER_READ_WRITE}, mode 0600, because results may be confidential); elsewhere
 * the permissions are ignored. Not thread-safe.
 */
public final class OutputFile implements AutoCloseable {

    /** Mode 0600: read and write for the owner only. */
    public static final Set<PosixFilePermission> OWNER_READ_WRITE =
            Set.copyOf(PosixFilePermissions.fromString("rw-------"));

    private final Path target;
    private final Path temporary;
    private boolean published;
    private boolean discarded;
    private PublishHook hook = PublishHook.NONE;

    private OutputFile(Path target, Path temporary) {
        this.target = target;
        this.temporary = temporary;
    }

    /** Creates the temporary file for {@code target} with mode 0600. */
    public static OutputFile create(Path target) throws IOException {
        return create(target, OWNER_READ_WRITE);
    }

    /**
     * Creates the (empty) temporary file for {@code target}.
     *
     * @param target      the final path; its directory must exist
     * @param permissions the POSIX permissions of the file (ignored on non-POSIX file systems)
     * @throws FileAlreadyExistsException if {@code target} already exists
     * @throws IOException                if the directory is missing or not writable
     */
    public static OutputFile create(Path target, Set<PosixFilePermission> permissions)
            throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(permissions, "permissions");
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        if (Files.exists(absolute)) {
            throw alreadyExists(absolute);
        }
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null,
                    "output directory does not exist; create it or choose another --out");
        }
        boolean posix = isPosix(directory);
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
        Path temporary;
        try {
            temporary = Files.createTempFile(directory, "." + absolute.getFileName() + ".tmp-", "",
                    attributes);
        } catch (FileSystemException e) {
            throw new IOException("Cannot create a temporary output file in " + directory + " ("
                    + e.getReason() + "); check that the directory is writable or choose another"
                    + " --out", e);
        }
        if (posix) {
            // The creation mode is filtered by the umask; set it again so it is exactly as asked. Never
            // through a link: in a folder others can write, the name could have been swapped meanwhile.
            Files.getFileAttributeView(temporary, java.nio.file.attribute.PosixFileAttributeView.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).setPermissions(permissions);
        }
        return new OutputFile(absolute, temporary);
    }

    /** Who is told before and after {@link #publish()} links the file ({@link PublishHook#NONE} unless set). */
    public void publishHook(PublishHook hook) {
        this.hook = Objects.requireNonNull(hook, "hook");
    }

    /** The final path (absolute). */
    public Path target() {
        return target;
    }

    /** The temporary path the content is written to until {@link #publish()}. */
    public Path temporary() {
        return temporary;
    }

    /**
     * Opens the temporary file for writing, truncating it; a symbolic link in its place is refused. The
     * caller closes the stream.
     */
    public OutputStream newOutputStream() throws IOException {
        checkOpen();
        // No-follow: a link swapped in for the temporary name is refused, not written through.
        return Files.newOutputStream(temporary, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Moves the temporary file to the final name. All streams on it must be closed.
     *
     * @return the final path
     * @throws FileAlreadyExistsException if the target exists; the temporary file is then kept
     *                                    until {@link #discard()} or {@link #close()}
     */
    public Path publish() throws IOException {
        checkOpen();
        hook.publishing(target, temporary);
        try {
            // A hard link is created atomically and fails if the name is taken, unlike rename(2),
            // which silently replaces an existing file.
            Files.createLink(target, temporary);
        } catch (FileAlreadyExistsException e) {
            throw alreadyExists(target);
        } catch (UnsupportedOperationException | FileSystemException e) {
            // File systems without hard links: a plain move, which also refuses an existing target
            // but checks and renames in two steps.
            if (Files.exists(target)) {
                throw alreadyExists(target);
            }
            try {
                Files.move(temporary, target);
            } catch (FileAlreadyExistsException raced) {
                throw alreadyExists(target);
            }
            published = true;
            hook.linked(target);
            return target;
        }
        published = true;
        hook.linked(target);
        try {
            Files.delete(temporary);
        } catch (IOException e) {
            throw new IOException("Published " + target + " but could not remove its temporary"
                    + " link " + temporary + "; delete it by hand", e);
        }
        return target;
    }

    /**
     * Closes {@code content}, the stream (or printer, or workbook) writing the temporary file, so that
     * everything it buffers is on disk, then {@link #publish() publishes} the file.
     */
    public Path publish(Closeable content) throws IOException {
        checkOpen();
        content.close();
        return publish();
    }

    /**
     * Closes {@code content} and deletes the temporary file, unless the file was published (then
     * nothing happens). Idempotent. The file is deleted even if closing fails.
     */
    public void discard(Closeable content) throws IOException {
        if (published || discarded) {
            return;
        }
        try {
            content.close();
        } finally {
            discard();
        }
    }

    /** Whether the file can still be written: neither published nor discarded. */
    public boolean isOpen() {
        return !published && !discarded;
    }

    /** Deletes the temporary file unless published. Idempotent. */
    public void discard() throws IOException {
        if (published || discarded) {
            return;
        }
        Files.deleteIfExists(temporary);
        discarded = true;
    }

    /** Same as {@link #discard()}: an unpublished file does not survive its owner. */
    @Override
    public void close() throws IOException {
        discard();
    }

    /** Whether {@link #publish()} succeeded. */
    public boolean isPublished() {
        return published;
    }

    private void checkOpen() {
        if (published) {
            throw new IllegalStateException("Output file " + target + " is already published");
        }
        if (discarded) {
            throw new IllegalStateException("Output file " + target + " was discarded");
        }
    }

    public static boolean isPosix(Path directory) {
        return directory.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAlreadyExistsException alreadyExists(Path target) {
        return new FileAlreadyExistsException(target.toString(), null,
                "output file already exists and is never overwritten; choose another --out"
                        + " directory or remove the file");
    }
}
