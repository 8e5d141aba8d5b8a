package dev.firmquery.run.store;

import java.util.List;
import java.util.regex.Pattern;

/**
 * How long a chunk's successful attempt took and on what, as its journal "done" line records it, so
 * that the report of a resumed run times the chunks of every session.
 *
 * @param micros         the attempt, from asking for a connection to the last row spooled
 * @param databaseMicros executing the statement and fetching its rows
 * @param poolWaitMicros waiting for a pooled connection
 * @param worker         the worker that ran it (1-based)
 * @param retried        the SQLStates of the attempts before it that failed and were retried, in order
 *                       ({@code none} for an error without one)
 */
public record ChunkTiming(long micros, long databaseMicros, long poolWaitMicros, int worker, List<String> retried) {
    /** What an SQLState token may hold: SQLStates are five characters of digits and capitals (SQL:2016, 24.1). */
    private static final Pattern STATE = Pattern.compile("[0-9A-Z]{5}|none");

    public ChunkTiming {
        if (micros < 0 || databaseMicros < 0 || poolWaitMicros < 0 || worker < 1) {
            throw new IllegalArgumentException("bad chunk timing " + micros + "/" + databaseMicros + "/"
                    + poolWaitMicros + " on worker " + worker);
        }
        retried = List.copyOf(retried);
        for (String s : retried) {
            if (!STATE.matcher(s).matches()) {
                throw new IllegalArgumentException("bad SQLState " + s);
            }
        }
    }

    /** The SQLState token for {@code sqlState} as the journal holds it: itself, or {@code none}. */
    public static String stateToken(String sqlState) {
        return sqlState != null && STATE.matcher(sqlState).matches() ? sqlState : "none";
    }

    /** Decoding the rows and spooling them: the attempt less the database and the pool. */
    public long spoolMicros() {
        return Math.max(0, micros - databaseMicros - poolWaitMicros);
    }

    /** The journal tokens, after a blank: {@code t=micros,db,pool,worker} and {@code retried=...} if any. */
    String tokens() {
        String t = "t=" + micros + "," + databaseMicros + "," + poolWaitMicros + "," + worker;
        return retried.isEmpty() ? t : t + " retried=" + String.join(",", retried);
    }

    /** The timing a {@code t=} token and an optional {@code retried=} token record. */
    static ChunkTiming parse(String t, String retried) {
        String[] v = t.split(",");
        if (v.length != 4) {
            throw new IllegalArgumentException("bad timing token t=" + t);
        }
        return new ChunkTiming(Long.parseLong(v[0]), Long.parseLong(v[1]), Long.parseLong(v[2]),
                Integer.parseInt(v[3]), retried == null ? List.of() : List.of(retried.split(",")));
    }
}
