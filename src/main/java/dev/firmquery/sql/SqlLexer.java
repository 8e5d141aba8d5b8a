package dev.firmquery.sql;

import dev.firmquery.sql.SqlToken.Kind;

import java.util.ArrayList;
import java.util.List;

/**
 * A lexer for the PostgreSQL dialect, just detailed enough to know what is SQL code and what is the
 * content of a string, quoted identifier or comment. Regular expressions cannot do this: a quote
 * inside a comment, or a comment marker inside a dollar-quoted function body, changes what follows.
 *
 * <p>Assumes {@code standard_conforming_strings = on} (the default since PostgreSQL 9.1 and the only
 * mode of CockroachDB): a backslash is an escape only inside {@code E'...'} strings.
 */
final class SqlLexer {
    /** The token the engine replaces with a chunk's IDs. */
    static final String PLACEHOLDER = "{ID_PLACEHOLDER}";

    private final String text;
    private final String label;
    private final List<SqlToken> tokens = new ArrayList<>();
    private int pos;

    private SqlLexer(String text, String label) {
        this.text = text;
        this.label = label;
    }

    /**
     * Splits {@code text} into tokens that cover it completely and in order.
     *
     * @param label what error messages call the text, usually its file path
     * @throws TemplateException for an unterminated string, quoted identifier or comment, located at its start
     */
    static List<SqlToken> tokenize(String text, String label) throws TemplateException {
        SqlLexer lexer = new SqlLexer(text, label);
        lexer.run();
        return List.copyOf(lexer.tokens);
    }

    private void run() throws TemplateException {
        int length = text.length();
        while (pos < length) {
            int start = pos;
            char c = text.charAt(pos);
            if (isWhitespace(c)) {
                while (pos < length && isWhitespace(text.charAt(pos))) {
                    pos++;
                }
                add(Kind.WHITESPACE, start);
            } else if (c == '-' && next(1) == '-') {
                while (pos < length && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
                    pos++;
                }
                add(Kind.LINE_COMMENT, start);
            } else if (c == '/' && next(1) == '*') {
                blockComment(start);
            } else if (c == '\'') {
                quoted(start, start, '\'', false);
            } else if ((c == 'E' || c == 'e') && next(1) == '\'') {
                // At a token start an E cannot be the tail of a longer word, so this is an escape string.
                quoted(start, start + 1, '\'', true);
            } else if (c == '"') {
                quoted(start, start, '"', false);
            } else if (c == '$') {
                dollar(start);
            } else if (text.startsWith(PLACEHOLDER, pos)) {
                pos += PLACEHOLDER.length();
                add(Kind.PLACEHOLDER, start);
            } else if (c == '{' && parameterEnd(pos) > 0) {
                // A brace is no PostgreSQL syntax outside strings, so {name} in code can only be a parameter.
                pos = parameterEnd(pos);
                add(Kind.PARAMETER, start);
            } else if (isIdentifierStart(c)) {
                pos++;
                while (pos < length && isIdentifierPart(text.charAt(pos))) {
                    pos++;
                }
                add(Kind.WORD, start);
            } else if (c >= '0' && c <= '9') {
                // Loose on purpose (1e5, 0x1F, 1_000, 1.5): only "not code we care about" matters here.
                pos++;
                while (pos < length && isNumberPart(text.charAt(pos))) {
                    pos++;
                }
                add(Kind.NUMBER, start);
            } else {
                pos++;
                add(switch (c) {
                    case ';' -> Kind.SEMICOLON;
                    case '?' -> Kind.QUESTION_MARK;
                    case '(' -> Kind.OPEN_PAREN;
                    case ')' -> Kind.CLOSE_PAREN;
                    case '.' -> Kind.DOT;
                    default -> Kind.OTHER;
                }, start);
            }
        }
    }

