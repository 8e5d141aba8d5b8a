package dev.firmquery.db;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.SocketException;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlErrorsTest {

    @ParameterizedTest(name = "SQLState {0} is retried")
    @ValueSource(strings = {"40001", "40P01", "08000", "08003", "08006", "08001", "57P01", "57P02", "57P03", "53300"})
    void transientStatesAreRetried(String state) {
        assertEquals(ErrorKind.TRANSIENT, SqlErrors.classify(new SQLException("x", state), false));
    }

    @ParameterizedTest(name = "SQLState {0} fails at once")
    @ValueSource(strings = {"22012", "42P01", "42601", "42501", "23505", "XX000", "28000", "25006"})
    void permanentStatesFailAtOnce(String state) {
        assertEquals(ErrorKind.PERMANENT, SqlErrors.classify(new SQLException("x", state), false));
    }

    @Test
    void queryCanceledIsATimeoutUnlessTheUserCancelled() {
        SQLException canceled = new SQLException("canceling statement due to statement timeout", "57014");
        assertEquals(ErrorKind.TIMEOUT, SqlErrors.classify(canceled, false));
        assertEquals(ErrorKind.CANCELLED, SqlErrors.classify(canceled, true));
    }

    @Test
    void anErrorCausedByALostSocketIsTransientEvenWithoutSqlState() {
        SQLException e = new SQLException("I/O error", null, new SocketException("Connection reset"));
        assertEquals(ErrorKind.TRANSIENT, SqlErrors.classify(e, false));
        assertTrue(SqlErrors.isConnectionBroken(e));
    }

    @Test
    void sqlStateIsFoundAlongTheCauseChain() {
        SQLException inner = new SQLException("could not serialize access", "40001");
        SQLException outer = new SQLException("wrapped", null, inner);
        assertEquals("40001", SqlErrors.sqlState(outer));
        assertEquals(ErrorKind.TRANSIENT, SqlErrors.classify(outer, false));
    }

    @Test
    void describeKeepsTheFirstLineAndTheSqlState() {
        SQLException e = new SQLException("ERROR: division by zero\n  Where: SQL function", "22012");
        assertEquals("ERROR: division by zero [SQLState 22012]", SqlErrors.describe(e));
    }

    @Test
    void aSyntaxErrorDoesNotBreakTheConnection() {
        assertFalse(SqlErrors.isConnectionBroken(new SQLException("syntax", "42601")));
        assertTrue(SqlErrors.isConnectionBroken(new SQLException("terminating connection", "57P01")));
    }
}
