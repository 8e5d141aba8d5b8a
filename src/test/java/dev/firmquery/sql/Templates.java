package dev.firmquery.sql;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Builders for template tests: SQL text in, a template or the refusal message out. */
final class Templates {
    static final Path SOURCE = Path.of("q.sql");

    /** A valid template with the placeholder in the usual place. */
    static final String FIRM_NAMES = "SELECT t1.firm_root_id, t1.firm_name FROM firm t1\n"
            + "WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})";

    private Templates() {
    }

    static QueryTemplate parse(String sql) throws TemplateException {
        return QueryTemplate.parse("q", SOURCE, sql, false);
    }

    static QueryTemplate parseAllowingWrites(String sql) throws TemplateException {
        return QueryTemplate.parse("q", SOURCE, sql, true);
    }

    /** The message of the refusal; fails the test if the text is accepted. */
    static String refusal(String sql) {
        return assertThrows(TemplateException.class, () -> parse(sql)).getMessage();
    }

    /** Asserts that {@code message} contains every one of {@code parts}, showing the message if not. */
    static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "expected <" + part + "> in: " + message);
        }
    }

    /** A WHERE clause with the placeholder, to append to select lists. */
    static String select(String extra) {
        return "SELECT t1.firm_root_id FROM firm t1 WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})" + extra;
    }
}
