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
import java.util.Map;
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
     * Creates the folder of a new run, {@code <out>/.firmquery/<run-id>}, and its {@code spool/} folder,
     * all 0700 whatever the umask; the output directory is created when absent, {@code .firmquery}
     * too (0700). An output folder others could use to replace the run's files, or a
     * {@code .firmquery} that is not the user's own and private, is refused ({@link FolderChecks}).
     */
    static void createRunFolder(Path outputDirectory, Path dir) throws IOException, RunStoreException {
        createInFirmqueryFolder(outputDirectory, dir, "used for a new run", "spool");
    }

    /**
     * Creates {@code <out>/.firmquery/<name>} as {@link #createRunFolder} does, without a spool: a batch's
     * record ({@link BatchRecord}).
     */
    static void createPrivateFolder(Path outputDirectory, Path dir) throws IOException, RunStoreException {
        createInFirmqueryFolder(outputDirectory, dir, "used for a new batch");
    }

    /** {@code dir} under a checked {@code .firmquery}, with {@code subfolders}, all 0700 and created new. */
    private static void createInFirmqueryFolder(Path outputDirectory, Path dir, String purpose, String... subfolders)
            throws IOException, RunStoreException {
        Files.createDirectories(outputDirectory);
        FolderChecks.outputFolder(outputDirectory);
        Path root = dir.getParent();
        try {
            createPrivateDirectory(root);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // Made by an earlier run (or planted): checked below like any existing one.
        }
        FolderChecks.privateFolder(root, purpose);
        createPrivateDirectory(dir);
        for (String sub : subfolders) {
            createPrivateDirectory(dir.resolve(sub));
        }
        // Made with create-new in a folder only this user can write: but check that nothing swapped it.
        FolderChecks.privateFolder(dir, purpose);
    }

    /** Creates {@code dir}, which must not exist, 0700 where POSIX (set again: the umask filters the mode). */
    private static void createPrivateDirectory(Path dir) throws IOException {
        if (!OutputFile.isPosix(dir.toAbsolutePath().getParent())) {
            Files.createDirectory(dir);
            return;
        }
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE_FOLDER));
        Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setPermissions(PRIVATE_FOLDER);
    }

    private static final Set<java.nio.file.attribute.PosixFilePermission> PRIVATE_FOLDER =
            PosixFilePermissions.fromString("rwx------");

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

    /**
     * What tells the file at {@code path} from another one put at the same name: device, inode and
     * size, {@code <dev>.<ino>.<size>} (a link is not followed). A hard link to it shares them; a file
     * someone else wrote there does not.
     */
    static String identity(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, "unix:dev,ino,size", LinkOption.NOFOLLOW_LINKS);
        return a.get("dev") + "." + a.get("ino") + "." + a.get("size");
    }

    /** Whether {@code path} is a regular file, not a link. */
    static boolean isRegularFileNoFollow(Path path) {
        return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
    }

    /** Deletes one of the run's final files in its output folder (a link itself, never its target). */
    static boolean deleteOutputFile(Path file) throws IOException {
        return Files.deleteIfExists(file);
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
