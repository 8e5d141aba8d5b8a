package dev.firmquery.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.firmquery.db.ErrorKind;
import dev.firmquery.db.SqlErrors;
import java.net.SocketException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a worker does with a chunk whose statement failed, as a decision table: the error as the
 * driver reports it (SQLState), whether the user was cancelling the run, the chunk's counted attempt,
 * whether it already runs in two halves and what the outage guard said, to the decision. Each row goes
 * through the same steps as the engine: {@link SqlErrors#classify}, then the outage guard only when
 * {@link RetryPolicy#asksOutageGuard} says so, then {@link RetryPolicy#decide}.
 */
@DisplayName("the chunk retry decision")
class RetryPolicyTest {

    /** {@code processing.max_retries} for every row: a chunk gets four counted attempts. */
    private static final RetryPolicy POLICY = new RetryPolicy(3);

    /**
     * One row per case. SQLState {@code io} is an error without SQLState caused by a lost socket;
     * "outage" is what the outage guard said, {@code -} where the engine does not ask it (the row
     * fails if the engine would).
     */
    private static final String TABLE = """
            # SQLState  cancelling  attempt  split  outage     decision
            # serialization failure, deadlock, too many connections: retried while attempts are left
              40001     no          1        no     -          RETRY
              40001     no          3        no     -          RETRY
              40001     no          4        no     -          FAIL
              40001     no          1        yes    -          RETRY
              40P01     no          1        no     -          RETRY
              40P01     no          4        no     -          FAIL
              53300     no          2        no     -          RETRY
              53300     no          4        no     -          FAIL
            # a lost connection (class 08, 57P, a socket): the outage guard is asked first
              08006     no          1        no     NO_OUTAGE  RETRY
              08006     no          3        no     NO_OUTAGE  RETRY
              08006     no          4        no     NO_OUTAGE  FAIL
              08006     no          4        no     RESUMED    RETRY_AFTER_OUTAGE
              08006     no          2        no     GIVE_UP    STOP_RUN
              08001     no          1        no     NO_OUTAGE  RETRY
              08001     no          1        no     GIVE_UP    STOP_RUN
              57P01     no          1        no     NO_OUTAGE  RETRY
              57P01     no          1        no     RESUMED    RETRY_AFTER_OUTAGE
              57P02     no          4        no     NO_OUTAGE  FAIL
              57P03     no          1        no     GIVE_UP    STOP_RUN
              io        no          1        no     NO_OUTAGE  RETRY
              io        no          4        no     RESUMED    RETRY_AFTER_OUTAGE
              io        no          2        no     GIVE_UP    STOP_RUN
              io        no          4        yes    NO_OUTAGE  FAIL
            # query_canceled without the user: a timeout, tried once more in two halves
              57014     no          1        no     -          SPLIT
              57014     no          4        no     -          SPLIT
              57014     no          1        yes    -          FAIL
              57014     no          3        yes    -          FAIL
            # the user's cancel: whatever the error, the chunk stays not run (and the guard is not asked)
              57014     yes         1        no     -          NOT_RUN
              57014     yes         1        yes    -          NOT_RUN
              40001     yes         2        no     -          NOT_RUN
              08006     yes         1        no     -          NOT_RUN
              io        yes         1        no     -          NOT_RUN
              42P01     yes         1        no     -          NOT_RUN
            # retrying cannot help: fails at the first attempt
              42P01     no          1        no     -          FAIL
              42601     no          1        no     -          FAIL
              22012     no          1        no     -          FAIL
              42501     no          1        no     -          FAIL
              23505     no          1        yes    -          FAIL
              28000     no          1        no     -          FAIL
              XX000     no          1        no     -          FAIL
            """;

    record Row(String sqlState, boolean cancelling, int attempt, boolean split, OutageGuard.Verdict outage,
               RetryDecision expected) {

        static Row parse(String line) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 6) {
                throw new IllegalArgumentException("a row has 6 columns: " + line);
            }
            return new Row(f[0], yesNo(f[1]), Integer.parseInt(f[2]), yesNo(f[3]),
                    f[4].equals("-") ? null : OutageGuard.Verdict.valueOf(f[4]), RetryDecision.valueOf(f[5]));
        }

        private static boolean yesNo(String s) {
            return switch (s) {
                case "yes" -> true;
                case "no" -> false;
                default -> throw new IllegalArgumentException("yes or no, not " + s);
            };
        }

        SQLException error() {
            return sqlState.equals("io")
                    ? new SQLException("An I/O error occurred while sending to the backend.", null,
                            new SocketException("Connection reset"))
                    : new SQLException("the server said no", sqlState);
        }

        @Override
        public String toString() {
            return sqlState + (cancelling ? " while cancelling" : "") + ", attempt " + attempt
                    + (split ? ", split" : "") + (outage == null ? "" : ", guard: " + outage)
                    + " -> " + expected;
        }
    }

    static Stream<Row> table() {
        return TABLE.lines().filter(l -> !l.isBlank() && !l.trim().startsWith("#")).map(Row::parse);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(Row row) {
        SQLException e = row.error();
        ErrorKind kind = SqlErrors.classify(e, row.cancelling());

        boolean asks = RetryPolicy.asksOutageGuard(kind, SqlErrors.isConnectionBroken(e));
        assertEquals(row.outage() != null, asks,
                asks ? "the engine asks the outage guard here: give its verdict" : "the engine does not ask the guard");
        OutageGuard.Verdict outage = asks ? row.outage() : OutageGuard.Verdict.NO_OUTAGE;

        assertEquals(row.expected(), POLICY.decide(kind, outage, row.split(), row.attempt()));
    }

    @Test
    void theTableReachesEveryDecisionKindAndVerdict() {
        List<Row> rows = table().toList();
        assertEquals(EnumSet.allOf(RetryDecision.class), rows.stream().map(Row::expected)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(RetryDecision.class))));
        assertEquals(EnumSet.allOf(ErrorKind.class), rows.stream()
                .map(r -> SqlErrors.classify(r.error(), r.cancelling()))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(ErrorKind.class))));
        Set<OutageGuard.Verdict> verdicts = rows.stream().map(Row::outage).filter(v -> v != null)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(OutageGuard.Verdict.class)));
        assertEquals(EnumSet.allOf(OutageGuard.Verdict.class), verdicts);
    }

    @Test
    void withNoRetriesATransientErrorFailsAtTheFirstAttempt() {
        RetryPolicy none = new RetryPolicy(0);

        assertEquals(RetryDecision.FAIL, none.decide(ErrorKind.TRANSIENT, OutageGuard.Verdict.NO_OUTAGE, false, 1));
        assertEquals(RetryDecision.SPLIT, none.decide(ErrorKind.TIMEOUT, OutageGuard.Verdict.NO_OUTAGE, false, 1));
        assertEquals(RetryDecision.RETRY_AFTER_OUTAGE,
                none.decide(ErrorKind.TRANSIENT, OutageGuard.Verdict.RESUMED, false, 1));
    }

    @Test
    void theRetriesAreMaxRetriesAfterTheFirstAttempt() {
        RetryPolicy five = new RetryPolicy(5);
        String decisions = Arrays.stream(new int[] {1, 2, 3, 4, 5, 6})
                .mapToObj(a -> five.decide(ErrorKind.TRANSIENT, OutageGuard.Verdict.NO_OUTAGE, false, a).name())
                .map(n -> n.toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(" "));

        assertEquals("retry retry retry retry retry fail", decisions);
        assertEquals(6, five.maxAttempts());
    }

    @Test
    void anOutageVerdictForAnErrorThatDoesNotAskForOneIsAProgrammingError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> POLICY.decide(ErrorKind.PERMANENT, OutageGuard.Verdict.RESUMED, false, 1));
        assertEquals("an outage verdict (RESUMED) for a PERMANENT error: only transient errors that lost the"
                + " connection ask the outage guard", e.getMessage());
    }

    @Test
    void maxRetriesCannotBeNegative() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(-1));
    }
}
