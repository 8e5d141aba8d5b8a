package dev.firmquery.sql;

import dev.firmquery.sql.SqlToken.Kind;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a template may not do to its database session. A worker keeps its connection for up to 256
 * chunks, so anything a chunk leaves in the session reaches the chunks after it: a setting, a
 * {@code search_path}, a lock, a connection to another database. The engine rolls every chunk's
 * transaction back, which undoes settings changed inside it (docs/reliability.md, "Shared host"); what
 * a rollback does not undo, or what a template should not attempt at all, is refused here, with or
 * without {@code processing.allow_writes} (which is about data, not the session).
 *
 * <p>Rules as data: a function name (or name prefix) and why, with the fix. Only what is visible in the
 * template's text can be refused; a function the template calls may still do these things, which is
 * why the rollback is there as well.
 */
final class SessionStateRules {

    /** Why, for statements starting with these keywords. */
    private static final Map<String, String> STATEMENTS = Map.of(
            "SET", "changes a session setting",
            "RESET", "changes a session setting",
            "DISCARD", "resets the session",
            "LISTEN", "subscribes the session to notifications",
            "UNLISTEN", "changes the session's notification subscriptions",
            "PREPARE", "stores a prepared statement in the session",
            "DEALLOCATE", "removes prepared statements from the session",
            "DECLARE", "opens a cursor in the session",
            "LOAD", "loads a library into the session");

    private static final String XACT_LOCK_FIX = "; to serialise chunks use the transaction-level variant ";

    /** Why and the fix, for calls to these functions (lower case, as PostgreSQL folds unquoted names). */
    private static final Map<String, String> FUNCTIONS = Map.ofEntries(
            Map.entry("set_config", "set_config can change a setting for the rest of the session (is_local false),"
                    + " which the next chunks on this connection would inherit; write the value into the query"
                    + " itself, or have the database administrator set it for your user (ALTER ROLE ... SET)"),
            Map.entry("pg_advisory_lock", sessionLock("pg_advisory_lock", "pg_advisory_xact_lock")),
            Map.entry("pg_advisory_lock_shared", sessionLock("pg_advisory_lock_shared", "pg_advisory_xact_lock_shared")),
            Map.entry("pg_try_advisory_lock", sessionLock("pg_try_advisory_lock", "pg_try_advisory_xact_lock")),
            Map.entry("pg_try_advisory_lock_shared",
                    sessionLock("pg_try_advisory_lock_shared", "pg_try_advisory_xact_lock_shared")),
            Map.entry("pg_advisory_unlock", sessionUnlock("pg_advisory_unlock")),
            Map.entry("pg_advisory_unlock_shared", sessionUnlock("pg_advisory_unlock_shared")),
            Map.entry("pg_advisory_unlock_all", sessionUnlock("pg_advisory_unlock_all")));

    /** Function name prefixes: every dblink function. */
    private static final Map<String, String> FUNCTION_PREFIXES = Map.of(
            "dblink", "dblink functions open connections of their own and keep them in the session, outside the"
                    + " chunk's read-only transaction and its timeout; query the other database in a run of its own");

    private SessionStateRules() {
    }

    /** A refused construct: where it starts and the message (what, why, the fix). */
    record Finding(int offset, String message) {
    }

    /**
     * The first construct in {@code tokens[first, end)} that would change the session, if any.
     *
     * @param first index of the statement's first keyword
     */
    static Optional<Finding> check(String text, List<SqlToken> tokens, int first, int end) {
        SqlToken head = tokens.get(first);
        if (head.kind() == Kind.WORD) {
            String keyword = head.text(text).toUpperCase(Locale.ROOT);
            String why = STATEMENTS.get(keyword);
            if (why != null) {
                return Optional.of(new Finding(head.start(), keyword + " " + why + ", which the next chunks on this"
                        + " connection would inherit (a worker keeps its connection for many chunks); a template is"
                        + " one query: put what you need into the query itself"));
            }
        }
        for (int i = first; i < end; i++) {
            String name = functionName(text, tokens, i, end);
            if (name == null) {
                continue;
            }
            String why = FUNCTIONS.get(name);
            if (why == null) {
                for (Map.Entry<String, String> prefix : FUNCTION_PREFIXES.entrySet()) {
                    if (name.startsWith(prefix.getKey())) {
                        why = prefix.getValue();
                    }
                }
            }
            if (why != null) {
                return Optional.of(new Finding(tokens.get(i).start(), name + "(...) is not allowed in a template: "
                        + why));
            }
        }
        return Optional.empty();
    }

    /**
     * The name of a function called at token {@code i} (a word or quoted identifier followed by
     * {@code (}), lower-cased for words as PostgreSQL folds them; null if token {@code i} is no call.
     * A schema prefix ({@code pg_catalog.set_config}) does not matter: the name token is the last one.
     */
    private static String functionName(String text, List<SqlToken> tokens, int i, int end) {
        SqlToken token = tokens.get(i);
        String name;
        if (token.kind() == Kind.WORD) {
            name = token.text(text).toLowerCase(Locale.ROOT);
        } else if (token.kind() == Kind.QUOTED_IDENTIFIER) {
            String quoted = token.text(text);
            if (quoted.length() < 2 || quoted.charAt(0) != '"') {
                return null; // U&"..." escapes: not a plain name
            }
            name = quoted.substring(1, quoted.length() - 1).replace("\"\"", "\"");
        } else {
            return null;
        }
        for (int j = i + 1; j < end; j++) {
            SqlToken next = tokens.get(j);
            if (!next.isTrivia()) {
                return next.kind() == Kind.OPEN_PAREN ? name : null;
            }
        }
        return null;
    }

    private static String sessionLock(String name, String xactVariant) {
        return name + " takes a session-level advisory lock, which a rollback does not release: the pooled"
                + " connection would keep holding it after the chunk" + XACT_LOCK_FIX + xactVariant
                + ", released when each chunk's transaction ends";
    }

    private static String sessionUnlock(String name) {
        return name + " releases session-level advisory locks, which a template must not hold" + XACT_LOCK_FIX
                + "pg_advisory_xact_lock, which needs no unlock";
    }
}
