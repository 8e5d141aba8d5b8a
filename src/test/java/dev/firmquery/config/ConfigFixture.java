package dev.firmquery.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A throw-away installation for configuration tests: an application home without a {@code config/}
 * directory (so the classpath defaults apply unless a test writes one), a home directory, and an
 * environment map. Built fresh in every test from a JUnit temp dir.
 */
final class ConfigFixture {
    final Path appHome;
    final Path userHome;
    final Map<String, String> env = new LinkedHashMap<>();
    private Path userFile;
    private String environment;
    private final List<String> overrides = new ArrayList<>();

    ConfigFixture(Path tempDir) {
        this.appHome = mkdirs(tempDir.resolve("app"));
        this.userHome = mkdirs(tempDir.resolve("home"));
    }

    /** Writes {@code yaml} to a file under the temp dir and passes it as {@code --config}. */
    ConfigFixture withConfigFile(String yaml) {
        userFile = write(userHome.getParent().resolve("given-config.yaml"), yaml);
        return this;
    }

    ConfigFixture withConfigPath(Path path) {
        userFile = path;
        return this;
    }

    /** Writes {@code ~/.config/firmquery/config.yaml}, used when there is no {@code --config}. */
    Path withImplicitUserFile(String yaml) {
        return write(userHome.resolve(".config/firmquery/config.yaml"), yaml);
    }

    /** Writes {@code appHome/config/default.yaml}, which then replaces the classpath defaults. */
    Path withAppDefaults(String yaml) {
        return write(appHome.resolve("config/default.yaml"), yaml);
    }

    /** Writes {@code appHome/config/environments/NAME.yaml}. */
    Path withAppOverlay(String name, String yaml) {
        return write(appHome.resolve("config/environments/" + name + ".yaml"), yaml);
    }

    ConfigFixture withEnv(String name) {
        environment = name;
        return this;
    }

    /**
     * Writes {@code yaml} as the system file, {@code etc/config.yaml} in a folder of its own (mode 0755,
     * the file 0644, both ours), and points {@code FIRMQUERY_SYSTEM_CONFIG} at it.
     */
    Path withSystemFile(String yaml) {
        Path file = write(userHome.getParent().resolve("etc/config.yaml"), yaml);
        try {
            Files.setPosixFilePermissions(file.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env.put(SystemLayer.VARIABLE, file.toString());
        return file;
    }

    ConfigFixture withVariable(String name, String value) {
        env.put(name, value);
        return this;
    }

    ConfigFixture withSet(String... settings) {
        overrides.addAll(List.of(settings));
        return this;
    }

    ConfigRequest request() {
        return new ConfigRequest(userFile, environment, overrides);
    }

    ConfigLoader loader() {
        return new ConfigLoader(appHome, env, userHome);
    }

    LoadedConfig load() throws ConfigException {
        return loader().load(request());
    }

    /** Loads and expects a {@link ConfigException}. */
    ConfigException failure() {
        return assertThrows(ConfigException.class, this::load);
    }

    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file of the source checkout (surefire sets firmquery.home to the project directory). */
    static Path projectFile(String relative) {
        return Path.of(System.getProperty("firmquery.home", ".")).resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
