package dev.firmquery.localpg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Finding installed PostgreSQL server binaries")
class PgBinariesTest {
    @TempDir
    Path tmp;

    @Test
    void the_highest_installed_version_wins_comparing_numerically() throws Exception {
        Path root = tmp.resolve("usr/lib/postgresql");
        FakeInstall.serverBinaries(root.resolve("9.6/bin"));
        Path v15 = FakeInstall.serverBinaries(root.resolve("15/bin"));
        FakeInstall.serverBinaries(root.resolve("10/bin"));
        FakeHost host = FakeHost.nonRoot().withInstallLocations(new PgBinaries.InstallLocation(root, ""));

        assertEquals(Optional.of(v15.toRealPath()), PgBinaries.search(host).map(PgBinaries::directory));
    }

    @Test
    void a_version_directory_without_the_server_binaries_is_skipped() throws Exception {
        Path root = tmp.resolve("usr/lib/postgresql");
        Path v14 = FakeInstall.serverBinaries(root.resolve("14/bin"));
        FakeInstall.binDirectory(root.resolve("16/bin"), "psql", "pg_dump");
        FakeHost host = FakeHost.nonRoot().withInstallLocations(new PgBinaries.InstallLocation(root, ""));

        assertEquals(Optional.of(v14.toRealPath()), PgBinaries.search(host).map(PgBinaries::directory));
    }

    @Test
    void prefixed_version_directories_are_found_too() throws Exception {
        Path usr = tmp.resolve("usr");
        Path v13 = FakeInstall.serverBinaries(usr.resolve("pgsql-13/bin"));
        FakeInstall.serverBinaries(usr.resolve("local/bin"));
        FakeHost host = FakeHost.nonRoot().withInstallLocations(new PgBinaries.InstallLocation(usr, "pgsql-"));

        assertEquals(Optional.of(v13.toRealPath()), PgBinaries.search(host).map(PgBinaries::directory));
    }

    @Test
    void initdb_on_path_is_followed_through_its_symlink_to_the_real_bin_directory() throws Exception {
        Path real = FakeInstall.serverBinaries(tmp.resolve("usr/lib/postgresql/15/bin"));
        Path link = Files.createDirectories(tmp.resolve("usr/local/bin")).resolve("initdb");
        Files.createSymbolicLink(link, real.resolve("initdb"));
        FakeHost host = FakeHost.nonRoot().withOnPath("initdb", link);

        PgBinaries found = PgBinaries.search(host).orElseThrow();

        assertEquals(real.toRealPath(), found.directory());
        assertEquals("PATH", found.source());
    }

    @Test
    void nothing_installed_finds_nothing() {
        FakeHost host = FakeHost.nonRoot()
                .withInstallLocations(new PgBinaries.InstallLocation(tmp.resolve("usr/lib/postgresql"), ""));

        assertTrue(PgBinaries.search(host).isEmpty());
    }
}
