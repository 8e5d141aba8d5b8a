package dev.firmquery.run.store;

import dev.firmquery.export.OutputFile;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Every file and folder the run store opens, creates or deletes under {@code <out>/.firmquery/}
 * goes through here, so that a rule about them (who may own them, their modes, never following a
 * symbolic link) is written once and holds for the manifest, the journal, the lock and the spool
 * segments alike. Nothing else in the package calls {@link Files} or {@link FileChannel#open} on
 * a run folder.
 */
final class StoreFiles {
    private static final int BUFFER_BYTES = 1 << 16;

    private StoreFiles() {
    }

    // ---------------------------------------------------------------------------------------------
    // Folders

    /**
     * Creates the folder of a new run, {@code <out>/.firmquery/<run-id>} (0700 where POSIX), and its
     * {@code spool/} folder; the output directory and {@code .firmquery} are created when absent.
     */
    static void createRunFolder(Path outputDirectory, Path dir) throws IOException {
        Files.createDirectories(outputDirectory);
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectory(dir);
        }
        Files.createDirectory(dir.resolve("spool"));
    }

    /** Whether {@code file} is a regular file (the test that a folder holds a run: its manifest). */
    static boolean isRegularFile(Path file) {
        return Files.isRegularFile(file);
    }

    /** The entries of {@code folder}, sorted by the caller as it needs. */
    static java.util.List<Path> list(Path folder) throws IOException {
        try (var s = Files.list(folder)) {
            return s.toList();
        }
    }

    /** Whether {@code folder} is a directory. */
    static boolean isDirectory(Path folder) {
        return Files.isDirectory(folder);
    }

    /**
     * Deletes {@code d} (symbolic links removed, never followed), then its parent (the
     * {@code .firmquery} folder) if nothing else is in it.
     */
    static void deleteTree(Path d) throws IOException {
        if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(d, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path sub, IOException exc) throws IOException {
                    if (exc != null) {
                        throw exc;
                    }
                    Files.delete(sub);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new IOException("cannot delete " + d + " completely (" + e + "); check the permissions there "
                    + "and remove what is left by hand", e);
        }
        try (var rest = Files.list(d.getParent())) {
            if (rest.findAny().isEmpty()) {
                Files.delete(d.getParent());
            }
        } catch (IOException e) {
            // Another run appeared or the folder went meanwhile: an empty .firmquery is harmless.
        }
    }

    /** Deletes one file of the run folder, if it is there (an aborted standalone spool). */
    static void deleteIfExists(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    /** Whether anything, even a dangling symbolic link, is at {@code path}. */
    static boolean exists(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether {@code path} is a symbolic link. */
    static boolean isSymbolicLink(Path path) {
        return Files.isSymbolicLink(path);
    }

    // ---------------------------------------------------------------------------------------------
    // Writing

    /** What {@link #writeDurably} writes. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes a file completely and fsyncs it, so that a crash leaves it whole or absent. The temporary
     * file is created new (0600, never through a link someone planted: a leftover of a crash is
     * removed first, and one that reappears in between makes this fail rather than write through it),
     * written and forced on the one channel.
     */
    static void writeDurably(Path file, Content content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp); // removes a link itself, never its target
        try (FileChannel ch = FileChannel.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                ownerOnly(tmp.toAbsolutePath().getParent()))) {
            // Content may close what it is given (a Writer over it): closing flushes but keeps the
            // channel open for the force below.
            OutputStream out = new BufferedOutputStream(new java.io.FilterOutputStream(
                    java.nio.channels.Channels.newOutputStream(ch)) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    this.out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            }, BUFFER_BYTES);
            content.writeTo(out);
            out.flush();
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Creates a spool segment that must not exist yet, 0600 where POSIX, for writing. */
    static FileChannel createSegment(Path file) throws IOException {
        return FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                ownerOnly(file.getParent()));
    }

    /**
     * Creates or truncates a spool file of its own (a standalone typed spool), 0600 where POSIX; a
     * symbolic link in its place is refused, not followed.
     */
    static FileChannel createOrTruncate(Path file) throws IOException {
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        return FileChannel.open(file, options, ownerOnly(file.toAbsolutePath().getParent()));
    }

    /** Opens (creating it 0600 when absent) the journal for appending; a symbolic link is refused. */
    static FileChannel openForAppending(Path file) throws IOException {
        return FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS), ownerOnly(file.toAbsolutePath().getParent()));
    }

    /** Opens (creating it 0600 when absent) the run's lock file, to lock it; a symbolic link is refused. */
    static FileChannel openLock(Path file) throws IOException {
        return FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS), ownerOnly(file.toAbsolutePath().getParent()));
    }

    /** Opens an existing lock file, to probe whether another process holds it; a symbolic link is refused. */
    static FileChannel openExistingLock(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    private static FileAttribute<?>[] ownerOnly(Path directory) {
        return OutputFile.isPosix(directory)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OutputFile.OWNER_READ_WRITE)}
                : new FileAttribute<?>[0];
    }

    // ---------------------------------------------------------------------------------------------
    // Reading

    /** Opens a file of the run folder for reading. */
    static FileChannel openForReading(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    /** A stream over a file of the run folder. */
    static InputStream newInputStream(Path file) throws IOException {
        return Files.newInputStream(file);
    }

    /** A UTF-8 reader over a file of the run folder. */
    static Reader newReader(Path file) throws IOException {
        return Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }

    /** The whole content of a (small) file of the run folder. */
    static byte[] readAllBytes(Path file) throws IOException {
        return Files.readAllBytes(file);
    }
}
