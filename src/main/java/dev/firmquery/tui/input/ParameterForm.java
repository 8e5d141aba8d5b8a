package dev.firmquery.tui.input;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.TextBox;
import dev.firmquery.sql.TemplateParameter;
import dev.firmquery.tui.widget.Fmt;
import dev.firmquery.tui.widget.Glyphs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The typed form for the parameters a template declares ({@code -- @param NAME TYPE [= DEFAULT]
 * [DESCRIPTION]}): one field per parameter with its default filled in, checked as it is typed with
 * the parser a headless run uses ({@code ParameterType.parse}, the one behind {@code --param}), and
 * the problem shown to the right of the field. Empty, and taking no rows, for a template without
 * parameters. GUI thread only.
 */
final class ParameterForm {
    /** Columns of the name label: the input window's labels are 10 wide. */
    private static final int LABEL_WIDTH = 10;
    /** Columns of a value field: a timestamptz ({@code 2026-01-31T08:00:00Z}) is 20. */
    private static final int FIELD_WIDTH = 22;

    private record Field(TemplateParameter parameter, TextBox box, Label note) {
    }

    private final Panel panel = new Panel(new LinearLayout(Direction.VERTICAL));
    private final Glyphs glyphs;
    private final Runnable changed;
    private List<Field> fields = List.of();

    /** @param changed called after every edit of a field (the Run button follows the form's validity) */
    ParameterForm(Glyphs glyphs, Runnable changed) {
        this.glyphs = glyphs;
        this.changed = changed;
        panel.setLayoutData(LinearLayout.createLayoutData(LinearLayout.Alignment.Fill));
    }

    Panel panel() {
        return panel;
    }

    /**
     * Shows the fields for {@code parameters}. The same declarations as shown keep what was typed, so
     * loading the input again or re-selecting the query never loses an edited value.
     */
    void show(List<TemplateParameter> parameters) {
        if (signatures(parameters).equals(signatures(fields.stream().map(Field::parameter).toList()))) {
            return;
        }
        Map<String, String> typed = new LinkedHashMap<>();
        for (Field f : fields) {
            typed.put(f.parameter().name(), f.box().getText());
        }
        panel.removeAllComponents();
        List<Field> built = new ArrayList<>();
        for (TemplateParameter p : parameters) {
            TextBox box = new TextBox(new TerminalSize(FIELD_WIDTH, 1));
            String initial = typed.getOrDefault(p.name(), p.hasDefault() ? p.defaultText() : "");
            box.setText(initial);
            Label note = new Label("");
            Field f = new Field(p, box, note);
            box.setTextChangeListener((text, user) -> {
                check(f);
                if (user) {
                    changed.run();
                }
            });
            check(f);
            Panel row = new Panel(new LinearLayout(Direction.HORIZONTAL));
            row.addComponent(new Label(Fmt.pad(Fmt.fit(p.name(), LABEL_WIDTH - 1, glyphs), LABEL_WIDTH)));
            row.addComponent(box);
            row.addComponent(note, LinearLayout.createLayoutData(LinearLayout.Alignment.Fill, LinearLayout.GrowPolicy.CanGrow));
            row.setLayoutData(LinearLayout.createLayoutData(LinearLayout.Alignment.Fill));
            panel.addComponent(row);
            built.add(f);
        }
        fields = List.copyOf(built);
    }

    /** Puts {@code values} (by name, e.g. a past run's) into the fields of those names. */
    void fill(Map<String, String> values) {
        for (Field f : fields) {
            String v = values.get(f.parameter().name());
            if (v != null) {
                f.box().setText(v);
            }
        }
    }

    /** Whether the shown template declares no parameters. */
    boolean isEmpty() {
        return fields.isEmpty();
    }

    /**
     * The values to bind, by name, as {@code --param NAME=VALUE} would give them: a blank field, or one
     * still holding its default, is left out, so the default applies and the report says so (or the
     * run says a required one is missing).
     */
    Map<String, String> values() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Field f : fields) {
            String v = f.box().getText().strip();
            if (!v.isEmpty() && !v.equals(f.parameter().defaultText())) {
                m.put(f.parameter().name(), v);
            }
        }
        return m;
    }

    /** One line per field that cannot run as typed ({@code since: not a date ...}); empty when all can. */
    List<String> problems() {
        List<String> l = new ArrayList<>();
        for (Field f : fields) {
            problem(f.parameter(), f.box().getText()).ifPresent(p -> l.add(f.parameter().name() + ": " + p));
        }
        return l;
    }

    /** The first field that cannot run as typed, to focus; null when all can. */
    TextBox firstProblem() {
        for (Field f : fields) {
            if (problem(f.parameter(), f.box().getText()).isPresent()) {
                return f.box();
            }
        }
        return null;
    }

    private static void check(Field f) {
        TemplateParameter p = f.parameter();
        String type = p.type().declaredName();
        f.note().setText(Fmt.printable(problem(p, f.box().getText()).map(e -> " error: " + e)
                .orElse(" " + type + (p.description().isEmpty() ? "" : "  " + p.description()))));
    }

    private static java.util.Optional<String> problem(TemplateParameter p, String raw) {
        String v = raw.strip();
        if (v.isEmpty()) {
            return p.hasDefault() ? java.util.Optional.empty()
                    : java.util.Optional.of("required (" + p.type().declaredName() + ", no default)");
        }
        try {
            p.type().parse(v);
            return java.util.Optional.empty();
        } catch (IllegalArgumentException e) {
            return java.util.Optional.of(e.getMessage());
        }
    }

    private static List<String> signatures(List<TemplateParameter> ps) {
        return ps.stream().map(p -> p.signature() + "|" + p.description()).toList();
    }
}
