package dev.firmquery.sql;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.firmquery.sql.Templates.assertMentions;
import static dev.firmquery.sql.Templates.parse;
import static dev.firmquery.sql.Templates.parseAllowingWrites;
import static dev.firmquery.sql.Templates.refusal;
import static dev.firmquery.sql.Templates.select;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A template must not leave anything in its session for the next chunks on the same pooled
 * connection: settings, session-level advisory locks, dblink connections (docs/reliability.md,
 * "Shared host"). Refused with the position, the reason and the fix, with or without allow_writes.
 */
@DisplayName("Templates that would change their session are refused")
class SessionStateRulesTest {

    @Test
    void setConfigIsRefusedAtItsPositionWithTheFix() {
        String message = refusal(select(" AND set_config('search_path', 'evil', false) IS NOT NULL"));
        assertMentions(message, "q.sql:1:85:", "set_config(...) is not allowed in a template",
                "the next chunks on this connection would inherit", "ALTER ROLE ... SET");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pg_catalog.set_config('x.y', '1', false)", "SET_CONFIG ('x.y', '1', false)",
            "\"set_config\"('x.y', '1', false)", "set_config/* c */('x.y', '1', true)"})
    void setConfigIsFoundInEveryForm(String call) {
        assertMentions(refusal("SELECT " + call + ", t1.firm_root_id FROM firm t1 WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})"),
                "set_config(...) is not allowed");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "pg_advisory_lock, pg_advisory_xact_lock",
            "pg_advisory_lock_shared, pg_advisory_xact_lock_shared",
            "pg_try_advisory_lock, pg_try_advisory_xact_lock",
            "pg_try_advisory_lock_shared, pg_try_advisory_xact_lock_shared"})
    void sessionAdvisoryLocksAreRefusedWithTheTransactionVariant(String function, String variant) {
        String message = refusal(select(" AND " + function + "(42)"));
        assertMentions(message, function + "(...) is not allowed", "a rollback does not release",
                "use the transaction-level variant " + variant);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pg_advisory_unlock(42)", "pg_advisory_unlock_shared(42)", "pg_advisory_unlock_all()"})
    void sessionUnlocksAreRefused(String call) {
        assertMentions(refusal(select(" AND " + call + " IS NOT NULL")), "releases session-level advisory locks");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pg_advisory_xact_lock(42) IS NULL", "pg_try_advisory_xact_lock(42)",
            "pg_advisory_xact_lock_shared(1, 2) IS NULL", "current_setting('search_path') <> ''"})
    void transactionScopedCallsAreAccepted(String call) {
        assertDoesNotThrow(() -> parse(select(" AND " + call)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dblink('dbname=other', 'DELETE FROM firm')", "dblink_exec('DELETE FROM firm')",
            "dblink_connect('c', 'dbname=other')", "public.dblink_open('c', 'SELECT 1')"})
    void dblinkIsRefused(String call) {
        String message = refusal("SELECT t1.firm_root_id FROM firm t1, " + call + " AS d(x int)"
                + " WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})");
        assertMentions(message, "(...) is not allowed", "outside the chunk's read-only transaction");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SET search_path = evil", "SET SESSION statement_timeout = 0", "RESET ALL",
            "LISTEN chunks", "PREPARE p AS SELECT 1", "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
            "DISCARD ALL", "LOAD 'auto_explain'"})
    void sessionStatementsAreRefusedEvenWithAllowWrites(String statement) {
        String message = assertThrows(TemplateException.class, () -> parseAllowingWrites(statement)).getMessage();
        assertMentions(message, "q.sql:1:1:", "the next chunks on this connection would inherit");
    }

    @Test
    void theSessionReasonComesBeforeTheReadOnlyHint() {
        String message = refusal("SET search_path = evil");
        assertMentions(message, "SET changes a session setting");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "SELECT t1.set_config FROM firm t1 WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})",
            "SELECT 'set_config(1)' AS s, t1.firm_root_id FROM firm t1 WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})",
            "SELECT t1.firm_root_id AS dblink FROM firm t1 WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})"})
    void namesThatAreNoCallsAreAccepted(String sql) {
        assertDoesNotThrow(() -> parse(sql));
    }

    @Test
    void anUpdateWithSetIsStillAcceptedWithAllowWrites() {
        assertDoesNotThrow(() -> parseAllowingWrites(
                "UPDATE firm SET is_active = true WHERE firm_root_id IN ({ID_PLACEHOLDER})"));
    }
}
