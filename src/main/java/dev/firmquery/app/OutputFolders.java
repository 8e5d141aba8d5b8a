package dev.firmquery.app;

import dev.firmquery.posix.Posix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The output folders this user's runs used, newest first, so the run history can list the runs of more
 * than today's folder. They are kept in {@code ~/.local/state/firmquery/output-folders}, one absolute
 * real path a line, in a folder only the user may enter (0700). Everything read back is treated as
 * possibly planted by someone else on a shared host: the state folder and the file must be this user's,
 * not links and not writable by group or others, the file small and UTF-8; every folder it names is
 * checked again before it is read (a real folder, not a link now, of this user or root, not writable by
 * every user without the sticky bit) and is otherwise skipped with the reason, never followed.
 *
 * <p>Two sessions ending runs at the same moment may each write their list; the last one wins and the
 * other's newest folder is remembered again by its next run (the file is replaced by a rename, never seen
 * half-written).
 */
public final class OutputFolders {
    /** Folders kept: the history reads at most this many folders, each up to {@code PastRuns.MAX_REPORTS} reports. */
    public static final int MAX_FOLDERS = 20;
    /** The file holds {@link #MAX_FOLDERS} paths of at most 4,096 bytes (PATH_MAX), and a bit more. */
    static final int MAX_BYTES = 96 * 1024;
    static final String FILE_NAME = "output-folders";

    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

    private final Path stateFolder;

    /** @param stateFolder the user's firmquery state folder, {@link #stateFolderOf} */
    public OutputFolders(Path stateFolder) {
        this.stateFolder = stateFolder.toAbsolutePath().normalize();
    }

    /** The state folder of the user whose home is {@code userHome}: {@code ~/.local/state/firmquery}. */
    public static Path stateFolderOf(Path userHome) {
        return userHome.resolve(".local").resolve("state").resolve("firmquery");
    }

    /** The file the folders are kept in. */
    public Path file() {
        return stateFolder.resolve(FILE_NAME);
    }

