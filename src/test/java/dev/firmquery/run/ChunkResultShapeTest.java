package dev.firmquery.run;

import dev.firmquery.sql.IdBinding;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.postgresql.PGStatement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a chunk statement's results are read on a real PostgreSQL: each chunk's are exactly the rollback
 * to the savepoint's update count and then its rows, and results in any other shape are refused rather
 * than taken for some chunk's rows; chunk statements are prepared on the server where their text repeats.
 */
@DisplayName("The results of chunk statements")
class ChunkResultShapeTest {
    /** A chunk as firmquery sends it: the rollback, then the template with two IDs bound. */
    private static final String CHUNK = HeldConnection.UNDO_PREVIOUS_CHUNK
            + "SELECT x FROM generate_series(1, 10) AS x WHERE x IN (?, ?)";
    private static TestPostgres.TestDatabase db;
    private Connection con;

    @BeforeAll
    static void database() {
        db = TestPostgres.freshDatabase("chunk_result_shape");
    }

    @BeforeEach
    void transactionWithTheSavepoint() throws SQLException {
        con = db.connect();
        con.setAutoCommit(false);
        con.createStatement().execute("SAVEPOINT firmquery_chunk");
    }

    @AfterEach
    void close() throws SQLException {
        con.close();
    }

    /** The rows of each of {@code chunks} chunks of {@code ps} (chunk k binds k*2+1 and k*2+2). */
    private static List<List<Long>> readGroup(PreparedStatement ps, int chunks) throws SQLException {
        for (int k = 0; k < chunks; k++) {
            ps.setLong(2 * k + 1, 2 * k + 1);
            ps.setLong(2 * k + 2, 2 * k + 2);
        }
        List<List<Long>> all = new ArrayList<>();
        boolean rows = ps.execute();
        for (int k = 0; k < chunks; k++) {
            List<Long> values = new ArrayList<>();
            try (ResultSet rs = ChunkFetch.nextRows(ps, rows)) {
                while (rs.next()) {
                    values.add(rs.getLong(1));
                }
            }
            all.add(values);
            rows = ps.getMoreResults();
        }
        ChunkFetch.noMoreResults(ps, rows);
        return all;
    }

    private static String group(int chunks) {
        return String.join("\n;\n", java.util.Collections.nCopies(chunks, CHUNK));
    }

    @Test
    @DisplayName("a group of three gives each chunk its own rows, in order, and nothing after them")
    void eachChunkGetsItsOwnRows() throws SQLException {
        try (PreparedStatement ps = ChunkFetch.prepare(con, group(3), IdBinding.BIND)) {
            for (int execution = 0; execution < 3; execution++) { // text, then binary once prepared
                assertEquals(List.of(List.of(1L, 2L), List.of(3L, 4L), List.of(5L, 6L)), readGroup(ps, 3));
            }
        }
    }

    @Test
    @DisplayName("rows where the rollback's update count belongs are refused, with what to do")
    void rowsInPlaceOfTheRollbackAreRefused() throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("SELECT 1; " + CHUNK)) {
            ps.setLong(1, 1);
            ps.setLong(2, 2);
            SQLException e = assertThrows(SQLException.class, () -> ChunkFetch.nextRows(ps, ps.execute()));

            assertEquals(ChunkFetch.UNEXPECTED_RESULT, e.getSQLState());
            assertTrue(e.getMessage().contains("returned rows where the update count of ROLLBACK TO SAVEPOINT was expected")
                    && e.getMessage().contains("processing.chunks_per_round_trip=1"), e.getMessage());
        }
    }

    @Test
    @DisplayName("a result after the last chunk's rows is refused")
    void aResultAfterTheLastChunkIsRefused() throws SQLException {
        try (PreparedStatement ps = con.prepareStatement(CHUNK + "; SELECT 99")) {
            ps.setLong(1, 1);
            ps.setLong(2, 2);
            boolean rows = ps.execute();
            try (ResultSet rs = ChunkFetch.nextRows(ps, rows)) {
                assertTrue(rs.next());
            }
            boolean more = ps.getMoreResults();

            SQLException e = assertThrows(SQLException.class, () -> ChunkFetch.noMoreResults(ps, more));
            assertEquals(ChunkFetch.UNEXPECTED_RESULT, e.getSQLState());
        }
    }

    @Test
    @DisplayName("pgjdbc's forced binary transfer (prepareThreshold -1) never gives a chunk another chunk's rows")
    void forcedBinaryTransferNeverMisplacesRows() throws SQLException {
        // pgjdbc 42.7.8 then reports each rollback after the group's first as an empty row result: read
        // in order, chunk 2 would get no rows and chunk 3 chunk 2's. Either the driver gives the shape
        // firmquery sent, or the group is refused.
        try (PreparedStatement ps = con.prepareStatement(group(3))) {
            ps.unwrap(PGStatement.class).setPrepareThreshold(-1);
            try {
                assertEquals(List.of(List.of(1L, 2L), List.of(3L, 4L), List.of(5L, 6L)), readGroup(ps, 3));
            } catch (SQLException e) {
                assertEquals(ChunkFetch.UNEXPECTED_RESULT, e.getSQLState(), e.toString());
            }
        }
    }

    @Test
    @DisplayName("with bind and array binding a chunk statement is prepared on the server at once; with literal, at the driver's default")
    void repeatedTextsArePreparedAtOnce() throws SQLException {
        for (IdBinding binding : IdBinding.values()) {
            try (PreparedStatement ps = ChunkFetch.prepare(con, CHUNK, binding)) {
                int threshold = ps.unwrap(PGStatement.class).getPrepareThreshold();
                int expected = switch (binding) {
                    case BIND, ARRAY -> 1;
                    case LITERAL -> 5;
                };
                assertEquals(expected, threshold, binding.toString());
            }
        }
    }
}
