package dev.firmquery.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The generated parts of {@code docs/configuration.md}: one reference table per section from
 * {@link ConfigKey}, and the list of rules between keys from {@link KeyRule}. Each sits between a
 * start marker naming what it is generated from and {@link #END}; the prose around them is written by hand.
 */
final class ConfigReference {
    static final String DOCS = "docs/configuration.md";
    static final String END = "<!-- end of generated text -->";
    private static final Pattern TABLE_START = Pattern.compile("<!-- generated from ConfigKey, section ([a-z_]+) -->");
    private static final String RULES_START = "<!-- generated from KeyRule -->";

    private ConfigReference() {
    }

    /** The start marker of a section's table. */
    static String tableStart(String section) {
        return "<!-- generated from ConfigKey, section " + section + " -->";
    }

    /**
     * {@code doc} with every generated block replaced by what the tables say now.
     *
     * @throws IllegalStateException when a section's table or the rules have no block, a block has no end,
     *                               or a block names a section the table does not have
     */
    static String regenerate(String doc) {
        List<String> lines = List.of(doc.split("\n", -1));
        List<String> out = new ArrayList<>();
        Set<String> sectionsSeen = new LinkedHashSet<>();
        boolean rulesSeen = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher table = TABLE_START.matcher(line.strip());
            boolean rules = line.strip().equals(RULES_START);
            if (!table.matches() && !rules) {
                out.add(line);
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).strip().equals(END)) {
                end++;
            }
            if (end == lines.size()) {
                throw new IllegalStateException(DOCS + ":" + (i + 1) + ": '" + line.strip() + "' has no '" + END + "' after it");
            }
            out.add(line);
            if (rules) {
                rulesSeen = true;
                out.addAll(rules());
            } else {
                String section = table.group(1);
                if (!ConfigKey.sections().contains(section)) {
                    throw new IllegalStateException(DOCS + ":" + (i + 1) + ": section " + section
                            + " has no keys in ConfigKey; remove its table or declare its keys");
                }
                sectionsSeen.add(section);
                out.addAll(table(section));
            }
            out.add(lines.get(end));
            i = end;
        }
        for (String section : ConfigKey.sections()) {
            if (!sectionsSeen.contains(section)) {
                throw new IllegalStateException(DOCS + " has no table for section " + section + ": add a heading and the "
                        + "lines '" + tableStart(section) + "' and '" + END + "' under it, then regenerate");
            }
        }
        if (!rulesSeen) {
            throw new IllegalStateException(DOCS + " has no list of rules between keys: add the lines '" + RULES_START
                    + "' and '" + END + "', then regenerate");
        }
        return String.join("\n", out);
    }

    /** The reference table of one section. */
    static List<String> table(String section) {
        List<String> rows = new ArrayList<>();
        rows.add("| Key | Type | Default | Allowed | Description | Env var | Lock |");
        rows.add("|-----|------|---------|---------|-------------|---------|------|");
        for (ConfigKey key : ConfigKey.ofSection(section)) {
            rows.add("| `" + key.leaf() + "` | " + key.type().typeName() + " | `" + ConfigListing.shownDefault(key) + "` | "
                    + cell(key.allowed()) + " | " + cell(key.description()) + " | `" + key.environmentVariable() + "` | "
                    + (key.lockable() ? "lockable" : key.systemOnly() ? "system file only" : "") + " |");
        }
        return rows;
    }

    /** The rules between keys, one bullet each. */
    static List<String> rules() {
        List<String> bullets = new ArrayList<>();
        for (KeyRule rule : KeyRule.values()) {
            bullets.add("- " + rule.doc());
        }
        return bullets;
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
