package dev.firmquery.config;

import dev.firmquery.testing.OtherOsUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The user's own environment overlays, {@code ~/.config/firmquery/environments/NAME.yaml}: {@code --env
 * NAME} reads one when no installed overlay has the name, and only when the file and its folder are
 * this user's, writable by nobody else and no symbolic links, since on a shared host whoever can change
 * the file picks the database this user's runs (and password) go to.
 */
@DisplayName("The user's own environment overlays")
class UserEnvironmentsTest {
    private static final String MINE = "database:\n  host: mine.example\n  port: 5433\n";

    @TempDir
    Path tempDir;
    private ConfigFixture fixture;
    private Path folder;

    @BeforeEach
    void setUp() {
        fixture = new ConfigFixture(tempDir);
        folder = fixture.userHome.resolve(".config/firmquery/environments");
    }

    private Path userOverlay(String name, String yaml) {
        return ConfigFixture.write(folder.resolve(name + ".yaml"), yaml);
    }

    @Test
    @DisplayName("--env NAME reads ~/.config/firmquery/environments/NAME.yaml, and the settings name that file")
    void read() throws ConfigException {
        Path file = userOverlay("mine", MINE);

        LoadedConfig loaded = fixture.withEnv("mine").load();

        assertEquals("mine.example", loaded.config().database().host());
        assertEquals(5433, loaded.config().database().port());
        assertEquals("environment overlay mine (" + file + ")", loaded.settings().get("database.host").source());
    }

    @Test
    @DisplayName("environments() lists it as the user's with its file; an installed overlay of the same name shadows it")
    void listed() {
        Path file = userOverlay("mine", MINE);
        userOverlay("stage", MINE);
        Path installed = fixture.withAppOverlay("stage", "database:\n  port: 1234\n");

        List<ConfigLoader.Overlay> all = fixture.loader().environments();

        assertTrue(all.contains(new ConfigLoader.Overlay("mine", file.toString(), true)), all.toString());
        assertTrue(all.contains(new ConfigLoader.Overlay("stage", installed.toAbsolutePath().normalize().toString(),
                false)), all.toString());
    }

    @Test
    @DisplayName("a file another OS user owns is refused, naming the owner and what to do")
    void otherUsersFile() throws Exception {
        Path file = userOverlay("mine", MINE);
        Files.setOwner(file, OtherOsUser.principal());

        ConfigException e = fixture.withEnv("mine").failure();

        assertEquals(List.of("environment overlay \"mine\" (--env): " + file + " belongs to " + OtherOsUser.NAME
                + " (uid " + Files.getAttribute(file, "unix:uid") + "), not to you: what another user wrote could point "
                + "your runs at another database. Copy it into a file of your own there, or remove it"), e.problems());
    }

    @Test
    @DisplayName("a folder another OS user owns is refused (they could put any file in it), even holding a file of ours")
    void otherUsersFolder() throws Exception {
        userOverlay("mine", MINE);
        Files.setOwner(folder, OtherOsUser.principal());

        ConfigException e = fixture.withEnv("mine").failure();

        assertTrue(e.getMessage().contains("the folder " + folder + " belongs to " + OtherOsUser.NAME
                + " (uid "), e.getMessage());
        assertTrue(e.getMessage().contains("not to you"), e.getMessage());
    }

    @Test
    @DisplayName("a file its group may write is refused, naming the mode and the chmod")
    void groupWritableFile() throws Exception {
        Path file = userOverlay("mine", MINE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));

        ConfigException e = fixture.withEnv("mine").failure();

        assertEquals(List.of("environment overlay \"mine\" (--env): " + file + " is writable by its group or by "
                + "others (mode rw-rw-r--); make it writable by you only (chmod go-w " + file + ")"), e.problems());
    }

    @Test
    @DisplayName("a folder others may write is refused, naming the mode and the chmod")
    void worldWritableFolder() throws Exception {
        userOverlay("mine", MINE);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));

        ConfigException e = fixture.withEnv("mine").failure();

        assertEquals(List.of("environment overlay \"mine\" (--env): the folder " + folder + " is writable by its "
                + "group or by others (mode rwxrwxrwx): they could put another overlay in its place; make it "
                + "writable by you only (chmod go-w " + folder + ")"), e.problems());
    }

    @Test
    @DisplayName("a symbolic link as the file is refused and not followed, even to a file of ours")
    void linkedFile() throws Exception {
        Path target = ConfigFixture.write(tempDir.resolve("elsewhere/mine.yaml"), MINE);
        Files.createDirectories(folder);
        Path link = Files.createSymbolicLink(folder.resolve("mine.yaml"), target);

        ConfigException e = fixture.withEnv("mine").failure();

        assertEquals(List.of("environment overlay \"mine\" (--env): " + link + " is a symbolic link; put the YAML "
                + "file itself there (links are not followed in your configuration folder)"), e.problems());
    }

    @Test
    @DisplayName("a symbolic link as the folder is refused")
    void linkedFolder() throws Exception {
        Path real = tempDir.resolve("elsewhere");
        ConfigFixture.write(real.resolve("mine.yaml"), MINE);
        Files.createDirectories(folder.getParent());
        Files.createSymbolicLink(folder, real);

        ConfigException e = fixture.withEnv("mine").failure();

        assertTrue(e.getMessage().contains("the folder " + folder + " is a symbolic link"), e.getMessage());
    }
}
