package dev.firmquery.run.store;

import dev.firmquery.config.FileNamePattern;
import dev.firmquery.config.ConfigKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;

/**
 * A manifest read back is checked as strictly as the configuration it was made from: whoever could
 * have edited it must not be able to send a run's files elsewhere, give them a mode the settings
 * would refuse, or name files outside the run's own. The folder checks ({@link FolderChecks}) make
 * that unlikely; these make it harmless.
 */
final class ManifestRules {
    /** A base name is a file-name pattern after {@code {timestamp}} and a {@code _<n>} suffix were applied. */
    private static final FileNamePattern BASE_NAME = new FileNamePattern(255);

    private ManifestRules() {
    }

    /**
     * Refuses {@code m}, read from the run folder {@code dir}, when its output folder is not the one
     * {@code dir} is in, its base name is not a file name the settings would allow, or its file mode is
     * not one {@code output.file_mode} allows.
     */
    static void check(Path dir, Manifest m) throws RunStoreException {
        Path outputFolder = dir.toAbsolutePath().normalize().getParent().getParent();
        if (!sameFolder(m.outputDirectory(), outputFolder)) {
            throw modified(dir, "names the output folder " + m.outputDirectory() + ", but the run's folder is in "
                    + outputFolder + "; a run's files go only to the output folder its working folder is in");
        }
        Optional<String> name = BASE_NAME.problem(m.baseName(), "the base name is a file name");
        if (name.isPresent()) {
            throw modified(dir, "names the file base name '" + m.baseName() + "': " + name.get());
        }
        String mode = octal(m.permissions());
        if (!ConfigKey.OUTPUT_FILE_MODE.type().check(mode, null).ok()) {
            throw modified(dir, "gives the run's files mode " + mode + ", which " + ConfigKey.OUTPUT_FILE_MODE.key()
                    + " does not allow (" + ConfigKey.OUTPUT_FILE_MODE.type().allowed().replace("`", "") + ")");
        }
        if (m.formats().isEmpty()) {
            throw modified(dir, "names no output format");
        }
    }

    private static boolean sameFolder(Path recorded, Path actual) {
        if (!recorded.isAbsolute()) {
            return false;
        }
        if (recorded.normalize().equals(actual)) {
            return true;
        }
        try {
            return Files.isSameFile(recorded, actual);
        } catch (IOException e) {
            return false;
        }
    }

    private static String octal(java.util.Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("0%03o", mode);
    }

    private static RunStoreException modified(Path dir, String what) {
        return new RunStoreException(dir.resolve("run.properties") + " " + what + ". firmquery never writes that: the"
                + " run folder was modified, and nothing in it is run. Start a new run (and delete " + dir + ")");
    }
}
