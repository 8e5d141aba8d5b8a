package dev.firmquery.localpg;

import dev.firmquery.posix.Posix;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** The real machine: system properties, environment, {@code PATH}, the user database. */
final class SystemHost implements Host {

    @Override
    public boolean isRoot() {
        OptionalLong uid = currentUid();
        // A runtime image without jdk.security.auth: the user name is the next best evidence.
        return uid.isPresent() ? uid.getAsLong() == 0 : "root".equals(System.getProperty("user.name"));
    }

    /** Our uid, if this runtime can tell. */
    static OptionalLong currentUid() {
        long uid = Posix.currentUid();
        return uid >= 0 ? OptionalLong.of(uid) : OptionalLong.empty();
    }

    @Override
    public boolean hasBundledBinaries() {
        return BundledBinaries.supported();
    }

    @Override
    public Optional<String> setting(String property, String variable) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    @Override
    public Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(entry, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean userExists(String name) {
        try {
            Path anyPath = Path.of("/");
            anyPath.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
            return true;
        } catch (UserPrincipalNotFoundException e) {
            return false;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Override
    public boolean canUnshareUserNamespace() {
        if (findOnPath("unshare").isEmpty()) {
            return false;
        }
        // The same probe zonky runs: inside a fresh user namespace we must no longer be uid 0.
        try {
            Process p = new ProcessBuilder("unshare", "-U", "id", "-u").redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.exitValue() == 0 && !out.equals("0");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public List<PgBinaries.InstallLocation> installLocations() {
        return PgBinaries.InstallLocation.DEFAULTS;
    }

    @Override
    public Path tempDirectory() {
        // Absolute, because the server reports its data directory that way and we compare.
        return Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
    }
}
