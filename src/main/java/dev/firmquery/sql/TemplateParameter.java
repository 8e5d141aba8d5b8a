package dev.firmquery.sql;

import java.util.Objects;

/**
 * One {@code -- @param NAME TYPE [= DEFAULT] [DESCRIPTION]} declaration of a template's header comment.
 *
 * @param name         what {@code {name}} in the SQL and {@code --param name=...} refer to
 * @param type         the declared type
 * @param defaultValue the default as parsed ({@link ParameterType#parse}), or {@code null} when a value
 *                     must be given
 * @param description  the rest of the line, or empty
 * @param line         the declaration's line in the template, 1-based, for messages
 */
public record TemplateParameter(String name, ParameterType type, Object defaultValue, String description, int line) {
    public TemplateParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        description = description == null ? "" : description;
    }

    /** Whether a run may leave it out. */
    public boolean hasDefault() {
        return defaultValue != null;
    }

    /** The default's canonical text, or {@code null}. */
    public String defaultText() {
        return defaultValue == null ? null : type.format(defaultValue);
    }

    /** {@code since date = 2026-01-01}, as lists show it. */
    public String signature() {
        return name + " " + type.declaredName() + (hasDefault() ? " = " + defaultText() : "");
    }
}
