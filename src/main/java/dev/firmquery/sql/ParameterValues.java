package dev.firmquery.sql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The values of a template's parameters for one run, in declaration order, each parsed as its declared
 * type. Built by {@link #resolve}, which reports every problem of the given values at once; the values
 * are bound as statement parameters ({@link StatementRenderer}), never written into SQL.
 *
 * @param values one per declared parameter
 */
public record ParameterValues(List<Value> values) {
    private static final ParameterValues NONE = new ParameterValues(List.of());

    /**
     * @param parameter   the declaration
     * @param value       the parsed value ({@link ParameterType#parse})
     * @param fromDefault whether the run did not give it and the default applies
     */
    public record Value(TemplateParameter parameter, Object value, boolean fromDefault) {
        /** The canonical text: what the manifest, report and audit line record. */
        public String text() {
            return parameter.type().format(value);
        }
    }

    public ParameterValues {
        values = List.copyOf(values);
    }

    /** No parameters: for a template that declares none. */
    public static ParameterValues none() {
        return NONE;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The value of {@code name}, or empty. */
    public Optional<Value> get(String name) {
        for (Value v : values) {
            if (v.parameter().name().equals(name)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** Name to canonical text, in declaration order. */
    public Map<String, String> asText() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Value v : values) {
            m.put(v.parameter().name(), v.text());
        }
        return m;
    }

    /** {@code since=2026-01-01, countries=DE,FR}, for summaries; empty without parameters. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        asText().forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(", ", parts);
    }

    /**
     * The values for {@code template} from the given ones ({@code --param NAME=VALUE}) and the declared
     * defaults.
     *
     * @param given name to value as written; names the template does not declare are errors
     * @throws TemplateException listing every unknown name, every missing value without a default and
     *                           every value that does not parse as its type, each with the template's
     *                           {@code file:line}
     */
    public static ParameterValues resolve(QueryTemplate template, Map<String, String> given) throws TemplateException {
        Objects.requireNonNull(given, "given");
        List<String> problems = new ArrayList<>();
        List<Value> values = new ArrayList<>();
        for (TemplateParameter p : template.parameters()) {
            String raw = given.get(p.name());
            String at = template.locateLine(p.line()) + ": parameter " + p.name() + " (" + p.type().declaredName() + ")";
            if (raw == null) {
                if (p.hasDefault()) {
                    values.add(new Value(p, p.defaultValue(), true));
                } else {
                    problems.add(at + " has no value and no default; pass --param " + p.name() + "="
                            + example(p.type()));
                }
                continue;
            }
            try {
                values.add(new Value(p, p.type().parse(raw), false));
            } catch (IllegalArgumentException e) {
                problems.add(at + ": --param " + p.name() + "=" + raw + ": " + e.getMessage());
            }
        }
        for (String name : given.keySet()) {
            if (template.parameters().stream().noneMatch(p -> p.name().equals(name))) {
                String declared = template.parameters().isEmpty() ? "it declares no parameters"
                        : "it declares " + String.join(", ", template.parameters().stream().map(TemplateParameter::name).toList());
                String near = template.parameters().stream().map(TemplateParameter::name)
                        .filter(n -> n.equalsIgnoreCase(name)).findFirst().map(n -> "; did you mean " + n + "?").orElse("");
                problems.add(template.locateLine(1) + ": --param " + name + ": the query " + template.name()
                        + " has no parameter " + name + " (" + declared + ")" + near);
            }
        }
        if (!problems.isEmpty()) {
            throw new TemplateException(problems.size() == 1 ? problems.get(0)
                    : problems.size() + " problems with the parameters of " + template.name() + ":\n  "
                    + String.join("\n  ", problems));
        }
        return new ParameterValues(values);
    }

    /** A value of {@code type} as a user would type it, for messages and for planning before one is given. */
    public static String example(ParameterType type) {
        return switch (type) {
            case TEXT -> "text";
            case INTEGER -> "42";
            case NUMERIC -> "12.50";
            case BOOLEAN -> "true";
            case DATE -> "2026-01-31";
            case TIMESTAMPTZ -> "2026-01-31T08:00:00Z";
            case TEXT_ARRAY -> "DE,FR";
            case INTEGER_ARRAY -> "1,2,3";
        };
    }
}
