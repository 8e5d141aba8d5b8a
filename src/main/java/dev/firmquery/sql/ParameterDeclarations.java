package dev.firmquery.sql;

import dev.firmquery.sql.SqlToken.Kind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a template's {@code -- @param NAME TYPE [= DEFAULT] [DESCRIPTION]} declarations from its header
 * comment (the line comments before the first SQL code) and its {@code {name}} uses from the tokens, and
 * checks them against each other: a use without a declaration, a declaration never used, a bad name,
 * type or default, a declaration twice, or one outside the header are each an error, all reported in one
 * {@link TemplateException}, each at its {@code file:line:column}.
 */
final class ParameterDeclarations {
    private static final String TAG = "@param";

    private final String label;
    private final String text;
    private final List<SqlToken> tokens;
    private final List<String> problems = new ArrayList<>();

    private ParameterDeclarations(String label, String text, List<SqlToken> tokens) {
        this.label = label;
        this.text = text;
        this.tokens = tokens;
    }

    /** The declarations and the uses, in the order of the text. */
    record Found(List<TemplateParameter> parameters, List<QueryTemplate.Use> uses) {
    }

    /**
     * @param statementEnd index after the statement's last token; uses after it are not part of the SQL
     * @throws TemplateException listing every problem of the declarations and uses
     */
    static Found read(String label, String text, List<SqlToken> tokens, int statementEnd) throws TemplateException {
        return new ParameterDeclarations(label, text, tokens).read(statementEnd);
    }

    private Found read(int statementEnd) throws TemplateException {
        Map<String, TemplateParameter> declared = new LinkedHashMap<>();
        boolean header = true;
        for (SqlToken token : tokens) {
            if (!token.isTrivia()) {
                header = false;
                continue;
            }
            if (!token.isComment()) {
                continue;
            }
            String body = commentBody(token);
            if (!body.startsWith(TAG) || (body.length() > TAG.length() && !Character.isWhitespace(body.charAt(TAG.length())))) {
                continue;
            }
            if (!header || token.kind() != Kind.LINE_COMMENT) {
                problem(token.start(), "an " + TAG + " declaration is read only from the -- line comments at the top"
                        + " of the file, before the SQL starts; move this one up there");
                continue;
            }
            TemplateParameter p = declaration(token, body.substring(TAG.length()));
            if (p == null) {
                continue;
            }
            TemplateParameter earlier = declared.putIfAbsent(p.name(), p);
            if (earlier != null) {
                problem(token.start(), "parameter " + p.name() + " is declared a second time (first on line "
                        + earlier.line() + "); remove one");
            }
        }
        List<QueryTemplate.Use> uses = new ArrayList<>();
        java.util.Set<String> used = new java.util.HashSet<>();
        for (int i = 0; i < statementEnd; i++) {
            SqlToken token = tokens.get(i);
            if (token.kind() != Kind.PARAMETER) {
                continue;
            }
            String name = text.substring(token.start() + 1, token.end() - 1);
            if (!declared.containsKey(name)) {
                String near = declared.keySet().stream().filter(n -> n.equalsIgnoreCase(name)).findFirst()
                        .map(n -> " (names are case-sensitive: did you mean {" + n + "}?)").orElse("");
                problem(token.start(), "{" + name + "} is not a declared parameter" + near + "; declare it in the"
                        + " header, e.g. -- " + TAG + " " + name + " text   what it is");
                continue;
            }
            used.add(name);
            uses.add(new QueryTemplate.Use(name, token.start(), token.end()));
        }
        for (TemplateParameter p : declared.values()) {
            if (!used.contains(p.name())) {
                problem(lineStart(p.line()), "parameter " + p.name() + " is declared but {" + p.name() + "} is not"
                        + " used in the SQL" + (inOpaqueToken(p.name()) ? " (it appears only inside a string,"
                        + " quoted identifier or comment, where it is not replaced; write it in the SQL code without"
                        + " quotes)" : "") + "; use it or remove the declaration");
            }
        }
        if (!problems.isEmpty()) {
            throw new TemplateException(problems.size() == 1 ? problems.get(0)
                    : problems.size() + " problems with the template's parameters:\n  " + String.join("\n  ", problems));
        }
        return new Found(List.copyOf(declared.values()), List.copyOf(uses));
    }

    /** A comment's text without its {@code --} or {@code /* * /} markers, stripped. */
    private String commentBody(SqlToken token) {
        String body = token.text(text);
        if (token.kind() == Kind.LINE_COMMENT) {
            int i = 0;
            while (i < body.length() && body.charAt(i) == '-') {
                i++;
            }
            return body.substring(i).strip();
        }
        return body.substring(2, Math.max(2, body.length() - 2)).strip();
    }

