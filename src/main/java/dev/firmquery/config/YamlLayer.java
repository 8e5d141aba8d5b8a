package dev.firmquery.config;

import org.apache.commons.configuration2.YAMLConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.reader.UnicodeReader;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.IntFunction;

/**
 * Reads one YAML configuration file (or classpath resource) into flat {@code section.key} values with
 * Commons Configuration's {@link YAMLConfiguration}, and finds the line of each key so messages can
 * point at it.
 */
final class YamlLayer {

    /** Opens the YAML text; called once for the values and once for the line numbers. */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    /**
     * The values of one file.
     *
     * @param values    the values in document order
     * @param keysSeen  every key written in the file, including those with an empty (null) value, which
     *                  Commons Configuration drops
     */
    record Contents(List<RawValue> values, java.util.Set<String> keysSeen) {
    }

    private YamlLayer() {
    }

    /**
     * Reads {@code location}.
     *
     * @param location a path or {@code classpath:...}, for messages
     * @param source   the layer name for {@link Setting#source()}
     * @param originAt the layer name with a line number (0 = unknown) for messages
     * @throws ConfigException with one problem naming the file, line and column when it cannot be read
     *                         or parsed
     */
    static Contents read(String location, Opener opener, String source, IntFunction<String> originAt)
            throws ConfigException {
        YAMLConfiguration yaml = new YAMLConfiguration();
        try (InputStream in = opener.open()) {
            yaml.read(in, loaderOptions());
        } catch (IOException e) {
            throw single("cannot read " + location + ": " + e.getMessage() + "; check that the file exists and is readable");
        } catch (ConfigurationException | RuntimeException e) {
            throw single(describeParseFailure(location, e));
        }
        Map<String, Integer> lines = lines(opener);
        List<RawValue> values = new ArrayList<>();
        for (Iterator<String> it = yaml.getKeys(); it.hasNext(); ) {
            String key = it.next();
            // getProperty, not getString: no ${...} interpolation, so a regex such as id_pattern stays intact.
            Object value = yaml.getProperty(key);
            int line = lines.getOrDefault(key, 0);
            if (value instanceof Collection<?> collection) {
                StringJoiner joined = new StringJoiner(",");
                for (Object element : collection) {
                    joined.add(String.valueOf(element));
                }
                values.add(new RawValue(key, joined.toString(), true, source, originAt.apply(line)));
            } else if (value != null) {
                values.add(new RawValue(key, String.valueOf(value), false, source, originAt.apply(line)));
            }
        }
        return new Contents(values, lines.keySet());
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        // A key written twice is a mistake; snakeyaml would otherwise keep the last one and log to stderr.
        options.setAllowDuplicateKeys(false);
        return options;
    }

    private static String describeParseFailure(String location, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException marked) {
                return describeMarked(location, marked);
            }
            if (t instanceof ClassCastException) {
                return location + ": the top level of the file must be a mapping of sections such as "
                        + "'database:' and 'processing:', not a list or a single value";
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return "cannot parse " + location + " as YAML: " + root.getMessage();
    }

    private static String describeMarked(String location, MarkedYAMLException e) {
        Mark problemMark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        StringBuilder sb = new StringBuilder(location);
        if (problemMark != null) {
            sb.append(':').append(problemMark.getLine() + 1).append(':').append(problemMark.getColumn() + 1)
                    .append(": invalid YAML at line ").append(problemMark.getLine() + 1)
                    .append(", column ").append(problemMark.getColumn() + 1).append(": ");
        } else {
            sb.append(": invalid YAML: ");
        }
        String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
        sb.append(problem == null ? e.getClass().getSimpleName() : problem.strip());
        Mark contextMark = e.getContextMark();
        if (e.getContext() != null && e.getProblem() != null) {
            sb.append(" (").append(e.getContext().strip());
            if (contextMark != null && contextMark != problemMark) {
                sb.append(" at line ").append(contextMark.getLine() + 1)
                        .append(", column ").append(contextMark.getColumn() + 1);
            }
            sb.append(')');
        }
        sb.append("; fix the file there (indentation, a missing ': ' after a key, unbalanced brackets or quotes)");
        return sb.toString();
    }

    /** Line of every key; empty when the second parse fails, which only costs the line numbers. */
    private static Map<String, Integer> lines(Opener opener) {
        Map<String, Integer> lines = new HashMap<>();
        try (InputStream in = opener.open()) {
            Node root = new Yaml(loaderOptions()).compose(new UnicodeReader(in));
            if (root instanceof MappingNode mapping) {
                collectLines(mapping, "", lines);
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return lines;
    }

    private static void collectLines(MappingNode mapping, String prefix, Map<String, Integer> lines) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                continue;
            }
            // Commons Configuration escapes a dot inside a key by doubling it; match its key names.
            String key = prefix + keyNode.getValue().replace(".", "..");
            lines.put(key, keyNode.getStartMark().getLine() + 1);
            if (tuple.getValueNode() instanceof MappingNode nested) {
                collectLines(nested, key + ".", lines);
            }
        }
    }

    private static ConfigException single(String problem) {
        return new ConfigException(List.of(problem));
    }
}
