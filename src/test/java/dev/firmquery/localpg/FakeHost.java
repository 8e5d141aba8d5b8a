package dev.firmquery.localpg;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A machine described by the test: who we are, what is installed, which settings are set. */
final class FakeHost implements Host {
    private boolean root;
    private boolean unshare;
    private boolean bundled = true;
    private final Map<String, String> settings = new HashMap<>();
    private final Map<String, Path> onPath = new HashMap<>();
    private final Set<String> users = new HashSet<>();
    private List<PgBinaries.InstallLocation> installLocations = List.of();
    private Path tempDirectory = Path.of(System.getProperty("java.io.tmpdir"));

    static FakeHost nonRoot() {
        return new FakeHost();
    }

    static FakeHost root() {
        FakeHost host = new FakeHost();
        host.root = true;
        return host;
    }

    FakeHost withUnshare() {
        unshare = true;
        return this;
    }

    /** A platform the jar carries no binaries for. */
    FakeHost withoutBundledBinaries() {
        bundled = false;
        return this;
    }

    FakeHost withUsers(String... names) {
        users.addAll(List.of(names));
        return this;
    }

    FakeHost withOnPath(String name, Path path) {
        onPath.put(name, path);
        return this;
    }

    /** A setting as if given by system property or environment variable (keyed by the variable name). */
    FakeHost withSetting(String variable, String value) {
        settings.put(variable, value);
        return this;
    }

    FakeHost withInstallLocations(PgBinaries.InstallLocation... locations) {
        installLocations = List.of(locations);
        return this;
    }

    @Override
    public boolean isRoot() {
        return root;
    }

    @Override
    public Optional<String> setting(String property, String variable) {
        return Optional.ofNullable(settings.get(variable));
    }

    @Override
    public Optional<Path> findOnPath(String name) {
        return Optional.ofNullable(onPath.get(name));
    }

    @Override
    public boolean userExists(String name) {
        return users.contains(name);
    }

    @Override
    public boolean canUnshareUserNamespace() {
        return unshare;
    }

    @Override
    public boolean hasBundledBinaries() {
        return bundled;
    }

    @Override
    public List<PgBinaries.InstallLocation> installLocations() {
        return installLocations;
    }

    @Override
    public Path tempDirectory() {
        return tempDirectory;
    }
}
