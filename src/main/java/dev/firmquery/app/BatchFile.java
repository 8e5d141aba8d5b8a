package dev.firmquery.app;

import dev.firmquery.config.EditDistance;
import dev.firmquery.config.FileNamePattern;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.run.RunException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A batch file ({@code firmquery batch FILE.yaml}): several jobs, each a query with its parameter values
 * and optionally its own output file name and ID source, over one ID source for all by default
 * (docs/operations.md, "Several queries over one ID list"). The file is input someone else may have
 * written: it is read as YAML nodes only (no object is constructed from a tag), at most
 * {@value #MAX_BYTES} bytes, and every problem is reported at once with its {@code file:line}.
 *
 * <pre>
 * ids: firm_ids.csv          # relative paths are relative to the batch file's folder
 * out: results
 * format: csv,xlsx
 * jobs:
 *   - query: firm_names
 *   - query: recent.sql
 *     name: recent_{date}    # output file name (output.filename_pattern's placeholders)
 *     params:
 *       since: 2020-01-01
 *       countries: [DE, FR]
 *     ids: other_ids.csv     # this job's own ID source
 * </pre>
 *
 * @param file     the batch file, absolute
 * @param sha256   the SHA-256 of the bytes read (a resume refuses an edited file)
 * @param out      the output folder of every job, or null for {@code output.default_directory}
 * @param formats  {@code format:} as written, or null for {@code output.formats}
 * @param jobs     the jobs in the order they run
 */
public record BatchFile(Path file, String sha256, Path out, String formats, List<Job> jobs) {
    /** Larger than any list of jobs a person writes (a job is a few lines); a bigger file is not one. */
    static final int MAX_BYTES = 1 << 20;
    /** Also a bound on what one file can make a batch do. */
    static final int MAX_JOBS = 1_000;

    private static final Set<String> TOP = Set.of("ids", "id_column", "id_column_out", "sheet", "out", "format", "jobs");
    private static final Set<String> JOB = Set.of("query", "name", "params", "ids", "id_column", "id_column_out", "sheet");
    private static final FileNamePattern NAME = new FileNamePattern(200);

    /**
     * One job.
     *
     * @param line        the line of its {@code - query:} entry, for messages
     * @param query       a named query or a {@code .sql} file (relative to the batch file's folder when it has a path)
     * @param name        its output file name pattern, or null for {@code output.filename_pattern}
     * @param params      its parameter values as written, by name
     * @param ids         its ID file, absolute
     * @param idColumn    the ID column, or null to detect it
     * @param idColumnOut the name of the ID column in the results, or null
     * @param sheet       the sheet of an {@code .xlsx} ID file, or null
     */
    public record Job(int line, String query, String name, Map<String, String> params, Path ids, String idColumn,
                      String idColumnOut, String sheet) {
        public Job {
            Objects.requireNonNull(query, "query");
            Objects.requireNonNull(ids, "ids");
            params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }
    }

    public BatchFile {
        Objects.requireNonNull(file, "file");
        jobs = List.copyOf(jobs);
    }

    /**
     * Reads and checks {@code file}.
     *
     * @throws RunException ({@link ExitCode#USAGE}) the file cannot be read, is not a regular file, is too
     *                      large or not UTF-8 YAML, or has problems: all of them, each as {@code file:line: ...}
     */
    public static BatchFile read(Path file) throws RunException {
        Path abs = file.toAbsolutePath().normalize();
        byte[] bytes;
        try {
            if (!Files.isRegularFile(abs, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(abs)) {
                throw new RunException(abs + ": not a regular file; give the batch file (YAML) to run", ExitCode.USAGE);
            }
            if (Files.size(abs) > MAX_BYTES) {
                throw new RunException(abs + ": " + Files.size(abs) + " bytes is more than a batch file's "
                        + MAX_BYTES + "; split the jobs into several files", ExitCode.USAGE);
            }
            bytes = Files.readAllBytes(abs);
        } catch (IOException e) {
            throw new RunException("cannot read the batch file " + abs + ": " + e.getMessage()
                    + "; check that it exists and is readable", ExitCode.USAGE, e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new RunException(abs + ": not UTF-8 text; save the batch file as UTF-8", ExitCode.USAGE, e);
        }
        BatchFile parsed = parse(abs, text);
        return new BatchFile(abs, sha256(bytes), parsed.out(), parsed.formats(), parsed.jobs());
    }

    /**
     * The text of a batch file that runs {@code jobs} as they are: what {@code firmquery run --query A
     * --query B} records so that {@code firmquery batch --resume} can read its jobs back like those of any
     * batch file ({@code run.store.BatchRecord}). Every path is absolute, so the file means the same
     * wherever it lies; every value is a quoted YAML string, so no value (a {@code #}, a {@code :}, a line
     * break, {@code '); DROP TABLE firm; --}) changes what the file says.
     *
     * @param comment the first line, a comment saying where the file came from (one line)
     * @param out     the output folder of every job, absolute
     * @param formats the formats, or null for {@code output.formats}
     * @param jobs    the jobs, each reading its IDs from a file (not standard input, which cannot be read again)
     * @throws IllegalArgumentException a job reads standard input
     */
    public static String text(String comment, Path out, Set<dev.firmquery.config.AppConfig.Format> formats,
                              List<RunService.Job> jobs) {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("out", out.toAbsolutePath().normalize().toString());
        if (formats != null) {
            top.put("format", String.join(",", formats.stream().sorted()
                    .map(f -> f.name().toLowerCase(java.util.Locale.ROOT)).toList()));
        }
        List<Map<String, Object>> entries = new ArrayList<>();
        for (RunService.Job job : jobs) {
            dev.firmquery.run.RunSetup.Choices c = job.choices();
            if (c.ids() == null) {
                throw new IllegalArgumentException(job.label() + " reads standard input, which a batch file cannot name");
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            String q = c.query();
            // A template file's path as the process that ran it found it: relative to its working folder.
            entry.put("query", q.endsWith(".sql") || q.indexOf('/') >= 0 ? Path.of(q).toAbsolutePath().normalize().toString() : q);
            if (job.fileName() != null) {
                entry.put("name", job.fileName());
            }
            if (!c.params().isEmpty()) {
                entry.put("params", new LinkedHashMap<>(c.params()));
            }
            entry.put("ids", c.ids().toAbsolutePath().normalize().toString());
            putIfSet(entry, "id_column", c.idColumn());
            putIfSet(entry, "id_column_out", c.idColumnOut());
            putIfSet(entry, "sheet", c.sheet());
            entries.add(entry);
        }
        top.put("jobs", entries);
        org.yaml.snakeyaml.DumperOptions options = new org.yaml.snakeyaml.DumperOptions();
        options.setDefaultFlowStyle(org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK);
        options.setDefaultScalarStyle(org.yaml.snakeyaml.DumperOptions.ScalarStyle.DOUBLE_QUOTED);
        options.setWidth(Integer.MAX_VALUE); // a long path stays on its line
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        if (comment.indexOf('\n') >= 0 || comment.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a comment of one line: " + comment);
        }
        return "# " + comment + "\n" + new Yaml(options).dump(top);
    }

    private static void putIfSet(Map<String, Object> entry, String key, String value) {
        if (value != null) {
            entry.put(key, value);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Checks the text of the batch file {@code file} (absolute). */
    static BatchFile parse(Path file, String text) throws RunException {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10); // no alias bombs: a batch file has no reason for many
            options.setAllowRecursiveKeys(false);
            options.setCodePointLimit(MAX_BYTES);
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new RunException(file + (m == null ? "" : ":" + (m.getLine() + 1)) + ": invalid YAML: "
                    + (e.getProblem() != null ? e.getProblem().strip() : String.valueOf(e.getContext()).strip())
                    + "; fix the file there (indentation, a missing ': ' after a key, unbalanced quotes)", ExitCode.USAGE, e);
        } catch (YAMLException e) {
            throw new RunException(file + ": invalid YAML: " + e.getMessage(), ExitCode.USAGE, e);
        }
        Problems problems = new Problems(file);
        if (!(root instanceof MappingNode top)) {
            problems.add(root == null ? 1 : line(root), "expected a mapping with 'jobs:' (a list of '- query: NAME'"
                    + " entries) and optionally 'ids:', 'out:' and 'format:'");
            throw problems.exception();
        }
        Map<String, Node> shared = entries(top, TOP, problems);
        Path folder = file.getParent();
        String ids = scalar(shared.get("ids"), "ids", problems);
        String idColumn = scalar(shared.get("id_column"), "id_column", problems);
        String idColumnOut = scalar(shared.get("id_column_out"), "id_column_out", problems);
        String sheet = scalar(shared.get("sheet"), "sheet", problems);
        String out = scalar(shared.get("out"), "out", problems);
        String formats = scalar(shared.get("format"), "format", problems);
        List<Job> jobs = new ArrayList<>();
        Node list = shared.get("jobs");
        if (list == null) {
            problems.add(line(top), "no 'jobs:'; list the jobs as '- query: NAME' entries");
        } else if (!(list instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
            problems.add(line(list), "'jobs:' expects a list of '- query: NAME' entries");
        } else if (seq.getValue().size() > MAX_JOBS) {
            problems.add(line(list), seq.getValue().size() + " jobs are more than " + MAX_JOBS + "; split the file");
        } else {
            Set<String> names = new java.util.HashSet<>();
            for (Node entry : seq.getValue()) {
                Job job = job(entry, folder, ids, idColumn, idColumnOut, sheet, problems);
                if (job != null) {
                    String key = job.query() + " " + job.params() + " " + job.ids();
                    if (!names.add(key)) {
                        problems.add(job.line(), "the same query with the same values and IDs as an earlier job;"
                                + " remove one");
                    }
                    jobs.add(job);
                }
            }
        }
        if (problems.any()) {
            throw problems.exception();
        }
        return new BatchFile(file, "", out == null ? null : folder.resolve(out).normalize(), formats, jobs);
    }

    private static Job job(Node entry, Path folder, String ids, String idColumn, String idColumnOut, String sheet,
                           Problems problems) {
        if (!(entry instanceof MappingNode mapping)) {
            problems.add(line(entry), "a job is a mapping such as '- query: firm_names'");
            return null;
        }
        Map<String, Node> keys = entries(mapping, JOB, problems);
        String query = scalar(keys.get("query"), "query", problems);
        String name = scalar(keys.get("name"), "name", problems);
        String ownIds = scalar(keys.get("ids"), "ids", problems);
        if (query == null || query.isBlank()) {
            problems.add(line(mapping), "a job without 'query:'; name a query or a .sql file");
            return null;
        }
        if (name != null) {
            NAME.problem(name, "the folder is 'out:' of the batch file").ifPresent(p -> problems.add(line(keys.get("name")),
                    "name: " + name + ": " + p));
        }
        String source = ownIds != null ? ownIds : ids;
        if (source == null || source.isBlank()) {
            problems.add(line(mapping), "no ID source for this job; give 'ids:' at the top for every job or in the job");
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        Node p = keys.get("params");
        if (p != null) {
            if (!(p instanceof MappingNode values)) {
                problems.add(line(p), "'params:' expects a mapping of NAME: VALUE");
            } else {
                for (NodeTuple t : values.getValue()) {
                    if (!(t.getKeyNode() instanceof ScalarNode k)) {
                        problems.add(line(t.getKeyNode()), "a parameter name must be plain text");
                        continue;
                    }
                    String value = value(t.getValueNode(), k.getValue(), problems);
                    if (value != null && params.putIfAbsent(k.getValue(), value) != null) {
                        problems.add(line(k), "parameter " + k.getValue() + " is written twice; keep one (a list"
                                + " is one value: [A, B])");
                    }
                }
            }
        }
        String q = query.strip();
        if (q.endsWith(".sql") && !Path.of(q).isAbsolute()) {
            q = folder.resolve(q).normalize().toString();
        }
        return new Job(line(mapping), q, name, params, folder.resolve(source).normalize(),
                or(scalar(keys.get("id_column"), "id_column", problems), idColumn),
                or(scalar(keys.get("id_column_out"), "id_column_out", problems), idColumnOut),
                or(scalar(keys.get("sheet"), "sheet", problems), sheet));
    }

    /** A parameter's value: text, or a list of texts joined with commas as {@code --param} takes them. */
    private static String value(Node node, String name, Problems problems) {
        if (node instanceof ScalarNode s) {
            return s.getValue();
        }
        if (node instanceof SequenceNode seq) {
            List<String> items = new ArrayList<>();
            for (Node item : seq.getValue()) {
                if (!(item instanceof ScalarNode s)) {
                    problems.add(line(item), "parameter " + name + ": a list holds plain values only");
                    return null;
                }
                items.add(s.getValue());
            }
            return String.join(",", items);
        }
        problems.add(line(node), "parameter " + name + ": expected a value or a list of values");
        return null;
    }

    private static Map<String, Node> entries(MappingNode mapping, Set<String> allowed, Problems problems) {
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                problems.add(line(t.getKeyNode()), "a key must be plain text");
                continue;
            }
            if (!allowed.contains(k.getValue())) {
                String hint = closest(k.getValue(), allowed);
                problems.add(line(k), "unknown key '" + k.getValue() + "'" + (hint == null ? "" : "; did you mean '" + hint + "'?")
                        + " (keys here: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
                continue;
            }
            // compose() keeps both of a key written twice (only the object constructor would refuse it)
            if (entries.putIfAbsent(k.getValue(), t.getValueNode()) != null) {
                problems.add(line(k), "'" + k.getValue() + "' is written twice; keep one");
            }
        }
        return entries;
    }

    private static String scalar(Node node, String key, Problems problems) {
        if (node == null) {
            return null;
        }
        if (node instanceof ScalarNode s) {
            return s.getValue().isEmpty() ? null : s.getValue();
        }
        problems.add(line(node), "'" + key + ":' expects a single value");
        return null;
    }

    /** The allowed key nearest to a mistyped one, when it is close enough to be a typo. */
    private static String closest(String word, Set<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : new java.util.TreeSet<>(candidates)) {
            int d = EditDistance.levenshtein(word, c);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best != null && bestDistance <= Math.max(2, word.length() / 3) ? best : null;
    }

    private static String or(String own, String shared) {
        return own != null ? own : shared;
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    /** Every problem of the file, in line order, so one edit fixes them all. */
    private static final class Problems {
        private final Path file;
        private final List<int[]> lines = new ArrayList<>();
        private final List<String> texts = new ArrayList<>();

        Problems(Path file) {
            this.file = file;
        }

        void add(int line, String problem) {
            lines.add(new int[] {line});
            texts.add(file + ":" + line + ": " + problem);
        }

        boolean any() {
            return !texts.isEmpty();
        }

        RunException exception() {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                order.add(i);
            }
            order.sort(java.util.Comparator.comparingInt(i -> lines.get(i)[0]));
            StringBuilder sb = new StringBuilder("the batch file has ").append(texts.size())
                    .append(texts.size() == 1 ? " problem:" : " problems:");
            for (int i : order) {
                sb.append("\n  ").append(texts.get(i));
            }
            return new RunException(sb.toString(), ExitCode.USAGE);
        }
    }
}
