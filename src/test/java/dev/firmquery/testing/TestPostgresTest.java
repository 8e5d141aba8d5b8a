package dev.firmquery.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.firmquery.localpg.PostgresServer;
import dev.firmquery.testing.TestPostgres.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("TestPostgres")
@ExtendWith(PostgresExtension.class)
class TestPostgresTest {

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void shares_one_server_across_the_test_jvm() {
        assertSame(TestPostgres.server(), TestPostgres.server());
    }

    @Test
    void gives_each_caller_its_own_empty_database() throws Exception {
        TestDatabase first = TestPostgres.freshDatabase("Isolation-Test");
        TestDatabase second = TestPostgres.freshDatabase("Isolation-Test");

        assertNotEquals(first.name(), second.name());
        assertTrue(first.name().startsWith("isolation_test_"), first.name());
        try (Connection c = first.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE only_here (x int)");
        }
        try (Connection c = second.connect()) {
            assertEquals(0, count(c, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'"));
        }
    }

    @Test
    void describes_a_database_with_a_url_that_reaches_it() throws Exception {
        TestDatabase db = TestPostgres.freshDatabase("url");

        assertEquals("jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.name(), db.jdbcUrl());
        try (Connection c = java.sql.DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            assertEquals(db.name(), rs.getString(1));
        }
    }

    @Test
    void loads_a_demo_database_once_per_size_and_seed() {
        TestDatabase first = TestPostgres.demoDatabase(500, 3);

        assertSame(first, TestPostgres.demoDatabase(500, 3));
        assertNotEquals(first.name(), TestPostgres.demoDatabase(500, 4).name());
    }

    @Test
    void injects_fresh_and_demo_databases_and_the_server_as_parameters(
            TestDatabase fresh, @DemoDatabase(firms = 500, seed = 3) TestDatabase demo, PostgresServer server)
            throws Exception {
        assertTrue(fresh.name().startsWith("injects_fresh_and_demo_databases"), fresh.name());
        assertSame(TestPostgres.demoDatabase(500, 3), demo);
        assertSame(TestPostgres.server(), server);
        try (Connection c = demo.connect()) {
            assertEquals(500, count(c, "SELECT count(*) FROM firm"));
        }
    }

    @Test
    void turns_any_prefix_into_a_valid_database_name() {
        assertEquals("t_1st_run", TestPostgres.sanitize("1st run"));
        assertEquals(40, TestPostgres.sanitize("x".repeat(80)).length());
    }
}
