package dev.firmquery.localpg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.firmquery.localpg.PostgresServer.Mode;
import dev.firmquery.localpg.PostgresServer.Options;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Choosing how to launch PostgreSQL")
class LaunchPlanTest {
    private static final Path RUNUSER = Path.of("/usr/sbin/runuser");

    @TempDir
    Path tmp;

    private Path installed15() throws IOException {
        return FakeInstall.serverBinaries(tmp.resolve("usr/lib/postgresql/15/bin"));
    }

    private PgBinaries.InstallLocation debianLocation() {
        return new PgBinaries.InstallLocation(tmp.resolve("usr/lib/postgresql"), "");
    }

    private static PostgresServerException failure(Options options, FakeHost host) {
        return assertThrows(PostgresServerException.class, () -> LaunchPlan.choose(options, host));
    }

    private static void assertMentions(Exception e, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' missing from: " + e.getMessage());
        }
    }

    @Nested
    @DisplayName("for a non-root user")
    class NonRoot {
        @Test
        void uses_the_bundled_binaries_even_when_postgresql_is_installed() throws Exception {
            installed15();
            FakeHost host = FakeHost.nonRoot().withInstallLocations(debianLocation());

            LaunchPlan plan = LaunchPlan.choose(Options.defaults(), host);

            assertInstanceOf(LaunchPlan.Bundled.class, plan.binaries());
            assertInstanceOf(LaunchPlan.Self.class, plan.runAs());
        }

        @Test
        void uses_installed_binaries_on_a_platform_without_bundled_ones() throws Exception {
            Path bin = installed15();
            FakeHost host = FakeHost.nonRoot().withoutBundledBinaries().withInstallLocations(debianLocation());

            LaunchPlan plan = LaunchPlan.choose(Options.defaults(), host);

            assertEquals(bin.toRealPath(), assertInstanceOf(LaunchPlan.Installed.class, plan.binaries()).binaries().directory());
        }

        @Test
        void uses_a_configured_bin_directory() throws Exception {
            Path bin = FakeInstall.serverBinaries(tmp.resolve("opt/pg/bin"));
            FakeHost host = FakeHost.nonRoot().withSetting("FIRMQUERY_PG_BIN", bin.toString());

            LaunchPlan plan = LaunchPlan.choose(Options.defaults(), host);

            assertEquals(bin.toRealPath(), assertInstanceOf(LaunchPlan.Installed.class, plan.binaries()).binaries().directory());
            assertInstanceOf(LaunchPlan.Self.class, plan.runAs());
        }
    }

    @Nested
    @DisplayName("for root")
    class Root {
        @Test
        void runs_installed_binaries_as_the_postgres_user_through_runuser() throws Exception {
            Path bin = installed15();
            FakeHost host = FakeHost.root().withInstallLocations(debianLocation()).withUsers("postgres", "nobody")
                    .withOnPath("runuser", RUNUSER).withUnshare();

            LaunchPlan plan = LaunchPlan.choose(Options.defaults(), host);

            assertEquals(bin.toRealPath(), assertInstanceOf(LaunchPlan.Installed.class, plan.binaries()).binaries().directory());
            assertEquals(new LaunchPlan.OsUser("postgres"), plan.runAs());
            assertEquals(java.util.List.of("runuser", "-u", "postgres", "--"), plan.runAs().commandPrefix());
        }

        @Test
        void runs_the_bundled_binaries_as_nobody_when_nothing_is_installed() throws Exception {
            FakeHost host = FakeHost.root().withUsers("nobody").withOnPath("runuser", RUNUSER);

            LaunchPlan plan = LaunchPlan.choose(Options.defaults(), host);

            assertInstanceOf(LaunchPlan.Bundled.class, plan.binaries());
            assertEquals(new LaunchPlan.OsUser("nobody"), plan.runAs());
        }

        @Test
        void runs_the_server_as_the_os_user_named_by_environment_variable() throws Exception {
            installed15();
            FakeHost host = FakeHost.root().withInstallLocations(debianLocation()).withUsers("postgres", "pgtest")
                    .withOnPath("runuser", RUNUSER).withSetting("FIRMQUERY_PG_OS_USER", "pgtest");

            assertEquals(new LaunchPlan.OsUser("pgtest"), LaunchPlan.choose(Options.defaults(), host).runAs());
        }

        @Test
        void rejects_a_named_os_user_that_does_not_exist() {
            FakeHost host = FakeHost.root().withUsers("postgres").withOnPath("runuser", RUNUSER);

            assertMentions(failure(Options.defaults().withOsUser("pgmissing"), host), "'pgmissing'", "useradd");
        }

        @Test
        void rejects_root_as_the_os_user() {
            FakeHost host = FakeHost.root().withUsers("root").withOnPath("runuser", RUNUSER);

            assertMentions(failure(Options.defaults().withOsUser("root"), host), "unprivileged");
        }

        @Test
        void falls_back_to_a_user_namespace_without_runuser() throws Exception {
            FakeHost host = FakeHost.root().withUsers("postgres").withUnshare();

            assertEquals(new LaunchPlan.UserNamespace(), LaunchPlan.choose(Options.defaults(), host).runAs());
        }

        @Test
        void is_told_what_to_install_or_do_when_root_cannot_be_dropped() {
            FakeHost host = FakeHost.root();

            assertMentions(failure(Options.defaults(), host),
                    "refuses to run as root", "runuser is missing (package util-linux)", "'postgres' and 'nobody' do not exist",
                    "unshare -U) are unavailable", "run as a non-root user", "apt-get install postgresql",
                    "FIRMQUERY_PG_OS_USER");
        }
    }

    @Nested
    @DisplayName("by configuration")
    class Configured {
        @Test
        void rejects_a_bin_directory_without_the_server_binaries_listing_what_is_missing() throws Exception {
            Path bin = FakeInstall.binDirectory(tmp.resolve("opt/client/bin"), "psql", "pg_ctl");
            FakeHost host = FakeHost.nonRoot().withSetting("FIRMQUERY_PG_BIN", bin.toString());

            assertMentions(failure(Options.defaults(), host), "FIRMQUERY_PG_BIN", bin.toString(), "initdb, postgres");
        }

        @Test
        void mode_system_without_installed_binaries_says_where_it_searched_and_what_to_install() {
            FakeHost host = FakeHost.nonRoot().withInstallLocations(debianLocation());

            assertMentions(failure(Options.defaults().withMode(Mode.SYSTEM), host),
                    "initdb on PATH", debianLocation().describe(), "apt-get install postgresql");
        }

        @Test
        void mode_embedded_conflicts_with_a_configured_bin_directory() throws Exception {
            Path bin = FakeInstall.serverBinaries(tmp.resolve("opt/pg/bin"));
            FakeHost host = FakeHost.nonRoot().withSetting("FIRMQUERY_PG_BIN", bin.toString());

            assertMentions(failure(Options.defaults().withMode(Mode.EMBEDDED), host), "EMBEDDED", "unset one of them");
        }

        @Test
        void mode_embedded_on_a_platform_without_bundled_binaries_is_an_error() {
            FakeHost host = FakeHost.nonRoot().withoutBundledBinaries();

            assertMentions(failure(Options.defaults().withMode(Mode.EMBEDDED), host), "Linux x86_64 only");
        }

        @Test
        void the_mode_can_be_set_by_environment_variable() throws Exception {
            installed15();
            FakeHost host = FakeHost.nonRoot().withInstallLocations(debianLocation())
                    .withSetting("FIRMQUERY_PG_MODE", "System");

            assertInstanceOf(LaunchPlan.Installed.class, LaunchPlan.choose(Options.defaults(), host).binaries());
        }

        @Test
        void an_explicit_option_wins_over_the_environment() throws Exception {
            installed15();
            FakeHost host = FakeHost.nonRoot().withInstallLocations(debianLocation())
                    .withSetting("FIRMQUERY_PG_MODE", "system");

            assertInstanceOf(LaunchPlan.Bundled.class,
                    LaunchPlan.choose(Options.defaults().withMode(Mode.EMBEDDED), host).binaries());
        }

        @Test
        void an_unknown_mode_is_an_error_listing_the_allowed_ones() {
            FakeHost host = FakeHost.nonRoot().withSetting("FIRMQUERY_PG_MODE", "docker");

            assertMentions(failure(Options.defaults(), host), "'docker'", "auto, embedded, system");
        }
    }
}
