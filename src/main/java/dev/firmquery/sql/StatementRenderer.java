package dev.firmquery.sql;

import dev.firmquery.ids.IdList;
import dev.firmquery.ids.IdType;
import dev.firmquery.sql.SqlToken.Kind;
import org.postgresql.PGConnection;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * Turns a {@link QueryTemplate} and a slice of the run's IDs into a statement and its parameters, per
 * {@code processing.id_binding}:
 * <ul>
 *   <li>{@link IdBinding#BIND}: the placeholder becomes {@code ?, ?, ...}, one parameter per ID;</li>
 *   <li>{@link IdBinding#LITERAL}: the placeholder becomes the integer IDs in decimal, {@code 1, 2, 3};</li>
 *   <li>{@link IdBinding#ARRAY}: {@code IN ({ID_PLACEHOLDER})} becomes {@code = ANY(?)} (and
 *       {@code NOT IN (...)} becomes {@code <> ALL(?)}) with one array parameter.</li>
 * </ul>
 * Text IDs are never written into SQL, nor are the values of the template's parameters: each {@code {name}}
 * becomes {@code CAST(? AS type)} and its value a bound parameter, in the order of the text, around the IDs'
 * parameters. The length model ({@link #fixedLength}, {@link #idLength},
 * {@link #separatorLength}) lets the chunk planner size statements without building them:
 * {@code sql(ids, from, to).length() == length(ids, from, to)}. Immutable and thread-safe.
 */
public final class StatementRenderer {
    /**
     * The most bind parameters per statement: the PostgreSQL protocol counts them in 16 bits and drivers
     * and CockroachDB differ on signedness, so the signed limit is the safe one.
     */
    public static final int MAX_BIND_PARAMETERS = 32767;

    private static final String SEPARATOR = ", ";

    private final QueryTemplate template;
    private final IdBinding binding;
    private final IdType idType;
    private final ParameterValues parameters;
    /** The parameters' values in the order of their markers before and after the IDs. */
    private final List<ParameterValues.Value> before;
    private final List<ParameterValues.Value> after;
    /** Text before and after the replaced range: the placeholder, or for ARRAY the whole {@code IN (...)}. */
    private final String prefix;
    private final String suffix;
    /** The complete statement for ARRAY, which does not depend on the IDs. */
    private final String constant;

    /**
     * @throws TemplateException if the binding cannot be used with this template or ID type: LITERAL with
     *                           text IDs, ARRAY without {@code IN ({ID_PLACEHOLDER})}, or a {@code ?} in the
     *                           SQL code, which the JDBC driver would take for a parameter
     */
    public StatementRenderer(QueryTemplate template, IdBinding binding, IdType idType) throws TemplateException {
        this(template, binding, idType, ParameterValues.none());
    }

    /**
     * A renderer that binds {@code parameters}, the values of the template's declared parameters.
     *
     * @throws TemplateException        as {@link #StatementRenderer(QueryTemplate, IdBinding, IdType)}
     * @throws IllegalArgumentException if the values are not one per declared parameter, in order
     *                                  ({@link ParameterValues#resolve} builds them so)
     */
    public StatementRenderer(QueryTemplate template, IdBinding binding, IdType idType, ParameterValues parameters)
            throws TemplateException {
        this.template = Objects.requireNonNull(template, "template");
        this.binding = Objects.requireNonNull(binding, "binding");
        this.idType = Objects.requireNonNull(idType, "idType");
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        List<String> declared = template.parameters().stream().map(TemplateParameter::name).toList();
        List<String> given = parameters.values().stream().map(v -> v.parameter().name()).toList();
        if (!declared.equals(given)) {
            throw new IllegalArgumentException("the template " + template.name() + " declares the parameters " + declared
                    + " but values were given for " + given + "; build them with ParameterValues.resolve");
        }
        String text = template.text();
        if (binding == IdBinding.LITERAL && idType == IdType.TEXT) {
            throw new TemplateException(template.locate(template.placeholderStart()) + ": id_binding literal is only"
                    + " for integer ids; text ids are always sent as parameters, never written into SQL. Set"
                    + " processing.id_binding: bind (or array), or processing.id_type: integer");
        }
        List<SqlToken> tokens = SqlLexer.tokenize(text, template.source() != null
                ? BuiltInQueries.describe(template.source()) : template.name());
        requireNoParameterMarkers(tokens);
        if (binding == IdBinding.ARRAY) {
            int[] range = arrayRewriteRange(tokens);
            String replacement = range[2] == 1 ? "<> ALL(?)" : "= ANY(?)";
            List<ParameterValues.Value> b = new java.util.ArrayList<>();
            List<ParameterValues.Value> a = new java.util.ArrayList<>();
            this.prefix = withMarkers(0, range[0], b);
            this.suffix = withMarkers(range[1], text.length(), a);
            this.before = List.copyOf(b);
            this.after = List.copyOf(a);
            this.constant = prefix + replacement + suffix;
        } else {
            List<ParameterValues.Value> b = new java.util.ArrayList<>();
            List<ParameterValues.Value> a = new java.util.ArrayList<>();
            this.prefix = withMarkers(0, template.placeholderStart(), b);
            this.suffix = withMarkers(template.placeholderEnd(), text.length(), a);
            this.before = List.copyOf(b);
            this.after = List.copyOf(a);
            this.constant = null;
        }
    }

    /**
     * {@code text[from, to)} with each parameter use in it replaced by {@code CAST(? AS type)}; the values
     * are added to {@code order} as their markers come.
     */
    private String withMarkers(int from, int to, List<ParameterValues.Value> order) {
        String text = template.text();
        StringBuilder b = new StringBuilder(to - from + 16);
        int at = from;
        for (QueryTemplate.Use use : template.uses()) {
            if (use.start() < from || use.end() > to) {
                continue;
            }
            ParameterValues.Value value = parameters.get(use.name()).orElseThrow();
            b.append(text, at, use.start()).append("CAST(? AS ").append(value.parameter().type().sqlType()).append(')');
            order.add(value);
            at = use.end();
        }
        return b.append(text, at, to).toString();
    }

    /** The values bound besides the IDs. */
    public ParameterValues parameters() {
        return parameters;
    }

    public QueryTemplate template() {
        return template;
    }

    public IdBinding binding() {
        return binding;
    }

    public IdType idType() {
        return idType;
    }

    /**
     * The statement for the IDs {@code [from, to)} of {@code ids}.
     *
     * @throws IllegalArgumentException if the slice is empty or out of range, or the IDs are of the wrong type
     */
    public String sql(IdList ids, int from, int to) {
        checkSlice(ids, from, to);
        return switch (binding) {
            case BIND, LITERAL -> listed(ids, from, to);
            case ARRAY -> constant;
        };
    }

    /** The template with the placeholder replaced by one {@code ?} or literal per ID. */
    private String listed(IdList ids, int from, int to) {
        StringBuilder sql = new StringBuilder(length(ids, from, to)).append(prefix);
        for (int i = from; i < to; i++) {
            if (i > from) {
                sql.append(SEPARATOR);
            }
            if (binding == IdBinding.BIND) {
                sql.append('?');
            } else {
                sql.append(ids.longAt(i));
            }
        }
        return sql.append(suffix).toString();
    }

    /**
     * Sets the parameters of a statement prepared from {@link #sql} for the same slice: one per ID for BIND
     * ({@code setLong} or {@code setString}), none for LITERAL, one {@code int8[]} or {@code text[]} array
     * for ARRAY. The template's parameter values are bound first and last, around the IDs, as their markers come in
     * the text.
     *
     * @return the number of parameters set
     */
    public int bind(PreparedStatement ps, IdList ids, int from, int to) throws SQLException {
        return bind(ps, ids, from, to, 1);
    }

    /**
     * {@link #bind(PreparedStatement, IdList, int, int)} for a statement that holds several rendered slices, one
     * after another: this slice's first parameter is number {@code first}.
     *
     * @return the number of parameters set
     */
    public int bind(PreparedStatement ps, IdList ids, int from, int to, int first) throws SQLException {
        checkSlice(ids, from, to);
        if (first < 1) {
            throw new IllegalArgumentException("parameters are numbered from 1, got " + first);
        }
        int next = first;
        for (ParameterValues.Value v : before) {
            v.parameter().type().bind(ps, next++, v.value());
        }
        int offset = next;
        int idParameters = switch (binding) {
            case BIND -> {
                for (int i = from; i < to; i++) {
                    if (idType == IdType.INTEGER) {
                        ps.setLong(i - from + offset, ids.longAt(i));
                    } else {
                        ps.setString(i - from + offset, ids.textAt(i));
                    }
                }
                yield to - from;
            }
            // The IDs are part of the statement text.
            case LITERAL -> 0;
            case ARRAY -> {
                ps.setArray(offset, createArray(ps.getConnection(), ids, from, to));
                yield 1;
            }
        };
        next += idParameters;
        for (ParameterValues.Value v : after) {
            v.parameter().type().bind(ps, next++, v.value());
        }
        return next - first;
    }

    /** {@code sql(ids, from, to).length()} without building the string. */
    public int length(IdList ids, int from, int to) {
        checkSlice(ids, from, to);
        long length = fixedLength() + (long) separatorLength() * (to - from - 1);
        for (int i = from; i < to; i++) {
            length += idLength(ids, i);
        }
        return Math.toIntExact(length);
    }

    /** The statement's length without any ID: the template minus the placeholder, or the ARRAY statement. */
    public int fixedLength() {
        return switch (binding) {
            case BIND, LITERAL -> prefix.length() + suffix.length();
            case ARRAY -> constant.length();
        };
    }

    /** Characters the ID at {@code index} adds: 1 ({@code ?}) for BIND, its digits for LITERAL, 0 for ARRAY. */
    public int idLength(IdList ids, int index) {
        return switch (binding) {
            case BIND -> 1;
            case LITERAL -> decimalLength(ids.longAt(index));
            case ARRAY -> 0;
        };
    }

    /** Characters between two IDs: 2 ({@code ", "}) for BIND and LITERAL, 0 for ARRAY. */
    public int separatorLength() {
        return switch (binding) {
            case BIND, LITERAL -> SEPARATOR.length();
            case ARRAY -> 0;
        };
    }

    /**
     * The most IDs one statement can take: {@value #MAX_BIND_PARAMETERS} less the template's parameter
     * markers for BIND, unbounded otherwise.
     */
    public int maxIdsPerStatement() {
        return switch (binding) {
            case BIND -> MAX_BIND_PARAMETERS - before.size() - after.size();
            case LITERAL, ARRAY -> Integer.MAX_VALUE;
        };
    }

    private void requireNoParameterMarkers(List<SqlToken> tokens) throws TemplateException {
        for (SqlToken token : tokens) {
            if (token.kind() == Kind.QUESTION_MARK) {
                throw new TemplateException(template.locate(token.start()) + ": '?' in SQL code; the PostgreSQL"
                        + " JDBC driver would take it for a bind parameter. For the JSON operators use the"
                        + " functions: jsonb_exists(doc, 'key') for ?, jsonb_exists_any(doc, array['a','b']) for"
                        + " ?|, jsonb_exists_all(doc, array['a','b']) for ?&");
            }
            if (token.kind() == Kind.POSITIONAL_PARAMETER) {
                throw new TemplateException(template.locate(token.start()) + ": positional parameter "
                        + token.text(template.text()) + " in SQL code; the engine numbers the statement's parameters itself."
                        + " Declare a named one in the header instead (-- @param since date) and write {since}"
                        + " where the value goes");
            }
        }
    }

    /**
     * The range {@code [start, end)} of {@code [NOT] IN ( {ID_PLACEHOLDER} )} and whether NOT is part of it
     * ({@code [start, end, not ? 1 : 0]}); comments and whitespace may sit anywhere between the tokens.
     */
    private int[] arrayRewriteRange(List<SqlToken> tokens) throws TemplateException {
        String text = template.text();
        int placeholder = -1;
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).kind() == Kind.PLACEHOLDER) {
                placeholder = i;
                break;
            }
        }
        int open = placeholder < 0 ? -1 : previousSignificant(tokens, placeholder);
        int in = open < 0 ? -1 : previousSignificant(tokens, open);
        int close = placeholder < 0 ? -1 : nextSignificant(tokens, placeholder);
        boolean shaped = open >= 0 && tokens.get(open).kind() == Kind.OPEN_PAREN
                && in >= 0 && tokens.get(in).isWord(text, "IN")
                && close >= 0 && tokens.get(close).kind() == Kind.CLOSE_PAREN;
        if (!shaped) {
            throw new TemplateException(template.locate(template.placeholderStart()) + ": id_binding array needs"
                    + " the placeholder written as IN (" + QueryTemplate.PLACEHOLDER + "), e.g."
                    + " WHERE t1.firm_root_id IN (" + QueryTemplate.PLACEHOLDER + "), so that it can become"
                    + " = ANY(?); rewrite it that way or set processing.id_binding: bind");
        }
        int not = previousSignificant(tokens, in);
        boolean negated = not >= 0 && tokens.get(not).isWord(text, "NOT");
        int start = negated ? tokens.get(not).start() : tokens.get(in).start();
        return new int[] {start, tokens.get(close).end(), negated ? 1 : 0};
    }

    private Array createArray(Connection connection, IdList ids, int from, int to) throws SQLException {
        if (idType == IdType.TEXT) {
            return connection.createArrayOf("text", ids.textRange(from, to));
        }
        long[] values = ids.longRange(from, to);
        if (connection.isWrapperFor(PGConnection.class)) {
            // pgjdbc sends a primitive long[] as a binary int8[] without boxing 250+ Longs per chunk.
            return connection.unwrap(PGConnection.class).createArrayOf("int8", values);
        }
        Long[] boxed = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return connection.createArrayOf("int8", boxed);
    }

    private void checkSlice(IdList ids, int from, int to) {
        if (ids.type() != idType) {
            throw new IllegalArgumentException("the renderer was built for " + idType + " ids but got a "
                    + ids.type() + " id list");
        }
        if (from < 0 || to > ids.size() || from >= to) {
            throw new IllegalArgumentException("bad id slice [" + from + ", " + to + ") of " + ids.size()
                    + " ids; a slice holds at least one id");
        }
    }

    private static int previousSignificant(List<SqlToken> tokens, int index) {
        for (int i = index - 1; i >= 0; i--) {
            if (!tokens.get(i).isTrivia()) {
                return i;
            }
        }
        return -1;
    }

    private static int nextSignificant(List<SqlToken> tokens, int index) {
        for (int i = index + 1; i < tokens.size(); i++) {
            if (!tokens.get(i).isTrivia()) {
                return i;
            }
        }
        return -1;
    }

    /** Characters of {@code Long.toString(value)}. */
    static int decimalLength(long value) {
        if (value == Long.MIN_VALUE) {
            return 20;
        }
        if (value < 0) {
            return 1 + decimalLength(-value);
        }
        int digits = 1;
        long threshold = 10;
        while (digits < 19 && value >= threshold) {
            digits++;
            threshold *= 10;
        }
        return digits;
    }
}