    /**
     * What the list holds, checked.
     *
     * @param folders the folders that passed the checks, newest first
     * @param skipped one line per folder (or per list) not used, with why and the fix
     */
    public record Remembered(List<Path> folders, List<String> skipped) {
        public Remembered {
            folders = List.copyOf(folders);
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * The remembered folders, each checked; an absent list is empty, a list that fails a check is not read
     * (one skipped line says why). Does I/O: not on the GUI thread.
     */
    public Remembered read() {
        List<String> skipped = new ArrayList<>();
        List<Path> listed;
        try {
            listed = readList();
        } catch (IOException e) {
            return new Remembered(List.of(), List.of(e.getMessage()));
        }
        List<Path> ok = new ArrayList<>();
        for (Path p : listed) {
            String problem = folderProblem(p);
            if (problem == null) {
                ok.add(p);
            } else if (!problem.isEmpty()) {
                skipped.add(problem);
            }
        }
        return new Remembered(ok, skipped);
    }

    /**
     * Puts {@code folder} (made absolute and real) first in the list, keeping at most {@link #MAX_FOLDERS};
     * creates the state folder 0700 when it is missing. A folder that does not exist is not remembered.
     *
     * @throws IOException when the state folder or the list fails its checks or cannot be written (the
     *                     message says where and the fix)
     */
    public void remember(Path folder) throws IOException {
        Path real;
        try {
            real = folder.toAbsolutePath().toRealPath();
        } catch (NoSuchFileException e) {
            return;
        }
        ensureStateFolder();
        Set<Path> next = new LinkedHashSet<>();
        next.add(real);
        try {
            next.addAll(readList());
        } catch (IOException e) {
            // a list that fails its checks is replaced below by this user's own (the rename replaces a link, never follows it)
        }
        StringBuilder text = new StringBuilder();
        next.stream().limit(MAX_FOLDERS).forEach(p -> text.append(p).append('\n'));
        Path tmp = stateFolder.resolve(FILE_NAME + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            if (Posix.isUnix(stateFolder)) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PRIVATE_FILE)); // fails on anything there
            } else {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
            Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The paths of the list as written, after the checks of the folder and the file; empty when there is none. */
    private List<Path> readList() throws IOException {
        Path f = file();
        if (!Files.exists(stateFolder, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        String folderProblem = stateFolderProblem();
        if (folderProblem != null) {
            throw new IOException(folderProblem);
        }
        PosixFileAttributes a;
        try {
            if (!Posix.isUnix(stateFolder)) {
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    return List.of();
                }
                return parse(Files.readString(f, StandardCharsets.UTF_8));
            }
            a = Files.readAttributes(f, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        if (!a.isRegularFile()) {
            throw new IOException("the list of output folders " + f + " is " + (a.isSymbolicLink() ? "a symbolic link"
                    : "not a file") + ", not the file firmquery writes (another user may have planted it); it is not "
                    + "read. Remove it; the next run writes it again");
        }
        if (Posix.uid(f, false) != Posix.currentUid()) {
            throw new IOException("the list of output folders " + f + " belongs to " + a.owner().getName()
                    + ", not to you; it is not read. Remove it; the next run writes it again");
        }
        if (a.permissions().contains(PosixFilePermission.GROUP_WRITE)
                || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException("the list of output folders " + f + " can be written by others (mode "
                    + PosixFilePermissions.toString(a.permissions()) + "), so what it names may not be yours; it is not"
                    + " read. Remove it, or chmod 600 it if only you wrote it");
        }
        if (a.size() > MAX_BYTES) {
            throw new IOException("the list of output folders " + f + " has " + a.size() + " bytes, more than "
                    + MAX_FOLDERS + " folders take (" + MAX_BYTES + "); it is not read. Remove it");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) a.size() + 1);
        try (SeekableByteChannel ch = Files.newByteChannel(f, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                if (!buf.hasRemaining()) {
                    throw new IOException("the list of output folders " + f + " grew while read; it is not read."
                            + " Open the history again");
                }
            }
        }
        buf.flip();
        try {
            return parse(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(buf).toString());
        } catch (CharacterCodingException e) {
            throw new IOException("the list of output folders " + f + " is not UTF-8 text; it is not read. Remove it", e);
        }
    }

    /** Absolute paths, one a line; anything else (a relative or invalid path) is left out. */
    private static List<Path> parse(String text) {
        Set<Path> paths = new LinkedHashSet<>();
        for (String line : text.split("\n", -1)) {
            try {
                Path p = Path.of(line);
                if (!line.isEmpty() && p.isAbsolute() && line.indexOf('\0') < 0) {
                    paths.add(p.normalize());
                }
            } catch (InvalidPathException e) {
                // not a path on this system: not a folder firmquery wrote
            }
        }
        return paths.stream().limit(MAX_FOLDERS).toList();
    }

    /** Creates the state folder 0700 (parents as usual) or checks the one there. */
    private void ensureStateFolder() throws IOException {
        if (!Files.exists(stateFolder, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(stateFolder.getParent());
            try {
                if (Posix.isUnix(stateFolder.getParent())) {
                    Files.createDirectory(stateFolder, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
                    Files.setPosixFilePermissions(stateFolder, PRIVATE_DIR); // the umask may have taken more
                } else {
                    Files.createDirectory(stateFolder);
                }
            } catch (FileAlreadyExistsException e) {
                // made meanwhile: checked below like any folder found there
            }
        }
        String problem = stateFolderProblem();
        if (problem != null) {
            throw new IOException(problem);
        }
    }

    /**
     * What is wrong with the state folder: a link, not a folder, another user's, or writable by group or
     * others (the log folder under it is made by the logging with the usual 0755, which is fine).
     */
    private String stateFolderProblem() throws IOException {
        if (!Posix.isUnix(stateFolder)) {
            return null;
        }
        PosixFileAttributes a = Files.readAttributes(stateFolder, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink() || !a.isDirectory()) {
            return "firmquery's state folder " + stateFolder + " is " + (a.isSymbolicLink() ? "a symbolic link" : "not a"
                    + " folder") + " (another user may have planted it); the list of output folders is neither read nor"
                    + " written. Remove it; the next run makes it again";
        }
        if (Posix.uid(stateFolder, false) != Posix.currentUid()) {
            return "firmquery's state folder " + stateFolder + " belongs to " + a.owner().getName() + ", not to you;"
                    + " the list of output folders is neither read nor written. Remove it (its owner or root can)";
        }
        if (a.permissions().contains(PosixFilePermission.GROUP_WRITE)
                || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            return "firmquery's state folder " + stateFolder + " can be written by others (mode "
                    + PosixFilePermissions.toString(a.permissions()) + "); the list of output folders is neither read"
                    + " nor written. Make it private: chmod 700 " + stateFolder;
        }
        return null;
    }

    /**
     * Why the remembered {@code folder} is not read now: null when it may be, empty when it is simply gone
     * (nothing to say), otherwise the reason and the fix. It was a real path when remembered, so a link in
     * it now (at its end or above) is someone's doing and is not followed.
     */
    static String folderProblem(Path folder) {
        try {
            PosixFileAttributes a;
            if (!Posix.isUnix(folder)) {
                return Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS) ? null : "";
            }
            a = Files.readAttributes(folder, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) {
                return folder + " is skipped: it is a symbolic link now, not the folder a run used (another user may"
                        + " have planted it); it is not followed. Remove the link to see that folder's runs again";
            }
            if (!a.isDirectory()) {
                return folder + " is skipped: it is no longer a folder";
            }
            if (!folder.toRealPath().equals(folder)) {
                return folder + " is skipped: a folder above it is a symbolic link now (it leads to "
                        + folder.toRealPath() + "), not the way a run went; it is not followed";
            }
            long owner = Posix.uid(folder, false);
            if (owner != Posix.currentUid() && owner != 0) {
                return folder + " is skipped: it belongs to " + a.owner().getName() + ", not to you, who could have"
                        + " written anything into it; runs of your own folders are listed";
            }
            if (a.permissions().contains(PosixFilePermission.OTHERS_WRITE) && (Posix.mode(folder, false) & Posix.STICKY) == 0) {
                return folder + " is skipped: every user can write it and it has no sticky bit, so its reports may"
                        + " not be yours. Have its owner chmod +t it (as /tmp is), or keep your runs elsewhere";
            }
            return null;
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            return folder + " is skipped: cannot check it: " + e + "; check its permissions";
        }
    }
}
