package dev.firmquery.run;

import dev.firmquery.chunk.Chunk;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code firmquery explain}: one chunk of a run rendered and bound as the engine would, run under
 * {@code EXPLAIN (ANALYZE, BUFFERS)} on PostgreSQL or {@code EXPLAIN ANALYZE} on CockroachDB (told
 * apart by {@code version()}), inside a read-only transaction that is rolled back.
 */
public final class ChunkExplainer {
    /**
     * Rows a sequential scan may read before the plan is flagged: a chunk of 250 IDs needs a few
     * hundred rows by index; ten thousand read to keep a few means a missing or unusable index.
     */
    static final long LARGE_SCAN_ROWS = 10_000;

    private static final Pattern PG_TOP_ROWS = Pattern.compile("\\(actual time=[0-9.]+\\.\\.[0-9.]+ rows=(\\d+)");
    private static final Pattern PG_SEQ_SCAN = Pattern.compile("Seq Scan on (\\S+).*\\(actual time=\\S+ rows=(\\d+) loops=(\\d+)\\)");
    private static final Pattern PG_REMOVED = Pattern.compile("Rows Removed by Filter: (\\d+)");
    private static final Pattern PG_TOTAL_COST = Pattern.compile("\"Total Cost\": ([0-9.]+)");
    private static final Pattern CRDB_ROWS = Pattern.compile("actual row count: ([0-9,]+)");

    private ChunkExplainer() {
    }

    /** The database kinds whose EXPLAIN differs. */
    public enum Server { POSTGRESQL, COCKROACHDB }

    /**
     * What an explained chunk showed.
     *
     * @param server   the kind of server
     * @param version  its {@code version()}
     * @param chunk    the chunk (1-based number, IDs)
     * @param plan     the plan's lines as the server printed them
     * @param millis   the EXPLAIN ANALYZE statement's time, this side of the network
     * @param rows     the rows the chunk returned, from the plan (-1 when the plan did not say)
     * @param warnings what the plan suggests fixing: sequential scans of large tables
     */
    public record Explained(Server server, String version, Chunk chunk, List<String> plan, long millis, long rows,
                            List<String> warnings) {
        public Explained {
            plan = List.copyOf(plan);
            warnings = List.copyOf(warnings);
        }
    }

    /** The server kind behind {@code c}, from {@code version()}. */
    public static Server server(String version) {
        return version.contains("CockroachDB") ? Server.COCKROACHDB : Server.POSTGRESQL;
    }

    /**
     * Explains chunk {@code index} (0-based) of {@code request} on {@code c}, in a read-only
     * transaction that is rolled back.
     */
    public static Explained explain(Connection c, RunRequest request, int index) throws SQLException {
        readOnly(c);
        String version = version(c);
        Server server = server(version);
        Chunk chunk = request.plan().get(index);
        String prefix = switch (server) {
            case POSTGRESQL -> "EXPLAIN (ANALYZE, BUFFERS) ";
            case COCKROACHDB -> "EXPLAIN ANALYZE ";
        };
        List<String> plan = new ArrayList<>();
        long millis;
        try (PreparedStatement ps = c.prepareStatement(prefix + request.renderer().sql(request.input().ids(),
                chunk.from(), chunk.to()))) {
            request.renderer().bind(ps, request.input().ids(), chunk.from(), chunk.to());
            long t0 = System.nanoTime();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.add(rs.getString(1));
                }
            }
            millis = (System.nanoTime() - t0) / 1_000_000;
        } finally {
            c.rollback();
        }
        return new Explained(server, version, chunk, plan, millis, rows(server, plan), warnings(server, plan));
    }

    /**
     * The chunk (0-based) with the highest estimated total cost: a plain {@code EXPLAIN (FORMAT JSON)}
     * of every chunk, nothing executed. PostgreSQL only: CockroachDB's EXPLAIN shows no cost.
     *
     * @throws SQLException also on CockroachDB, saying to give {@code --chunk N}
     */
    public static int costliest(Connection c, RunRequest request) throws SQLException {
        readOnly(c);
        String version = version(c);
        if (server(version) == Server.COCKROACHDB) {
            c.rollback();
            throw new SQLException("--chunk slowest needs the planner's costs, which CockroachDB's EXPLAIN does not "
                    + "show; give --chunk N, e.g. a chunk of timings.slowest_chunks in a run's report", "0A000");
        }
        int best = 0;
        double bestCost = -1;
        try {
            for (int i = 0; i < request.plan().size(); i++) {
                Chunk chunk = request.plan().get(i);
                try (PreparedStatement ps = c.prepareStatement("EXPLAIN (FORMAT JSON) " + request.renderer()
                        .sql(request.input().ids(), chunk.from(), chunk.to()))) {
                    request.renderer().bind(ps, request.input().ids(), chunk.from(), chunk.to());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        Matcher m = PG_TOTAL_COST.matcher(rs.getString(1));
                        double cost = m.find() ? Double.parseDouble(m.group(1)) : 0;
                        if (cost > bestCost) {
                            bestCost = cost;
                            best = i;
                        }
                    }
                }
            }
        } finally {
            c.rollback();
        }
        return best;
    }

    private static String version(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Read-only and outside autocommit, as the engine runs chunks (docs/decisions.md); between transactions. */
    private static void readOnly(Connection c) throws SQLException {
        if (!c.getAutoCommit()) {
            c.rollback();
        }
        c.setAutoCommit(false);
        c.setReadOnly(true);
    }

    private static long rows(Server server, List<String> plan) {
        for (String line : plan) {
            Matcher m = (server == Server.POSTGRESQL ? PG_TOP_ROWS : CRDB_ROWS).matcher(line);
            if (m.find()) {
                return Long.parseLong(m.group(1).replace(",", ""));
            }
        }
        return -1;
    }

    static List<String> warnings(Server server, List<String> plan) {
        List<String> warnings = new ArrayList<>();
        if (server == Server.COCKROACHDB) {
            for (String line : plan) {
                if (line.contains("FULL SCAN")) {
                    warnings.add("a full table scan (" + line.trim() + "): the chunk reads the whole table; check "
                            + "that the WHERE ... IN ({ID_PLACEHOLDER}) column has an index");
                }
            }
            return warnings;
        }
        for (int i = 0; i < plan.size(); i++) {
            Matcher m = PG_SEQ_SCAN.matcher(plan.get(i));
            if (!m.find()) {
                continue;
            }
            long read = Long.parseLong(m.group(2)) * Long.parseLong(m.group(3));
            for (int j = i + 1; j < plan.size() && j < i + 6; j++) {
                Matcher r = PG_REMOVED.matcher(plan.get(j));
                if (r.find()) {
                    read += Long.parseLong(r.group(1)) * Long.parseLong(m.group(3));
                    break;
                }
            }
            if (read >= LARGE_SCAN_ROWS) {
                warnings.add(String.format(Locale.ROOT, "a sequential scan of %s read %,d rows for this chunk: check "
                        + "that the WHERE ... IN ({ID_PLACEHOLDER}) column has an index, and that the template "
                        + "compares it without a cast or a function around it", m.group(1), read));
            }
        }
        return warnings;
    }
}
