package dev.firmquery.localpg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Creates directory trees that look like PostgreSQL installations (executable stub files). */
final class FakeInstall {
    private FakeInstall() {
    }

    /** {@code dir} with the given executables; returns {@code dir}. */
    static Path binDirectory(Path dir, String... executables) throws IOException {
        Files.createDirectories(dir);
        for (String name : executables) {
            Path file = Files.writeString(dir.resolve(name), "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }

    /** A complete server bin directory. */
    static Path serverBinaries(Path dir) throws IOException {
        return binDirectory(dir, "initdb", "postgres", "pg_ctl");
    }
}
