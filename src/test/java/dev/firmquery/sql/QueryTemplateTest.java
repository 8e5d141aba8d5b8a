package dev.firmquery.sql;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static dev.firmquery.sql.Templates.FIRM_NAMES;
import static dev.firmquery.sql.Templates.assertMentions;
import static dev.firmquery.sql.Templates.parse;
import static dev.firmquery.sql.Templates.parseAllowingWrites;
import static dev.firmquery.sql.Templates.refusal;
import static dev.firmquery.sql.Templates.select;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class QueryTemplateTest {

    /** The lexer keeps strings, identifiers and comments apart from SQL code. */
    @Nested
    class Lexing {
        @Test
        void placeholderInsideSingleQuotedStringIsRefusedAtItsPosition() {
            String message = refusal(select("\n  AND t1.firm_name <> 'see {ID_PLACEHOLDER}'"));
            assertMentions(message, "q.sql:2:28:", "inside a string literal", "would not be replaced");
        }

        @Test
        void placeholderOnlyInsideAStringIsReportedAsInsideTheStringNotAsMissing() {
            String message = refusal("SELECT t1.firm_root_id FROM firm t1 WHERE t1.firm_name = '{ID_PLACEHOLDER}'");
            assertMentions(message, "q.sql:1:59:", "inside a string literal");
        }

        @Test
        void placeholderInsideQuotedIdentifierIsRefused() {
            String message = refusal(select(" AND \"{ID_PLACEHOLDER}\" = 1"));
            assertMentions(message, "inside a quoted identifier");
        }

        @Test
        void placeholderInsideDollarQuotedStringIsRefused() {
            assertMentions(refusal(select(" AND t1.firm_name <> $${ID_PLACEHOLDER}$$")), "inside a string literal");
        }

        @Test
        void placeholderInsideTaggedDollarQuotedStringIsRefused() {
            String message = refusal(select(" AND t1.firm_name <> $body$ $$ {ID_PLACEHOLDER} $$ $body$"));
            assertMentions(message, "inside a string literal");
        }

        @Test
        void placeholderInsideLineCommentIsRefused() {
            String message = refusal("-- old: WHERE id IN ({ID_PLACEHOLDER})\n" + FIRM_NAMES);
            assertMentions(message, "q.sql:1:22:", "inside a comment");
        }

        @Test
        void placeholderAfterAnInnerCommentCloseIsStillInsideTheNestedComment() {
            String message = refusal(select("\n/* outer /* inner */ still outer {ID_PLACEHOLDER} */"));
            assertMentions(message, "q.sql:2:34:", "inside a comment");
        }

        @Test
        void codeAfterAClosedNestedCommentIsCode() throws TemplateException {
            QueryTemplate template = parse("/* a /* b */ c */ " + FIRM_NAMES);
            assertEquals("{ID_PLACEHOLDER}",
                    template.text().substring(template.placeholderStart(), template.placeholderEnd()));
        }

        @Test
        void semicolonsInsideStringsIdentifiersAndCommentsDoNotEndTheStatement() {
            assertDoesNotThrow(() -> parse(select(
                    " AND t1.firm_name <> ';' AND \"a;b\" IS NULL -- ; comment\n"
                            + "AND t1.firm_name <> $$;$$ /* ; */ AND t1.firm_name <> $x$ ; $x$")));
        }

        @Test
        void doubledQuoteInsideStringDoesNotEndIt() {
            assertDoesNotThrow(() -> parse(select(" AND t1.firm_name <> 'it''s; {not a placeholder'")));
        }

        @Test
        void backslashQuoteInsideEscapeStringDoesNotEndIt() {
            // Read as a standard string, '\'' would stay open and swallow the placeholder.
            assertDoesNotThrow(() -> parse("SELECT E'\\'' AS q, t1.firm_root_id FROM firm t1\n"
                    + "WHERE t1.firm_root_id IN ({ID_PLACEHOLDER}) AND t1.firm_name <> 'x'"));
        }

        @Test
        void lowerCaseEscapeStringEndingInEscapedBackslashIsClosed() {
            assertDoesNotThrow(() -> parse(select(" AND t1.firm_name <> e'C:\\\\'")));
        }

        @Test
        void backslashInStandardStringIsAnOrdinaryCharacter() {
            assertDoesNotThrow(() -> parse(select(" AND t1.firm_name <> 'C:\\'")));
        }

        @Test
        void unterminatedStringIsReportedAtItsStart() {
            String message = refusal(select("\nAND t1.firm_name = 'abc\n\nmore"));
            assertMentions(message, "q.sql:2:20:", "unterminated string literal", "close it with '");
        }

        @Test
        void escapeStringEndingInBackslashQuoteIsUnterminated() {
            String message = refusal(select(" AND t1.firm_name = E'abc\\'"));
            assertMentions(message, "q.sql:1:100:", "unterminated E'...' string");
        }

        @Test
        void unterminatedQuotedIdentifierIsReportedAtItsStart() {
            assertMentions(refusal("SELECT \"firm_root_id FROM firm"), "q.sql:1:8:", "unterminated quoted identifier");
        }

        @Test
        void unterminatedNestedBlockCommentIsReportedAtTheOuterStart() {
            String message = refusal(select("\n  /* a /* b */ c"));
            assertMentions(message, "q.sql:2:3:", "unterminated /* comment", "nest");
        }

        @Test
        void unterminatedDollarStringNamesItsTag() {
            String message = refusal(select(" AND x = $fn$ body $other$"));
            assertMentions(message, "unterminated dollar-quoted string $fn$", "close it with $fn$");
        }

        @Test
        void dollarSignInsideIdentifierAndPositionalParameterAreNotDollarQuotes() {
            assertDoesNotThrow(() -> parse(select(" AND t1.a$b = 1")));
        }

        @Test
        void crlfAndLoneCrLineBreaksCountAsOneLineEach() {
            String message = refusal("SELECT 1\r\nFROM firm\rWHERE x = 'open");
            assertMentions(message, "q.sql:3:11:");
        }
    }

    /** A template holds exactly one statement. */
    @Nested
    class Statements {
        @Test
        void trailingSemicolonWithWhitespaceAndCommentsIsAccepted() {
            assertDoesNotThrow(() -> parse(FIRM_NAMES + ";\n  -- done\n /* really */\n"));
        }

        @Test
        void secondStatementIsRefusedAtItsStart() {
            String message = refusal(FIRM_NAMES + ";\nDELETE FROM firm");
            assertMentions(message, "q.sql:3:1:", "multiple statements", "';' at 2:44", "exactly one statement");
        }

        @Test
        void secondSemicolonCountsAsAnotherStatement() {
            assertMentions(refusal(FIRM_NAMES + ";;"), "multiple statements");
        }

        @Test
        void emptyFileIsRefused() {
            assertMentions(refusal(""), "q.sql:1:1:", "empty", "SELECT");
        }

        @Test
        void onlyWhitespaceAndCommentsIsRefusedAsEmpty() {
            assertMentions(refusal("  \n-- nothing here\n/* nor here */\n"), "empty");
        }

        @Test
        void loneSemicolonIsRefusedAsEmpty() {
            assertMentions(refusal("\n ;"), "q.sql:2:2:", "empty");
        }
    }

    /** {ID_PLACEHOLDER} appears exactly once in SQL code. */
    @Nested
    class Placeholder {
        @Test
        void offsetsPointAtThePlaceholder() throws TemplateException {
            QueryTemplate template = parse(FIRM_NAMES);
            assertEquals(FIRM_NAMES.indexOf("{ID"), template.placeholderStart());
            assertEquals(FIRM_NAMES.indexOf("})") + 1, template.placeholderEnd());
        }

        @Test
        void missingPlaceholderIsRefusedWithTheClauseToAdd() {
            String message = refusal("SELECT t1.firm_root_id FROM firm t1");
            assertMentions(message, "q.sql:1:1:", "{ID_PLACEHOLDER} is missing",
                    "WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})");
        }

        @Test
        void misspelledPlaceholderGetsAHintWhereItIs() {
            String message = refusal("SELECT t1.firm_root_id FROM firm t1\nWHERE t1.firm_root_id IN ({id_placeholder})");
            assertMentions(message, "is missing", "something similar at 2:28", "exactly {ID_PLACEHOLDER}");
        }

        @Test
        void repeatedPlaceholderIsRefusedAtTheSecondOne() {
            String message = refusal(FIRM_NAMES + "\n   OR t1.firm_root_id IN ({ID_PLACEHOLDER})");
            assertMentions(message, "q.sql:3:27:", "second time", "first at 2:27");
        }
    }

    /** Templates are read-only unless allow_writes. */
    @Nested
    class ReadOnly {
        @ParameterizedTest
        @ValueSource(strings = {
                "INSERT INTO firm_copy SELECT * FROM firm WHERE firm_root_id IN ({ID_PLACEHOLDER})",
                "UPDATE firm SET is_active = false WHERE firm_root_id IN ({ID_PLACEHOLDER})",
                "delete from firm where firm_root_id in ({ID_PLACEHOLDER})",
                "MERGE INTO firm USING (SELECT 1) x ON firm.firm_root_id IN ({ID_PLACEHOLDER}) WHEN MATCHED THEN DELETE",
                "CREATE TABLE t AS SELECT * FROM firm WHERE firm_root_id IN ({ID_PLACEHOLDER})",
                "DROP TABLE firm",
                "ALTER TABLE firm ADD COLUMN x int",
                "TRUNCATE firm",
                "GRANT SELECT ON firm TO public",
                "COPY firm TO STDOUT",
                "VALUES (1)",
        })
        void statementsNotStartingWithSelectOrWithAreRefused(String sql) {
            String message = refusal(sql);
            assertMentions(message, "q.sql:1:1:", "must start with SELECT or WITH", "processing.allow_writes: true");
        }

        @Test
        void refusalNamesTheKeywordInUpperCase() {
            assertMentions(refusal("delete from firm where firm_root_id in ({ID_PLACEHOLDER})"), "starts with DELETE");
        }

        @Test
        void statementStartingWithSomethingOtherThanAWordIsRefused() {
            assertMentions(refusal("{ID_PLACEHOLDER}"), "starts with '{ID_PLACEHOLDER}'");
        }

        @Test
        void withFollowedByDeleteIsRefusedAtTheDelete() {
            String message = refusal("WITH gone AS (SELECT 1)\nDELETE FROM firm WHERE firm_root_id IN ({ID_PLACEHOLDER})");
            assertMentions(message, "q.sql:2:1:", "DELETE in a WITH statement", "processing.allow_writes: true");
        }

        @Test
        void dataModifyingCommonTableExpressionIsRefused() {
            String message = refusal("WITH gone AS (\n  update firm SET is_active = false RETURNING firm_root_id)\n"
                    + "SELECT * FROM gone WHERE firm_root_id IN ({ID_PLACEHOLDER})");
            assertMentions(message, "q.sql:2:3:", "UPDATE in a WITH statement");
        }

        @Test
        void withSelectIsAccepted() {
            assertDoesNotThrow(() -> parse("WITH ids AS (SELECT firm_root_id FROM firm WHERE firm_root_id IN"
                    + " ({ID_PLACEHOLDER}))\nSELECT f.* FROM firm f JOIN ids USING (firm_root_id)"));
        }

        @Test
        void keywordsInsideStringsCommentsAndQualifiedNamesAreNotStatements() {
            assertDoesNotThrow(() -> parse("WITH x AS (SELECT 1) -- then DELETE everything\n"
                    + "SELECT t.update, t.\"delete\", 'DROP TABLE' FROM t WHERE t.id IN ({ID_PLACEHOLDER})"
                    + " /* INSERT */"));
        }

        @Test
        void rowLockingClauseIsNotADataModifyingKeyword() {
            assertDoesNotThrow(() -> parse("WITH x AS (SELECT 1) SELECT * FROM firm"
                    + " WHERE firm_root_id IN ({ID_PLACEHOLDER}) FOR NO KEY UPDATE"));
        }

        @Test
        void selectIntoIsRefusedBecauseItCreatesATable() {
            String message = refusal("SELECT * INTO copy FROM firm WHERE firm_root_id IN ({ID_PLACEHOLDER})");
            assertMentions(message, "q.sql:1:10:", "SELECT ... INTO creates a table");
        }

        @Test
        void lowerCaseSelectAndLeadingParenthesesAndCommentsAreAccepted() {
            assertDoesNotThrow(() -> parse("/* report */ -- v2\n((select firm_root_id from firm"
                    + " where firm_root_id in ({ID_PLACEHOLDER})))"));
        }

        @Test
        void allowWritesPermitsDataModifyingStatements() {
            assertDoesNotThrow(() -> parseAllowingWrites(
                    "UPDATE firm SET is_active = false WHERE firm_root_id IN ({ID_PLACEHOLDER})"));
            assertDoesNotThrow(() -> parseAllowingWrites("WITH gone AS (DELETE FROM firm WHERE firm_root_id IN"
                    + " ({ID_PLACEHOLDER}) RETURNING *) SELECT * FROM gone"));
        }

        @Test
        void allowWritesStillRequiresThePlaceholderAndOneStatement() {
            assertThrows(TemplateException.class, () -> parseAllowingWrites("DELETE FROM firm"));
            assertThrows(TemplateException.class, () -> parseAllowingWrites(
                    "DELETE FROM firm WHERE firm_root_id IN ({ID_PLACEHOLDER}); DROP TABLE firm"));
        }
    }

    /** Loading a file. */
    @Nested
    class Loading {
        @TempDir
        Path dir;

        @Test
        void nameIsTheFileNameWithoutExtension() throws Exception {
            Path file = write("firm_names.sql", FIRM_NAMES.getBytes(StandardCharsets.UTF_8));
            QueryTemplate template = QueryTemplate.load(file, false);
            assertEquals("firm_names", template.name());
            assertEquals(file, template.source());
            assertEquals(FIRM_NAMES, template.text());
        }

        @Test
        void byteOrderMarkIsStrippedAndTheHashCoversTheFileBytes() throws Exception {
            byte[] body = ("-- With BOM\n" + FIRM_NAMES).getBytes(StandardCharsets.UTF_8);
            byte[] bytes = new byte[body.length + 3];
            bytes[0] = (byte) 0xEF;
            bytes[1] = (byte) 0xBB;
            bytes[2] = (byte) 0xBF;
            System.arraycopy(body, 0, bytes, 3, body.length);
            QueryTemplate template = QueryTemplate.load(write("bom.sql", bytes), false);
            assertEquals("-- With BOM\n" + FIRM_NAMES, template.text());
            assertEquals(sha256(bytes), template.sha256());
            assertEquals("With BOM", template.description());
            assertEquals(template.source() + ":1:1", template.locate(0));
        }

        @Test
        void parseHashesTheUtf8OfTheText() throws Exception {
            String text = "-- Grüße\n" + FIRM_NAMES;
            assertEquals(sha256(text.getBytes(StandardCharsets.UTF_8)), parse(text).sha256());
        }

        @Test
        void invalidUtf8IsRefusedWithItsLine() throws Exception {
            byte[] bytes = "SELECT 1\nFROM x WHERE n = '\u0000'".getBytes(StandardCharsets.UTF_8);
            bytes[bytes.length - 2] = (byte) 0xC3;
            Path file = write("latin.sql", bytes);
            String message = assertThrows(TemplateException.class, () -> QueryTemplate.load(file, false)).getMessage();
            assertMentions(message, file + ":2:", "not valid UTF-8", "save the query file as UTF-8");
        }

        @Test
        void missingFileIsRefusedWithItsPath() {
            Path file = dir.resolve("nope.sql");
            String message = assertThrows(TemplateException.class, () -> QueryTemplate.load(file, false)).getMessage();
            assertMentions(message, file.toString(), "no such query file");
        }

        @Test
        void errorsNameTheFilePath() throws Exception {
            Path file = write("broken.sql", "SELECT 1".getBytes(StandardCharsets.UTF_8));
            String message = assertThrows(TemplateException.class, () -> QueryTemplate.load(file, false)).getMessage();
            assertMentions(message, file + ":1:1:");
        }

        private Path write(String name, byte[] bytes) throws Exception {
            return Files.write(dir.resolve(name), bytes);
        }
    }

    /** The description is the first line's -- comment. */
    @Nested
    class Description {
        @Test
        void firstLineCommentWithoutDashes() throws TemplateException {
            assertEquals("Firm names only.", parse("--- Firm names only.  \n" + FIRM_NAMES).description());
        }

        @Test
        void leadingBlankLinesAreSkipped() {
            assertEquals("Names", QueryTemplate.describe("\n  \r\n  -- Names\r\nSELECT 1"));
        }

        @Test
        void noLeadingCommentMeansEmpty() throws TemplateException {
            assertEquals("", parse(FIRM_NAMES + " -- trailing comment").description());
        }

        @Test
        void onlyTheFirstLineCounts() {
            assertEquals("", QueryTemplate.describe("/* block */\n-- later\nSELECT 1"));
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
