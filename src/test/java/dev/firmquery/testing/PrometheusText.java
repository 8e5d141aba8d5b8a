package dev.firmquery.testing;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4 (prometheus.io/docs/instrumenting/
 * exposition_formats, "Text format details"), for tests: every line must be a HELP, a TYPE or a sample
 * of the grammar; a family's TYPE comes before its samples, once, and its samples are together;
 * a histogram's buckets rise to a {@code +Inf} bucket equal to its {@code _count}. Anything else
 * throws, naming the line.
 */
public final class PrometheusText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
    private static final Pattern VALUE = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?|[+-]Inf|NaN");

    private final Map<String, Double> samples;
    private final Map<String, String> types;

    private PrometheusText(Map<String, Double> samples, Map<String, String> types) {
        this.samples = samples;
        this.types = types;
    }

    /** Reads {@code text}, or throws {@link IllegalArgumentException} at the first line that breaks the format. */
    public static PrometheusText parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        Map<String, String> types = new HashMap<>();
        Set<String> closed = new HashSet<>();
        String current = null;
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                if (n == text.split("\n", -1).length) {
                    continue; // the newline that ends the last line
                }
                throw bad(n, line, "empty line");
            }
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                continue;
            }
            if ((m = TYPE.matcher(line)).matches()) {
                if (types.put(m.group(1), m.group(2)) != null) {
                    throw bad(n, line, "a second TYPE for " + m.group(1));
                }
                if (current != null) {
                    closed.add(current);
                }
                current = m.group(1);
                continue;
            }
            if (line.startsWith("#")) {
                throw bad(n, line, "a comment that is neither HELP nor TYPE");
            }
            if (!(m = SAMPLE.matcher(line)).matches()) {
                throw bad(n, line, "not a sample");
            }
            String name = m.group(1);
            String family = familyOf(name, types);
            if (family == null) {
                throw bad(n, line, "a sample before its family's TYPE");
            }
            if (!family.equals(current) || closed.contains(family)) {
                throw bad(n, line, "a sample of " + family + " away from its family");
            }
            Map<String, String> labels = new TreeMap<>();
            if (m.group(3) != null && !m.group(3).isEmpty()) {
                Matcher l = LABEL.matcher(m.group(3));
                int at = 0;
                while (at < m.group(3).length()) {
                    if (!l.find(at) || l.start() != at) {
                        throw bad(n, line, "bad labels");
                    }
                    if (labels.put(l.group(1), l.group(2)) != null) {
                        throw bad(n, line, "label " + l.group(1) + " twice");
                    }
                    at = l.end();
                }
            }
            if (!VALUE.matcher(m.group(4)).matches()) {
                throw bad(n, line, "bad value " + m.group(4));
            }
            double value = m.group(4).endsWith("Inf") ? (m.group(4).startsWith("-") ? Double.NEGATIVE_INFINITY
                    : Double.POSITIVE_INFINITY) : Double.parseDouble(m.group(4));
            String key = name + labels;
            if (samples.put(key, value) != null) {
                throw bad(n, line, "the same sample twice");
            }
        }
        PrometheusText parsed = new PrometheusText(samples, types);
        parsed.checkHistograms();
        return parsed;
    }

    private static String familyOf(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : new String[] {"_bucket", "_count", "_sum", "_created", "_total"}) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                if (types.containsKey(base)) {
                    return base;
                }
            }
        }
        return null;
    }

    private void checkHistograms() {
        types.forEach((family, type) -> {
            if (!type.equals("histogram")) {
                return;
            }
            samples.forEach((key, count) -> {
                if (!key.startsWith(family + "_count{")) {
                    return;
                }
                String labels = key.substring((family + "_count").length());
                double last = 0;
                boolean inf = false;
                for (Map.Entry<String, Double> e : samples.entrySet()) {
                    String k = e.getKey();
                    if (k.startsWith(family + "_bucket{") && sameLabelsBesidesLe(k.substring((family + "_bucket").length()), labels)) {
                        if (e.getValue() < last) {
                            throw new IllegalArgumentException(family + ": buckets fall at " + k);
                        }
                        last = e.getValue();
                        inf |= k.contains("le=+Inf");
                    }
                }
                if (!inf || last != count) {
                    throw new IllegalArgumentException(family + ": the +Inf bucket (" + last + ") is not the count " + count);
                }
            });
        });
    }

    private static boolean sameLabelsBesidesLe(String bucketLabels, String labels) {
        return bucketLabels.replaceAll("(, )?le=[^,}]*", "").replace("{, ", "{").equals(labels);
    }

    /** The value of the sample {@code name} with exactly {@code labels} ({@code "k", "v", ...}), or null. */
    public Double value(String name, String... labels) {
        Map<String, String> l = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            l.put(labels[i], labels[i + 1]);
        }
        return samples.get(name + l);
    }

    /** The sum of every sample named {@code name}, whatever its labels. */
    public double sum(String name) {
        double sum = 0;
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            if (e.getKey().startsWith(name + "{")) {
                sum += e.getValue();
            }
        }
        return sum;
    }

    /** The family's TYPE, or null. */
    public String type(String family) {
        return types.get(family);
    }

    private static IllegalArgumentException bad(int n, String line, String why) {
        return new IllegalArgumentException("line " + n + ": " + why + ": " + line);
    }
}