    /** {@code NAME TYPE [= DEFAULT] [DESCRIPTION]} after the tag, or null after recording the problem. */
    private TemplateParameter declaration(SqlToken token, String rest) {
        int at = token.start();
        int line = Integer.parseInt(SourcePositions.lineColumn(text, at).split(":")[0]);
        String usage = "; write -- " + TAG + " NAME TYPE [= DEFAULT] [DESCRIPTION], e.g. -- " + TAG
                + " since date = 2026-01-01   Only firms updated since";
        Cursor c = new Cursor(rest.strip());
        String name = c.word();
        if (name.isEmpty()) {
            problem(at, TAG + " without a name" + usage);
            return null;
        }
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            problem(at, "parameter name '" + name + "' is not a name of letters, digits and underscores starting with"
                    + " a letter" + usage);
            return null;
        }
        if (name.equals("ID_PLACEHOLDER")) {
            problem(at, "ID_PLACEHOLDER is the engine's name for the IDs and cannot be a parameter; choose another name");
            return null;
        }
        String typeName = c.word();
        if (typeName.isEmpty()) {
            problem(at, "parameter " + name + " has no type; give one of " + ParameterType.names() + usage);
            return null;
        }
        var type = ParameterType.ofDeclared(typeName);
        if (type.isEmpty()) {
            problem(at, "parameter " + name + " has the type '" + typeName + "', which is not one of "
                    + ParameterType.names());
            return null;
        }
        Object defaultValue = null;
        if (c.take('=')) {
            boolean quoted = c.atQuote();
            String raw = c.value();
            if (raw == null) {
                problem(at, quoted ? "the default of parameter " + name + " opens a quote (') that the line does not"
                        + " close; end it with ' (write '' for a quote inside it)"
                        : "parameter " + name + " has an '=' but no default after it; write the default, or ''"
                        + " for empty text, or drop the '='");
                return null;
            }
            try {
                defaultValue = type.get().parse(raw);
            } catch (IllegalArgumentException e) {
                problem(at, "the default of parameter " + name + " (" + typeName + "): " + e.getMessage());
                return null;
            }
        }
        return new TemplateParameter(name, type.get(), defaultValue, c.rest(), line);
    }

    private boolean inOpaqueToken(String name) {
        String use = "{" + name + "}";
        for (SqlToken token : tokens) {
            if (token.isOpaque() && token.text(text).contains(use)
                    && !(token.isComment() && commentBody(token).startsWith(TAG))) {
                return true;
            }
        }
        return false;
    }

    private int lineStart(int line) {
        int offset = 0;
        for (int l = 1; l < line && offset >= 0; l++) {
            int next = nextLineBreak(offset);
            offset = next < 0 ? text.length() : next;
        }
        return offset;
    }

    private int nextLineBreak(int from) {
        for (int i = from; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\n') {
                return i + 1;
            }
            if (ch == '\r') {
                return i + 1 < text.length() && text.charAt(i + 1) == '\n' ? i + 2 : i + 1;
            }
        }
        return -1;
    }

    private void problem(int offset, String message) {
        problems.add(SourcePositions.at(label, text, offset) + ": " + message);
    }

    /** Reads a declaration left to right. */
    private static final class Cursor {
        private final String s;
        private int i;

        Cursor(String s) {
            this.s = s;
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        /** The next run of characters up to whitespace or '='. */
        String word() {
            skipSpace();
            int start = i;
            while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '=') {
                i++;
            }
            return s.substring(start, i);
        }

        boolean take(char ch) {
            skipSpace();
            if (i < s.length() && s.charAt(i) == ch) {
                i++;
                return true;
            }
            return false;
        }

        boolean atQuote() {
            skipSpace();
            return i < s.length() && s.charAt(i) == '\'';
        }

        /** A default: {@code 'quoted text'} ({@code ''} for a quote) or a run up to whitespace; null if none. */
        String value() {
            skipSpace();
            if (i >= s.length()) {
                return null;
            }
            if (s.charAt(i) == '\'') {
                StringBuilder b = new StringBuilder();
                for (int j = i + 1; j < s.length(); j++) {
                    if (s.charAt(j) == '\'') {
                        if (j + 1 < s.length() && s.charAt(j + 1) == '\'') {
                            b.append('\'');
                            j++;
                        } else {
                            i = j + 1;
                            return b.toString();
                        }
                    } else {
                        b.append(s.charAt(j));
                    }
                }
                return null; // unterminated: no usable default
            }
            int start = i;
            while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            return s.substring(start, i);
        }

        String rest() {
            return s.substring(i).strip();
        }
    }
}
