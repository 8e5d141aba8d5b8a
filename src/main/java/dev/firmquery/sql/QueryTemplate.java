package dev.firmquery.sql;

import dev.firmquery.sql.SqlToken.Kind;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A validated SQL template: exactly one read-only statement with {@code {ID_PLACEHOLDER}} exactly once
 * in its SQL code, that leaves nothing behind in its session ({@link SessionStateRules}). Build it with {@link #load} or {@link #parse}, which reject anything else with a
 * {@code file:line:column} message and the fix.
 *
 * @param name             the query's name: the file name without {@code .sql}
 * @param source           the file it was read from, or {@code null} for text that has no file
 * @param text             the SQL as read, without a byte order mark
 * @param sha256           lower-case hex SHA-256: of the file's bytes for {@link #load} (what {@code sha256sum}
 *                         prints), of the text's UTF-8 encoding for {@link #parse}
 * @param placeholderStart offset of {@code {ID_PLACEHOLDER}} in {@code text}
 * @param placeholderEnd   offset just after it
 * @param description      the first line's {@code --} comment without the dashes, or empty; lists show it
 * @param parameters       the {@code -- @param} declarations of the header comment, in order
 *                         ({@link ParameterDeclarations}); each is used at least once
 * @param uses             where the SQL code uses them ({@code {name}}), in order of the text
 */
