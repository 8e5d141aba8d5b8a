package dev.firmquery.db;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Classifies database errors for the retry policy ({@code run.RetryPolicy}; docs/reliability.md,
 * "Faults and what happens").
 *
 * <p>Transient: {@code 40001} (serialization failure; CockroachDB's "restart transaction"),
 * {@code 40P01} (deadlock), class {@code 08} (connection exceptions), {@code 57P01}–{@code 57P03}
 * (admin shutdown, crash shutdown, cannot connect now — a draining node), {@code 53300} (too many
 * connections), and any error caused by a lost socket. {@code 57014} (query_canceled) is a timeout
 * unless the run was cancelled by the user.
 */
public final class SqlErrors {
    private SqlErrors() {
    }

    /**
     * @param e             the error
     * @param userCancelled whether the run was being cancelled when the error arrived; a
     *                      {@code 57014} is then the user's cancel, not a timeout
     */
    public static ErrorKind classify(SQLException e, boolean userCancelled) {
        String state = sqlState(e);
        if ("57014".equals(state)) {
            return userCancelled ? ErrorKind.CANCELLED : ErrorKind.TIMEOUT;
        }
        if (userCancelled) {
            return ErrorKind.CANCELLED;
        }
        if (state != null && isTransientState(state)) {
            return ErrorKind.TRANSIENT;
        }
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException || causedByIo(e)) {
            return ErrorKind.TRANSIENT;
        }
        return ErrorKind.PERMANENT;
    }

    /** Whether this SQLState is one the retry policy retries. */
    public static boolean isTransientState(String state) {
        return state.equals("40001") || state.equals("40P01") || state.startsWith("08")
                || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                || state.equals("53300");
    }

    /** Whether the connection that raised {@code e} must be discarded rather than reused. */
    public static boolean isConnectionBroken(SQLException e) {
        String state = sqlState(e);
        return (state != null && (state.startsWith("08") || state.startsWith("57P"))) || causedByIo(e);
    }

    /** The first SQLState found along the exception chain, or {@code null}. */
    public static String sqlState(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return null;
    }

    /** One line for users: the server's message and the SQLState, without the driver's stack. */
    public static String describe(SQLException e) {
        String state = sqlState(e);
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        int nl = msg.indexOf('\n');
        if (nl > 0) {
            // pgjdbc appends "  Where: ..." / "  Position: ..." on new lines; the first line carries the cause.
            msg = msg.substring(0, nl).strip();
        }
        return state == null ? msg : msg + " [SQLState " + state + "]";
    }

    private static boolean causedByIo(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
