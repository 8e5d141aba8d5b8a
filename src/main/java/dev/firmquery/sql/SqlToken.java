package dev.firmquery.sql;

/**
 * One lexical token of a SQL template: a half-open range {@code [start, end)} of the template text.
 *
 * @param kind  what the range is
 * @param start offset of the first character
 * @param end   offset after the last character
 */
record SqlToken(Kind kind, int start, int end) {

    /** Token kinds; only the distinctions the validation and rendering rules need. */
    enum Kind {
        WHITESPACE,
        /** {@code -- ...} up to (not including) the line break. */
        LINE_COMMENT,
        /** {@code /* ... * /}, possibly nested. */
        BLOCK_COMMENT,
        /** {@code '...'}, {@code E'...'}; also the body of B'', X'', N'' and U&'' literals. */
        STRING,
        /** {@code $$...$$} or {@code $tag$...$tag$}. */
        DOLLAR_STRING,
        /** {@code "..."}. */
        QUOTED_IDENTIFIER,
        /** An unquoted identifier or keyword. */
        WORD,
        NUMBER,
        /** {@code $1}, {@code $2}, ...: a numbered parameter. */
        POSITIONAL_PARAMETER,
        /** Exactly {@code {ID_PLACEHOLDER}}. */
        PLACEHOLDER,
        /** {@code {name}}: a template parameter ({@code -- @param name type} in the header). */
        PARAMETER,
        SEMICOLON,
        QUESTION_MARK,
        OPEN_PAREN,
        CLOSE_PAREN,
        DOT,
        /** Any other single character (operators, commas, brackets...). */
        OTHER
    }

    /** Whitespace and comments: what may surround a statement without being part of it. */
    boolean isTrivia() {
        return kind == Kind.WHITESPACE || kind == Kind.LINE_COMMENT || kind == Kind.BLOCK_COMMENT;
    }

    boolean isComment() {
        return kind == Kind.LINE_COMMENT || kind == Kind.BLOCK_COMMENT;
    }

    /** A token whose content is not SQL code: a string literal, a quoted identifier or a comment. */
    boolean isOpaque() {
        return isComment() || kind == Kind.STRING || kind == Kind.DOLLAR_STRING
                || kind == Kind.QUOTED_IDENTIFIER;
    }

    /** True if this is the unquoted word {@code word}, compared case-insensitively as SQL keywords are. */
    boolean isWord(String text, String word) {
        return kind == Kind.WORD && end - start == word.length()
                && text.regionMatches(true, start, word, 0, word.length());
    }

    String text(String source) {
        return source.substring(start, end);
    }
}
