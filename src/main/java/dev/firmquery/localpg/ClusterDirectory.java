package dev.firmquery.localpg;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The private temp directory of one throwaway cluster:
 * <pre>
 * firmquery-pg-NNN/
 *   owner          pid and start time of the JVM that owns it (for reaping after a crash)
 *   server.log     output of initdb, postgres and pg_ctl
 *   pg_hba.conf    our authentication rules (used through the hba_file setting): scram-sha-256 only
 *   superuser.pw   the superuser's random password, 0600, only while initdb runs
 *   data/          the cluster
 * </pre>
 */
final class ClusterDirectory {
    static final String PREFIX = "firmquery-pg-";
    static final String OWNER_FILE = "owner";

    private final Path root;

    private ClusterDirectory(Path root) {
        this.root = root;
    }

    static ClusterDirectory create(Path tempBase) throws IOException {
        Path root = Files.createTempDirectory(tempBase, PREFIX);
        Files.writeString(root.resolve(OWNER_FILE), ownerLine(ProcessHandle.current()), StandardCharsets.UTF_8);
        Files.createFile(root.resolve("server.log"));
        return new ClusterDirectory(root);
    }

    static ClusterDirectory existing(Path root) {
        return new ClusterDirectory(root);
    }

    Path root() {
        return root;
    }

    Path data() {
        return root.resolve("data");
    }

    Path log() {
        return root.resolve("server.log");
    }

    Path hbaFile() {
        return root.resolve("pg_hba.conf");
    }

    /**
     * Caller lines first, because the first matching line wins; then scram-sha-256 on the loopback
     * address the server listens on (and the Unix socket, should a caller enable one). Never
     * {@code trust}: every local OS user can reach 127.0.0.1, and a superuser session runs
     * {@code COPY ... TO PROGRAM} as the server's OS user (docs/reliability.md, "Shared host").
     */
    void writeHba(List<String> callerLines) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# Written by firmquery for a throwaway demo/test server that listens on 127.0.0.1 only.\n");
        if (!callerLines.isEmpty()) {
            sb.append("# Caller-supplied lines (first match wins):\n");
            callerLines.forEach(line -> sb.append(line).append('\n'));
        }
        sb.append("local all all scram-sha-256\n");
        sb.append("host  all all 127.0.0.1/32 scram-sha-256\n");
        Files.writeString(hbaFile(), sb.toString(), StandardCharsets.UTF_8);
    }

    /**
     * Writes the superuser's password for {@code initdb --pwfile}: created new (never through a link an
     * attacker placed), mode 0600, owned by the server's OS user when one is given.
     */
    Path writePasswordFile(String password, String osUser) throws IOException {
        Path file = root.resolve("superuser.pw");
        try (var channel = Files.newByteChannel(file, java.util.Set.of(java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")))) {
            channel.write(java.nio.ByteBuffer.wrap((password + "\n").getBytes(StandardCharsets.UTF_8)));
        }
        if (osUser != null) {
            Files.setOwner(file, root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(osUser));
        }
        return file;
    }

    /** Makes the directory and our files the OS user's, so the server running as that user can use them. */
    void handTo(String osUser) throws IOException {
        UserPrincipal owner = root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(osUser);
        Files.setOwner(root, owner);
        Files.setOwner(hbaFile(), owner);
    }

    long logSize() {
        try {
            return Files.size(log());
        } catch (IOException e) {
            return 0;
        }
    }

    /** The log written since {@code offset}, at most its last {@code maxLines} lines. */
    String logSince(long offset, int maxLines) {
        try (RandomAccessFile file = new RandomAccessFile(log().toFile(), "r")) {
            long length = file.length();
            long start = Math.max(offset, length - 16_384);
            byte[] bytes = new byte[(int) (length - start)];
            file.seek(start);
            file.readFully(bytes);
            String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\r?\n");
            int from = Math.max(0, lines.length - maxLines);
            return String.join("\n", java.util.Arrays.asList(lines).subList(from, lines.length)).strip();
        } catch (IOException e) {
            return "(server log " + log() + " unreadable: " + e.getMessage() + ")";
        }
    }

    String logTail(int maxLines) {
        return logSince(0, maxLines);
    }

    /** The postmaster's pid from {@code data/postmaster.pid}, if a server is (or was) running. */
    OptionalLong postmasterPid() {
        try {
            List<String> lines = Files.readAllLines(data().resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The owner recorded at creation: pid and start time of the JVM. */
    Optional<Owner> owner() {
        try {
            String[] parts = Files.readString(root.resolve(OWNER_FILE), StandardCharsets.UTF_8).strip().split(" ");
            return Optional.of(new Owner(Long.parseLong(parts[0]), parts.length > 1 ? parts[1] : ""));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    record Owner(long pid, String startedAt) {
        boolean isAlive() {
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .map(ClusterDirectory::startedAt)
                    .map(started -> startedAt.isEmpty() || started.equals(startedAt))
                    .orElse(false);
        }
    }

    private static String ownerLine(ProcessHandle process) {
        return process.pid() + " " + startedAt(process) + "\n";
    }

    private static String startedAt(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toString).orElse("");
    }

    /** Deletes everything; files that vanish meanwhile (a server still exiting) are not an error. */
    void delete() throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null && !(exc instanceof NoSuchFileException)) {
                    throw exc;
                }
                try {
                    Files.deleteIfExists(dir);
                } catch (DirectoryNotEmptyException e) {
                    // Something was still writing; one more pass below settles it.
                    deleteChildrenAgain(dir);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteChildrenAgain(Path dir) throws IOException {
        try (var children = Files.list(dir)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                if (Files.isDirectory(child, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    existing(child).delete();
                } else {
                    Files.deleteIfExists(child);
                }
            }
        }
        Files.deleteIfExists(dir);
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
