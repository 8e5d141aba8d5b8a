package dev.firmquery.run;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A run's working directory, {@code <out>/.firmquery/<run-id>/}: the chunk spools now, the run
 * journal of issue #5 later. Private to the user (0700) because spools hold firm data.
 */
final class WorkDirectory {
    static final String DIR_NAME = ".firmquery";

    private WorkDirectory() {
    }

    static Path create(Path outputDirectory, String runId) throws RunException {
        Path dir = outputDirectory.resolve(DIR_NAME).resolve(runId);
        try {
            Files.createDirectories(outputDirectory);
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectory(dir);
            }
            return dir;
        } catch (IOException e) {
            throw new RunException("cannot create the working directory " + dir + ": " + e
                    + "; make the output directory writable or choose another --out", 2, e);
        }
    }

    /** Deletes the working directory, and {@code .firmquery} too if no other run uses it. */
    static void remove(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
        try (var entries = Files.list(dir.getParent())) {
            if (entries.findAny().isEmpty()) {
                Files.delete(dir.getParent());
            }
        }
    }
}