public record QueryTemplate(String name, Path source, String text, String sha256, int placeholderStart,
                            int placeholderEnd, String description, List<TemplateParameter> parameters,
                            List<Use> uses) {

    /**
     * One {@code {name}} in the SQL code: the range {@code [start, end)} of {@link #text} a bound value replaces.
     *
     * @param name  the parameter
     * @param start offset of the opening brace
     * @param end   offset after the closing brace
     */
    public record Use(String name, int start, int end) {
    }

    /** Copies the lists. */
    public QueryTemplate {
        parameters = List.copyOf(parameters);
        uses = List.copyOf(uses);
    }

    /** A template without parameters. */
    public QueryTemplate(String name, Path source, String text, String sha256, int placeholderStart,
                         int placeholderEnd, String description) {
        this(name, source, text, sha256, placeholderStart, placeholderEnd, description, List.of(), List.of());
    }

    /**
     * The same template under another {@link #sha256}: a resumed run validates the stored text again and
     * keeps the hash of the file the run started from.
     */
    public QueryTemplate withSha256(String fileSha256) {
        return new QueryTemplate(name, source, text, fileSha256, placeholderStart, placeholderEnd, description,
                parameters, uses);
    }

    /** The declaration of {@code name}, or empty. */
    public java.util.Optional<TemplateParameter> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The token the engine replaces with each chunk's IDs. */
    public static final String PLACEHOLDER = SqlLexer.PLACEHOLDER;

    private static final String EXAMPLE_WHERE = "WHERE t1.firm_root_id IN (" + PLACEHOLDER + ")";
    private static final String ALLOW_WRITES_HINT =
            "templates are read-only; to run data-modifying SQL set processing.allow_writes: true";
    private static final Set<String> DATA_MODIFYING = Set.of(
            "INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "ALTER", "DROP", "CREATE", "GRANT", "COPY");
    private static final char BOM = '\uFEFF';

    /**
     * Reads and validates a template file.
     *
     * @param file        the {@code .sql} file, UTF-8 with or without byte order mark
     * @param allowWrites {@code processing.allow_writes}: accept statements other than SELECT / WITH ... SELECT
     * @throws TemplateException if the file cannot be read, is not UTF-8, or breaks a template rule
     */
    public static QueryTemplate load(Path file, boolean allowWrites) throws TemplateException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TemplateException(file + ": no such query file; check the path or pass a query name"
                    + " found under sql/queries/ (firmquery queries lists them)", e);
        } catch (IOException e) {
            throw new TemplateException(file + ": cannot read the query file (" + e + "); check that it exists"
                    + " and is readable", e);
        }
        String text = decodeUtf8(file, bytes);
        String fileName = file.getFileName().toString();
        String name = fileName.regionMatches(true, Math.max(0, fileName.length() - 4), ".sql", 0, 4)
                ? fileName.substring(0, fileName.length() - 4) : fileName;
        return validate(name, file, text, sha256Hex(bytes), allowWrites);
    }

    /**
     * Validates template text that did not come from {@link #load} (tests, pasted SQL).
     *
     * @param name        the query's name
     * @param source      the file the text belongs to, for messages; may be {@code null}
     * @param text        the SQL; a leading byte order mark is dropped
     * @param allowWrites {@code processing.allow_writes}
     * @throws TemplateException if the text breaks a template rule
     */
    public static QueryTemplate parse(String name, Path source, String text, boolean allowWrites)
            throws TemplateException {
        String body = text.isEmpty() || text.charAt(0) != BOM ? text : text.substring(1);
        return validate(name, source, body, sha256Hex(body.getBytes(StandardCharsets.UTF_8)), allowWrites);
    }

    /**
     * Lower-case hex SHA-256 of {@link #text} as UTF-8: the statement text that runs (and that a run
     * folder keeps as {@code query.sql}), unlike {@link #sha256}, which may be of the file's bytes.
     */
    public String textSha256() {
        return sha256Hex(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** {@code file:line} of a line of {@link #text}, as messages about a declaration start. */
    public String locateLine(int line) {
        return label(name, source) + ":" + line;
    }

    /** {@code file:line:column} of an offset in {@link #text}, as error messages start. */
    public String locate(int offset) {
        return SourcePositions.at(label(name, source), text, offset);
    }

    /**
     * The first line's {@code --} comment of a template's text without the dashes, or empty; leading blank
     * lines are skipped. Works on text that does not validate, so lists can show broken templates too.
     */
    public static String describe(String text) {
        String body = !text.isEmpty() && text.charAt(0) == BOM ? text.substring(1) : text;
        for (String line : body.split("\r\n|\r|\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!trimmed.startsWith("--")) {
                return "";
            }
            int i = 0;
            while (i < trimmed.length() && trimmed.charAt(i) == '-') {
                i++;
            }
            String first = trimmed.substring(i).strip();
            // A header that starts with a declaration has no description line.
            return first.startsWith("@param") ? "" : first;
        }
        return "";
    }

    private static QueryTemplate validate(String name, Path source, String text, String sha256, boolean allowWrites)
            throws TemplateException {
        String label = label(name, source);
        List<SqlToken> tokens = SqlLexer.tokenize(text, label);
        Checker checker = new Checker(label, text, tokens);
        int statementEnd = checker.statementEnd();
        checker.requireNoPlaceholderInOpaqueTokens();
        int first = checker.firstKeyword(statementEnd);
        // Before the read-only rule, whose "set allow_writes" hint would not help here.
        var sessionChange = SessionStateRules.check(text, tokens, first, statementEnd);
        if (sessionChange.isPresent()) {
            throw new TemplateException(SourcePositions.at(label, text, sessionChange.get().offset()) + ": "
                    + sessionChange.get().message());
        }
        if (!allowWrites) {
            checker.requireReadOnly(first, statementEnd);
        }
        SqlToken placeholder = checker.placeholder(first, statementEnd);
        ParameterDeclarations.Found params = ParameterDeclarations.read(label, text, tokens, statementEnd);
        return new QueryTemplate(name, source, text, sha256, placeholder.start(), placeholder.end(), describe(text),
                params.parameters(), params.uses());
    }

    private static String label(String name, Path source) {
        return source != null ? BuiltInQueries.describe(source) : name;
    }

    /** The rules, in the order a user would want to hear about them. */
    private static final class Checker {
        private final String label;
        private final String text;
        private final List<SqlToken> tokens;

        Checker(String label, String text, List<SqlToken> tokens) {
            this.label = label;
            this.text = text;
            this.tokens = tokens;
        }

        /** Index after the statement's last token: the first {@code ;} or the end. Nothing but trivia may follow. */
        int statementEnd() throws TemplateException {
            int semicolon = -1;
            for (int i = 0; i < tokens.size(); i++) {
                if (tokens.get(i).kind() == Kind.SEMICOLON) {
                    semicolon = i;
                    break;
                }
            }
            if (semicolon < 0) {
                return tokens.size();
            }
            for (int i = semicolon + 1; i < tokens.size(); i++) {
                SqlToken token = tokens.get(i);
                if (!token.isTrivia()) {
                    throw error(token.start(), "multiple statements: another statement starts here, after the ';' at "
                            + SourcePositions.lineColumn(text, tokens.get(semicolon).start())
                            + "; a template holds exactly one statement: remove the extra text or put each"
                            + " statement in its own file");
                }
            }
            return semicolon;
        }

        void requireNoPlaceholderInOpaqueTokens() throws TemplateException {
            for (SqlToken token : tokens) {
                if (!token.isOpaque()) {
                    continue;
                }
                int at = text.indexOf(PLACEHOLDER, token.start());
                if (at >= 0 && at + PLACEHOLDER.length() <= token.end()) {
                    String where = switch (token.kind()) {
                        case LINE_COMMENT, BLOCK_COMMENT -> "a comment";
                        case QUOTED_IDENTIFIER -> "a quoted identifier";
                        case STRING, DOLLAR_STRING -> "a string literal";
                        case WHITESPACE, WORD, NUMBER, POSITIONAL_PARAMETER, PLACEHOLDER, PARAMETER, SEMICOLON, QUESTION_MARK,
                             OPEN_PAREN, CLOSE_PAREN, DOT, OTHER ->
                                throw new IllegalStateException(token + " was taken for an opaque token");
                    };
                    throw error(at, PLACEHOLDER + " is inside " + where + ", where it would not be replaced;"
                            + " only a placeholder in SQL code is, e.g. " + EXAMPLE_WHERE
                            + " (no quotes around it). Remove this one or move it out of the "
                            + (token.isComment() ? "comment" : "quotes"));
                }
            }
        }

        /** Index of the statement's first keyword, after any opening parentheses. */
        int firstKeyword(int statementEnd) throws TemplateException {
            for (int i = 0; i < statementEnd; i++) {
                SqlToken token = tokens.get(i);
                if (!token.isTrivia() && token.kind() != Kind.OPEN_PAREN) {
                    return i;
                }
            }
            int at = statementEnd < tokens.size() ? tokens.get(statementEnd).start() : 0;
            throw error(at, "the template is empty (no SQL before " + (statementEnd < tokens.size() ? "the ';'"
                    : "the end of the file") + "); write one SELECT statement such as SELECT t1.firm_root_id,"
                    + " t1.firm_name FROM firm t1 " + EXAMPLE_WHERE);
        }

        void requireReadOnly(int first, int statementEnd) throws TemplateException {
            SqlToken head = tokens.get(first);
            boolean select = head.isWord(text, "SELECT");
            boolean with = head.isWord(text, "WITH");
            if (!select && !with) {
                String found = head.kind() == Kind.WORD ? head.text(text).toUpperCase(Locale.ROOT)
                        : "'" + head.text(text) + "'";
                throw error(head.start(), "the statement starts with " + found + "; it must start with SELECT or"
                        + " WITH (" + ALLOW_WRITES_HINT + ")");
            }
            for (int i = first + 1; i < statementEnd; i++) {
                SqlToken token = tokens.get(i);
                if (token.kind() != Kind.WORD || isQualifiedName(i, statementEnd)) {
                    continue;
                }
                String word = token.text(text).toUpperCase(Locale.ROOT);
                if (word.equals("INTO")) {
                    throw error(token.start(), "SELECT ... INTO creates a table; remove the INTO clause ("
                            + ALLOW_WRITES_HINT + ")");
                }
                if (with && DATA_MODIFYING.contains(word) && !isRowLockingClause(i)) {
                    throw error(token.start(), word + " in a WITH statement modifies data or the schema; remove it"
                            + " (" + ALLOW_WRITES_HINT + ")");
                }
            }
        }

        /** {@code t.delete} or {@code delete.col}: a name, not a keyword (INSERT, UPDATE... are unreserved). */
        private boolean isQualifiedName(int index, int statementEnd) {
            int before = previousSignificant(index);
            int after = nextSignificant(index, statementEnd);
            return (before >= 0 && tokens.get(before).kind() == Kind.DOT)
                    || (after >= 0 && tokens.get(after).kind() == Kind.DOT);
        }

        /** {@code FOR UPDATE} / {@code FOR NO KEY UPDATE} lock rows; they modify nothing. */
        private boolean isRowLockingClause(int index) {
            if (!tokens.get(index).isWord(text, "UPDATE")) {
                return false;
            }
            int before = previousSignificant(index);
            return before >= 0 && (tokens.get(before).isWord(text, "FOR") || tokens.get(before).isWord(text, "KEY"));
        }

        SqlToken placeholder(int first, int statementEnd) throws TemplateException {
            SqlToken found = null;
            for (int i = 0; i < statementEnd; i++) {
                SqlToken token = tokens.get(i);
                if (token.kind() != Kind.PLACEHOLDER) {
                    continue;
                }
                if (found != null) {
                    throw error(token.start(), PLACEHOLDER + " appears a second time here (first at "
                            + SourcePositions.lineColumn(text, found.start()) + "); a template takes the IDs"
                            + " exactly once: remove one, or select the IDs once in a WITH clause and join to it");
                }
                found = token;
            }
            if (found == null) {
                String similar = similarPlaceholder();
                throw error(tokens.get(first).start(), PLACEHOLDER + " is missing; the engine puts each chunk's IDs"
                        + " there. Add it to the WHERE clause, e.g. " + EXAMPLE_WHERE + similar);
            }
            return found;
        }

        /** A hint for {@code {id_placeholder}}, {@code ID_PLACEHOLDER} without braces and the like. */
        private String similarPlaceholder() {
            String bare = "ID_PLACEHOLDER";
            for (int i = 0; i + bare.length() <= text.length(); i++) {
                if (text.regionMatches(true, i, bare, 0, bare.length())) {
                    return " (there is something similar at " + SourcePositions.lineColumn(text, i)
                            + ": the token is exactly " + PLACEHOLDER + ", upper case, in braces, no spaces,"
                            + " outside quotes and comments)";
                }
            }
            return "";
        }

        private int previousSignificant(int index) {
            for (int i = index - 1; i >= 0; i--) {
                if (!tokens.get(i).isTrivia()) {
                    return i;
                }
            }
            return -1;
        }

        private int nextSignificant(int index, int statementEnd) {
            for (int i = index + 1; i < statementEnd; i++) {
                if (!tokens.get(i).isTrivia()) {
                    return i;
                }
            }
            return -1;
        }

        private TemplateException error(int offset, String message) {
            return new TemplateException(SourcePositions.at(label, text, offset) + ": " + message);
        }
    }

    private static String decodeUtf8(Path file, byte[] bytes) throws TemplateException {
        int skip = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        ByteBuffer buffer = ByteBuffer.wrap(bytes, skip, bytes.length - skip);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(buffer)
                    .toString();
        } catch (MalformedInputException e) {
            int at = buffer.position();
            int line = 1;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new TemplateException(file + ":" + line + ": not valid UTF-8 (byte offset " + at
                    + "); save the query file as UTF-8", e);
        } catch (CharacterCodingException e) {
            throw new TemplateException(file + ": not valid UTF-8 (" + e + "); save the query file as UTF-8", e);
        }
    }

    /** The SHA-256 of {@code file}'s bytes in lower-case hex, as {@link #load} records it and {@code sha256sum} prints it. */
    public static String sha256Of(Path file) throws IOException {
        return sha256Hex(Files.readAllBytes(file));
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
