package dev.firmquery.testing;

import dev.firmquery.demo.DemoData;
import dev.firmquery.localpg.PostgresServer;
import dev.firmquery.localpg.PostgresServerException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The one PostgreSQL server of a test JVM: started on first use, stopped by a JVM shutdown hook.
 * Tests get isolation from databases, not servers: {@link #freshDatabase} gives each test an empty
 * database of its own; {@link #demoDatabase} a shared, read-only one with {@link DemoData} loaded.
 *
 * <p>This class is the only static holder of a server in the code base, which is acceptable because
 * it is test code and the server is the slow, shared resource that a surefire fork exists to share.
 */
public final class TestPostgres {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** Guarded by TestPostgres.class. */
    private static PostgresServer server;
    /** Guarded by TestPostgres.class: a failed start is not retried by every test. */
    private static IllegalStateException startFailure;
    /** Guarded by TestPostgres.class. */
    private static final Map<String, TestDatabase> DEMO_DATABASES = new HashMap<>();

    private TestPostgres() {
    }

    /**
     * A database on the test server and how to reach it.
     *
     * @param password the server's random superuser password (it trusts nobody, not even 127.0.0.1)
     */
    public record TestDatabase(String name, String jdbcUrl, String host, int port, String user, String password,
                               DataSource dataSource) {
        public Connection connect() throws SQLException {
            return dataSource.getConnection();
        }
    }

    /** The shared server, started on first call. */
    public static synchronized PostgresServer server() {
        if (startFailure != null) {
            throw startFailure;
        }
        if (server == null) {
            try {
                server = PostgresServer.start(PostgresServer.Options.defaults().withDatabase("firmquery_test"));
            } catch (PostgresServerException e) {
                startFailure = new IllegalStateException("The test PostgreSQL server did not start: " + e.getMessage(), e);
                throw startFailure;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-postgres-shutdown"));
        }
        return server;
    }

    /**
     * Creates a new, empty database named {@code <prefix>_<n>} (prefix lower-cased, anything but
     * letters, digits and underscores replaced by {@code _}).
     */
    public static TestDatabase freshDatabase(String prefix) {
        String name = sanitize(prefix) + "_" + SEQUENCE.incrementAndGet();
        return create(name);
    }

    /**
     * The database with {@code DemoData.create(firms, seed)} loaded, created on the first call for
     * this (firms, seed) and shared afterwards: do not modify it.
     */
    public static synchronized TestDatabase demoDatabase(int firms, long seed) {
        String name = "demo_" + firms + "_" + (seed < 0 ? "m" + -seed : Long.toString(seed));
        TestDatabase existing = DEMO_DATABASES.get(name);
        if (existing != null) {
            return existing;
        }
        TestDatabase database = create(name);
        try (Connection c = database.connect()) {
            DemoData.create(c, firms, seed);
        } catch (SQLException e) {
            throw new IllegalStateException("Loading demo data (" + firms + " firms, seed " + seed + ") into "
                    + database.jdbcUrl() + " failed: " + e.getMessage() + " (SQLState " + e.getSQLState() + ")", e);
        }
        DEMO_DATABASES.put(name, database);
        return database;
    }

    private static TestDatabase create(String name) {
        PostgresServer pg = server();
        try {
            pg.createDatabase(name);
        } catch (SQLException e) {
            throw new IllegalStateException("Creating test database " + name + " on " + pg.jdbcUrl() + " failed: "
                    + e.getMessage() + " (SQLState " + e.getSQLState() + ")", e);
        }
        return new TestDatabase(name, pg.jdbcUrl(name), pg.host(), pg.port(), pg.user(), pg.password(),
                pg.dataSource(name));
    }

    static String sanitize(String prefix) {
        String cleaned = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (cleaned.isEmpty() || Character.isDigit(cleaned.charAt(0))) {
            cleaned = "t_" + cleaned;
        }
        return cleaned.length() > 40 ? cleaned.substring(0, 40) : cleaned;
    }
}