    private void blockComment(int start) throws TemplateException {
        int depth = 0;
        int length = text.length();
        while (pos < length) {
            if (text.startsWith("/*", pos)) {
                depth++;
                pos += 2;
            } else if (text.startsWith("*/", pos)) {
                depth--;
                pos += 2;
                if (depth == 0) {
                    add(Kind.BLOCK_COMMENT, start);
                    return;
                }
            } else {
                pos++;
            }
        }
        throw error(start, "unterminated /* comment starting here; close it with */"
                + " (block comments nest: every /* inside it needs its own */)");
    }

    /**
     * A quote-delimited token starting at {@code start} whose opening quote is at {@code quote}.
     * A doubled quote stands for itself; in escape strings a backslash escapes the next character.
     */
    private void quoted(int start, int quote, char delimiter, boolean backslashEscapes) throws TemplateException {
        int length = text.length();
        int i = quote + 1;
        while (i < length) {
            char c = text.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == delimiter) {
                if (i + 1 < length && text.charAt(i + 1) == delimiter) {
                    i += 2;
                } else {
                    pos = i + 1;
                    add(delimiter == '"' ? Kind.QUOTED_IDENTIFIER : Kind.STRING, start);
                    return;
                }
            } else {
                i++;
            }
        }
        if (delimiter == '"') {
            throw error(start, "unterminated quoted identifier starting here; close it with \""
                    + " (write \"\" for a double quote inside it)");
        }
        if (backslashEscapes) {
            throw error(start, "unterminated E'...' string starting here; close it with '"
                    + " (inside E'' strings both \\' and '' stand for a quote, so a final \\' does not close it)");
        }
        throw error(start, "unterminated string literal starting here; close it with '"
                + " (write '' for a single quote inside the string)");
    }

    /** {@code $tag$...$tag$}, {@code $$...$$}, a positional parameter {@code $1}, or a lone {@code $}. */
    private void dollar(int start) throws TemplateException {
        int length = text.length();
        int i = start + 1;
        if (i < length && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            while (i < length && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                i++;
            }
            pos = i;
            add(Kind.POSITIONAL_PARAMETER, start);
            return;
        }
        if (i < length && isIdentifierStart(text.charAt(i))) {
            i++;
            while (i < length && isIdentifierPart(text.charAt(i)) && text.charAt(i) != '$') {
                i++;
            }
        }
        if (i >= length || text.charAt(i) != '$') {
            pos = start + 1;
            add(Kind.OTHER, start);
            return;
        }
        String tag = text.substring(start, i + 1);
        int close = text.indexOf(tag, i + 1);
        if (close < 0) {
            throw error(start, "unterminated dollar-quoted string " + tag + " starting here; close it with " + tag);
        }
        pos = close + tag.length();
        add(Kind.DOLLAR_STRING, start);
    }

    /** Offset after {@code {name}} starting at {@code at} (an identifier in braces), or -1. */
    private int parameterEnd(int at) {
        int i = at + 1;
        if (i >= text.length() || !isAsciiIdentifierStart(text.charAt(i))) {
            return -1;
        }
        while (i < text.length() && (isAsciiIdentifierStart(text.charAt(i)) || Character.isDigit(text.charAt(i))
                && text.charAt(i) < 0x80)) {
            i++;
        }
        return i < text.length() && text.charAt(i) == '}' ? i + 1 : -1;
    }

    private static boolean isAsciiIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private char next(int ahead) {
        int i = pos + ahead;
        return i < text.length() ? text.charAt(i) : '\0';
    }

    private void add(Kind kind, int start) {
        tokens.add(new SqlToken(kind, start, pos));
    }

    private TemplateException error(int offset, String message) {
        return new TemplateException(SourcePositions.at(label, text, offset) + ": " + message);
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
    }

    /** PostgreSQL treats every non-ASCII character as a letter in identifiers. */
    static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || (c >= '0' && c <= '9') || c == '$';
    }

    private static boolean isNumberPart(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.';
    }
}
