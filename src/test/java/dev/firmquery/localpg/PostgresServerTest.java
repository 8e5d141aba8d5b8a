package dev.firmquery.localpg;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.firmquery.localpg.PostgresServer.Options;
import dev.firmquery.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("PostgresServer")
class PostgresServerTest {

    private static String queryOne(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), "no row from " + sql);
            return rs.getString(1);
        }
    }

    private static Connection connect(String url, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(url, props);
    }

    @Nested
    @DisplayName("once started (the shared test server)")
    class Started {
        private final PostgresServer server = TestPostgres.server();

        @Test
        void answers_select_version_at_its_jdbc_url_as_its_user() throws Exception {
            try (Connection c = connect(server.jdbcUrl(), server.user(), server.password())) {
                assertTrue(queryOne(c, "SELECT version()").startsWith("PostgreSQL " + server.serverVersion()));
                assertEquals(server.user(), queryOne(c, "SELECT current_user"));
                assertEquals(server.database(), queryOne(c, "SELECT current_database()"));
            }
        }

        @Test
        void describes_itself_consistently() {
            assertEquals("127.0.0.1", server.host());
            assertEquals("jdbc:postgresql://127.0.0.1:" + server.port() + "/" + server.database(), server.jdbcUrl());
            assertTrue(server.password() != null && server.password().length() >= 32,
                    "a random password of at least 192 bits: " + (server.password() == null ? "null" : "set"));
            assertTrue(Files.isRegularFile(server.dataDirectory().resolve("PG_VERSION")), server.dataDirectory().toString());
        }

        @Test
        void runs_with_the_demo_only_durability_settings_on_loopback_only() throws Exception {
            try (Connection c = server.dataSource().getConnection()) {
                assertEquals("off", queryOne(c, "SHOW fsync"));
                assertEquals("off", queryOne(c, "SHOW synchronous_commit"));
                assertEquals("off", queryOne(c, "SHOW full_page_writes"));
                assertEquals("127.0.0.1", queryOne(c, "SHOW listen_addresses"));
                assertEquals("", queryOne(c, "SHOW unix_socket_directories"));
                assertEquals("true", queryOne(c, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user"));
            }
        }

        @Test
        void creates_further_databases_reachable_at_their_own_url() throws Exception {
            server.createDatabase("created_by_test");
            try (Connection c = connect(server.jdbcUrl("created_by_test"), server.user(), server.password())) {
                assertEquals("created_by_test", queryOne(c, "SELECT current_database()"));
                assertEquals("UTF8", queryOne(c, "SHOW server_encoding"));
            }
        }
    }

    @Nested
    @DisplayName("its lifecycle (a server of its own per test)")
    class Lifecycle {

        @Test
        void close_stops_the_server_and_removes_its_directory() throws Exception {
            PostgresServer server = PostgresServer.start(Options.defaults());
            Path root = server.dataDirectory().getParent();
            long postmaster = postmasterPid(server);

            server.close();

            assertFalse(Files.exists(root), root + " should be gone");
            assertFalse(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false), "postmaster still alive");
            SQLException refused = assertThrows(SQLException.class, () -> connect(server.jdbcUrl(), server.user(), server.password()).close());
            assertEquals("08001", refused.getSQLState());
        }

        @Test
        void close_twice_is_harmless() throws Exception {
            PostgresServer server = PostgresServer.start(Options.defaults());
            server.close();

            assertDoesNotThrow(server::close);
        }

        @Test
        void close_cleans_up_after_a_server_that_died() throws Exception {
            PostgresServer server = PostgresServer.start(Options.defaults());
            Path root = server.dataDirectory().getParent();
            ProcessHandle postmaster = ProcessHandle.of(postmasterPid(server)).orElseThrow();
            postmaster.destroyForcibly();
            postmaster.onExit().get();

            server.close();

            assertFalse(Files.exists(root), root + " should be gone");
        }

        @Test
        void applies_the_callers_database_user_and_settings() throws Exception {
            Options options = Options.defaults().withDatabase("demo_db").withUser("demo_user")
                    .withServerSetting("work_mem", "12MB").withServerSetting("log_line_prefix", "%m [%p] it's ");
            try (PostgresServer server = PostgresServer.start(options);
                 Connection c = server.dataSource().getConnection()) {
                assertEquals("demo_db", queryOne(c, "SELECT current_database()"));
                assertEquals("demo_user", queryOne(c, "SELECT current_user"));
                assertEquals("12MB", queryOne(c, "SHOW work_mem"));
                assertEquals("%m [%p] it's ", queryOne(c, "SHOW log_line_prefix"));
            }
        }

        @Test
        void puts_the_callers_hba_lines_first_so_a_role_can_require_a_password() throws Exception {
            Options options = Options.defaults()
                    .withHbaLines(List.of("host all password_user 127.0.0.1/32 scram-sha-256"));
            try (PostgresServer server = PostgresServer.start(options)) {
                try (Connection c = server.dataSource().getConnection(); Statement s = c.createStatement()) {
                    s.execute("CREATE ROLE password_user LOGIN PASSWORD 'right'");
                }

                SQLException wrong = assertThrows(SQLException.class,
                        () -> connect(server.jdbcUrl(), "password_user", "wrong").close());
                assertEquals("28P01", wrong.getSQLState());
                try (Connection c = connect(server.jdbcUrl(), "password_user", "right")) {
                    assertEquals("password_user", queryOne(c, "SELECT current_user"));
                }
            }
        }

        @Test
        void a_server_that_cannot_start_reports_its_log_and_leaves_nothing_behind() throws Exception {
            Set<Path> before = ownClusterDirectories();
            Options options = Options.defaults().withServerSetting("shared_buffers", "plenty")
                    .withStartTimeout(Duration.ofSeconds(30));

            PostgresServerException e = assertThrows(PostgresServerException.class, () -> PostgresServer.start(options));

            assertTrue(e.getMessage().contains("shared_buffers"), e.getMessage());
            assertTrue(e.getMessage().contains("plenty"), e.getMessage());
            assertEquals(before, ownClusterDirectories());
        }
    }

    @Nested
    @DisplayName("each way of launching")
    class LaunchVariants {

        @Test
        void runs_the_bundled_binaries() throws Exception {
            try (PostgresServer server = PostgresServer.start(Options.defaults().withMode(PostgresServer.Mode.EMBEDDED));
                 Connection c = server.dataSource().getConnection()) {
                assertTrue(server.launchDescription().startsWith("bundled"), server.launchDescription());
                assertTrue(queryOne(c, "SELECT version()").startsWith("PostgreSQL 15."));
            }
        }

        @Test
        void runs_as_root_inside_a_user_namespace_when_runuser_is_unavailable() throws Exception {
            SystemHost real = new SystemHost();
            assumeTrue(real.isRoot() && real.canUnshareUserNamespace(), "needs root and working user namespaces");
            Host withoutRunuser = new DelegatingHost(real) {
                @Override
                public Optional<Path> findOnPath(String name) {
                    return name.equals("runuser") ? Optional.empty() : super.findOnPath(name);
                }
            };
            PostgresServer server = PostgresServer.start(Options.defaults(), withoutRunuser);
            Path root = server.dataDirectory().getParent();
            try (server; Connection c = server.dataSource().getConnection()) {
                assertTrue(server.launchDescription().endsWith("in a user namespace (unshare -U)"), server.launchDescription());
                assertEquals(server.user(), queryOne(c, "SELECT current_user"));
            }
            assertFalse(Files.exists(root), root + " should be gone");
        }
    }

    @Nested
    @DisplayName("its options")
    class OptionsValidation {

        @Test
        void refuse_settings_the_launcher_owns() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Options.defaults().withServerSetting("hba_file", "/etc/pg_hba.conf"));
            assertTrue(e.getMessage().contains("hbaLines"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Options.defaults().withServerSetting("port", "5432"));
        }

        @Test
        void refuse_names_that_would_need_quoting() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Options.defaults().withDatabase("demo; DROP"));
            assertTrue(e.getMessage().contains("'demo; DROP'"), e.getMessage());
        }

        @Test
        void refuse_multi_line_hba_entries() {
            assertThrows(IllegalArgumentException.class,
                    () -> Options.defaults().withHbaLines(List.of("host all all 0.0.0.0/0 trust\nlocal all all trust")));
        }

        @Test
        void are_immutable_copies() {
            Map<String, String> settings = new java.util.HashMap<>(Map.of("work_mem", "8MB"));
            Options options = Options.defaults().withServerSettings(settings);
            settings.put("work_mem", "1GB");

            assertEquals("8MB", options.serverSettings().get("work_mem"));
            assertThrows(UnsupportedOperationException.class, () -> options.serverSettings().put("x", "y"));
        }
    }

    private static long postmasterPid(PostgresServer server) throws IOException {
        return Long.parseLong(Files.readAllLines(server.dataDirectory().resolve("postmaster.pid")).get(0).strip());
    }

    /** Cluster directories in the temp directory created by this JVM. */
    private static Set<Path> ownClusterDirectories() throws IOException {
        String pid = Long.toString(ProcessHandle.current().pid());
        try (Stream<Path> dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return dirs.filter(d -> d.getFileName().toString().startsWith(ClusterDirectory.PREFIX))
                    .filter(d -> ClusterDirectory.existing(d).owner().map(o -> Long.toString(o.pid()).equals(pid)).orElse(false))
                    .collect(Collectors.toSet());
        }
    }

    /** The real machine with parts overridden by a test. */
    static class DelegatingHost implements Host {
        private final Host delegate;

        DelegatingHost(Host delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean isRoot() {
            return delegate.isRoot();
        }

        @Override
        public Optional<String> setting(String property, String variable) {
            return delegate.setting(property, variable);
        }

        @Override
        public Optional<Path> findOnPath(String name) {
            return delegate.findOnPath(name);
        }

        @Override
        public boolean userExists(String name) {
            return delegate.userExists(name);
        }

        @Override
        public boolean canUnshareUserNamespace() {
            return delegate.canUnshareUserNamespace();
        }

        @Override
        public boolean hasBundledBinaries() {
            return delegate.hasBundledBinaries();
        }

        @Override
        public java.util.List<PgBinaries.InstallLocation> installLocations() {
            return delegate.installLocations();
        }

        @Override
        public Path tempDirectory() {
            return delegate.tempDirectory();
        }
    }
}
