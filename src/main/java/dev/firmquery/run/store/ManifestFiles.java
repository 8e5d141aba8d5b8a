package dev.firmquery.run.store;

import dev.firmquery.export.CsvDialect;
import dev.firmquery.sql.BuiltInQueries;

import dev.firmquery.chunk.Chunk;
import dev.firmquery.chunk.ChunkPlan;
import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.export.Column;
import dev.firmquery.export.ColumnKind;
import dev.firmquery.ids.IdList;
import dev.firmquery.ids.IdLoadResult;
import dev.firmquery.ids.IdStats;
import dev.firmquery.ids.IdType;
import dev.firmquery.ids.InvalidValue;
import dev.firmquery.sql.IdBinding;
import dev.firmquery.sql.ParameterValues;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * The files that say what a run is, written once by its first session and read back, checked, by
 * every resume: {@code run.properties} (the manifest), {@code query.sql}, {@code ids.bin},
 * {@code plan.bin} and {@code config.txt}. Each is written whole or not at all, the manifest last,
 * so a folder with a manifest has all of them; the manifest's hashes vouch for the query and the IDs.
 */
final class ManifestFiles {
    private static final int FORMAT = 1;
    private static final int IDS_MAGIC = 0x46514944; // "FQID"
    private static final int PLAN_MAGIC = 0x4651504c; // "FQPL"

    private final Path dir;

    ManifestFiles(Path dir) {
        this.dir = dir;
    }

    /** Writes manifest, query, IDs, plan and config; each file fsynced, the manifest last. */
    void write(NewRun run, List<Column> columns) throws IOException {
        StoreFiles.writeDurably(dir.resolve("query.sql"), out -> out.write(run.template().text().getBytes(StandardCharsets.UTF_8)));
        String idsSha = writeIds(run.input().ids());
        writePlan(run.plan());
        StoreFiles.writeDurably(dir.resolve("config.txt"), out -> out.write(run.configText().getBytes(StandardCharsets.UTF_8)));

        Properties p = new Properties();
        p.setProperty("format", Integer.toString(FORMAT));
        p.setProperty("run_id", run.runId());
        p.setProperty("created", Instant.now().toString());
        p.setProperty("output.directory", run.outputDirectory().toString());
        p.setProperty("output.base_name", run.baseName());
        p.setProperty("output.formats", String.join(",", run.formats().stream().map(Enum::name).sorted().toList()));
        p.setProperty("output.csv_gzip", Boolean.toString(run.csvGzip()));
        p.setProperty("output.permissions", PosixFilePermissions.toString(run.permissions()));
        p.setProperty("output.csv_formula_guard", Boolean.toString(run.csvFormulaGuard()));
        p.setProperty("output.csv_delimiter", run.csvDialect().delimiterName());
        p.setProperty("output.csv_bom", Boolean.toString(run.csvDialect().bom()));
        p.setProperty("output.csv_line_ending", run.csvDialect().lineEnding().settingName());
        if (run.idColumnOut() != null) {
            p.setProperty("id_column_out", run.idColumnOut());
        }
        var t = run.template();
        p.setProperty("query.name", t.name());
        if (t.source() != null) {
            p.setProperty("query.source", BuiltInQueries.describe(t.source()));
        }
        p.setProperty("query.sha256", t.sha256());
        p.setProperty("query.text_sha256", sha256(t.text().getBytes(StandardCharsets.UTF_8)));
        p.setProperty("binding", run.binding().name());
        // Name, type and value of each parameter: a resume binds these values (and refuses others).
        List<ParameterValues.Value> values = run.parameters().values();
        p.setProperty("parameters", Integer.toString(values.size()));
        for (int i = 0; i < values.size(); i++) {
            ParameterValues.Value v = values.get(i);
            p.setProperty("parameter." + (i + 1) + ".name", v.parameter().name());
            p.setProperty("parameter." + (i + 1) + ".type", v.parameter().type().declaredName());
            p.setProperty("parameter." + (i + 1) + ".value", v.text());
        }
        IdLoadResult in = run.input();
        p.setProperty("input.source", in.source());
        p.setProperty("input.sha256", in.sha256());
        if (in.columnName() != null) {
            p.setProperty("input.column_name", in.columnName());
        }
        if (in.sheet() != null) {
            p.setProperty("input.sheet", in.sheet());
        }
        IdStats s = in.stats();
        p.setProperty("input.lines", Long.toString(s.lines()));
        p.setProperty("input.values", Long.toString(s.values()));
        p.setProperty("input.valid", Integer.toString(s.valid()));
        p.setProperty("input.duplicates", Long.toString(s.duplicates()));
        p.setProperty("input.invalid", Long.toString(s.invalid()));
        p.setProperty("input.blank", Long.toString(s.blank()));
        for (int i = 0; i < in.invalidExamples().size(); i++) {
            InvalidValue v = in.invalidExamples().get(i);
            p.setProperty("input.invalid." + i + ".line", Long.toString(v.line()));
            p.setProperty("input.invalid." + i + ".value", v.value());
            p.setProperty("input.invalid." + i + ".reason", v.reason());
        }
        p.setProperty("ids.type", in.ids().type().name());
        p.setProperty("ids.count", Integer.toString(in.ids().size()));
        p.setProperty("ids.sha256", idsSha);
        p.setProperty("plan.chunks", Integer.toString(run.plan().size()));
        p.setProperty("plan.max_statement_length", Integer.toString(run.plan().maxStatementLength()));
        // The spooled rows have this layout: a resume must describe the same (ResultColumns).
        p.setProperty("columns", Integer.toString(columns.size()));
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            p.setProperty("column." + (i + 1) + ".name", c.label());
            p.setProperty("column." + (i + 1) + ".type", c.typeName());
            p.setProperty("column." + (i + 1) + ".kind", c.kind().name());
        }
        StoreFiles.writeDurably(dir.resolve("run.properties"), out -> {
            try (Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                p.store(w, "firmquery run manifest; do not edit");
            }
        });
    }

    private String writeIds(IdList ids) throws IOException {
        MessageDigest md = sha256();
        StoreFiles.writeDurably(dir.resolve("ids.bin"), raw -> {
            DataOutputStream out = new DataOutputStream(new DigestOutputStream(raw, md));
            out.writeInt(IDS_MAGIC);
            out.writeByte(ids.type().ordinal());
            out.writeInt(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                if (ids.type() == IdType.INTEGER) {
                    out.writeLong(ids.longAt(i));
                } else {
                    byte[] b = ids.textAt(i).getBytes(StandardCharsets.UTF_8);
                    out.writeInt(b.length);
                    out.write(b);
                }
            }
            out.flush();
        });
        return HexFormat.of().formatHex(md.digest());
    }

    private void writePlan(ChunkPlan plan) throws IOException {
        StoreFiles.writeDurably(dir.resolve("plan.bin"), raw -> {
            DataOutputStream out = new DataOutputStream(raw);
            out.writeInt(PLAN_MAGIC);
            out.writeInt(plan.idCount());
            out.writeInt(plan.maxStatementLength());
            out.writeInt(plan.size());
            for (Chunk c : plan.chunks()) {
                out.writeInt(c.from());
                out.writeInt(c.to());
            }
            out.flush();
        });
    }

    /** The manifest of the run. */
    Manifest manifest() throws RunStoreException {
        Properties p = new Properties();
        try (Reader r = StoreFiles.newReader(dir.resolve("run.properties"))) {
            p.load(r);
        } catch (IOException e) {
            throw corrupt("run.properties", e);
        }
        for (String key : List.of("run_id", "created", "output.directory", "output.base_name", "output.formats",
                "output.csv_gzip", "output.permissions", "query.name", "query.sha256", "query.text_sha256", "binding",
                "input.source", "input.sha256", "input.lines", "input.values", "input.valid", "input.duplicates",
                "input.invalid", "input.blank", "ids.type", "ids.count", "ids.sha256", "plan.chunks")) {
            if (p.getProperty(key) == null) {
                throw corrupt("run.properties", new IOException("the key " + key + " is missing"));
            }
        }
        try {
            if (Integer.parseInt(p.getProperty("format", "0")) != FORMAT) {
                throw new RunStoreException(dir + " was written by another firmquery version (format "
                        + p.getProperty("format") + "); finish it with that version or start a new run");
            }
            Set<Format> formats = EnumSet.noneOf(Format.class);
            for (String f : p.getProperty("output.formats").split(",")) {
                if (!f.isBlank()) {
                    formats.add(Format.valueOf(f));
                }
            }
            List<InvalidValue> examples = new ArrayList<>();
            for (int i = 0; p.getProperty("input.invalid." + i + ".line") != null; i++) {
                examples.add(new InvalidValue(Long.parseLong(p.getProperty("input.invalid." + i + ".line")),
                        p.getProperty("input.invalid." + i + ".value"), p.getProperty("input.invalid." + i + ".reason")));
            }
            IdStats stats = new IdStats(Long.parseLong(p.getProperty("input.lines")),
                    Long.parseLong(p.getProperty("input.values")), Integer.parseInt(p.getProperty("input.valid")),
                    Long.parseLong(p.getProperty("input.duplicates")), Long.parseLong(p.getProperty("input.invalid")),
                    Long.parseLong(p.getProperty("input.blank")));
            String source = p.getProperty("query.source");
            List<Column> columns = null; // folders of versions that did not record them
            if (p.getProperty("columns") != null) {
                int n = Integer.parseInt(p.getProperty("columns"));
                columns = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    String name = p.getProperty("column." + i + ".name");
                    String type = p.getProperty("column." + i + ".type");
                    String kind = p.getProperty("column." + i + ".kind");
                    if (name == null || type == null || kind == null) {
                        throw new IllegalArgumentException("column " + i + " of " + n + " is incomplete");
                    }
                    columns.add(new Column(name, type, ColumnKind.valueOf(kind)));
                }
            }
            java.util.Map<String, String> parameters = new java.util.LinkedHashMap<>();
            int n = Integer.parseInt(p.getProperty("parameters", "0")); // absent before parameters existed
            for (int i = 1; i <= n; i++) {
                String name = p.getProperty("parameter." + i + ".name");
                String value = p.getProperty("parameter." + i + ".value");
                if (name == null || value == null) {
                    throw new IllegalArgumentException("parameter " + i + " of " + n + " is incomplete");
                }
                parameters.put(name, value);
            }
            return new Manifest(p.getProperty("run_id"), Instant.parse(p.getProperty("created")),
                    Path.of(p.getProperty("output.directory")), p.getProperty("output.base_name"), formats,
                    Boolean.parseBoolean(p.getProperty("output.csv_gzip")),
                    PosixFilePermissions.fromString(p.getProperty("output.permissions")),
                    p.getProperty("id_column_out"), p.getProperty("query.name"),
                    source == null ? null : Path.of(source), p.getProperty("query.sha256"),
                    p.getProperty("query.text_sha256"), IdBinding.valueOf(p.getProperty("binding")),
                    p.getProperty("input.source"), p.getProperty("input.sha256"), p.getProperty("input.column_name"),
                    p.getProperty("input.sheet"), // absent for other inputs and in folders of versions before it
                    stats, examples, IdType.valueOf(p.getProperty("ids.type")),
                    Integer.parseInt(p.getProperty("ids.count")), p.getProperty("ids.sha256"),
                    Integer.parseInt(p.getProperty("plan.chunks")),
                    // Absent in the folders of versions that had no guard.
                    Boolean.parseBoolean(p.getProperty("output.csv_formula_guard", "false")),
                    // Absent in the folders of versions that wrote RFC 4180 only.
                    CsvDialect.of(p.getProperty("output.csv_delimiter", ","),
                            Boolean.parseBoolean(p.getProperty("output.csv_bom", "false")),
                            p.getProperty("output.csv_line_ending", "crlf")), columns, parameters);
        } catch (RuntimeException e) {
            throw corrupt("run.properties", e);
        }
    }

    /** The query text as run, checked against the manifest's hash. */
    String queryText(Manifest m) throws RunStoreException {
        try {
            byte[] bytes = StoreFiles.readAllBytes(dir.resolve("query.sql"));
            if (!sha256(bytes).equals(m.queryTextSha256())) {
                throw new RunStoreException(dir.resolve("query.sql") + " does not match the hash recorded when the run "
                        + "started; the run directory was modified. Start a new run");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw corrupt("query.sql", e);
        }
    }

    /** The IDs as run, checked against the manifest's hash. */
    IdList ids(Manifest m) throws RunStoreException {
        MessageDigest md = sha256();
        try (InputStream raw = StoreFiles.newInputStream(dir.resolve("ids.bin"));
             DataInputStream in = new DataInputStream(new DigestInputStream(new BufferedInputStream(raw, 1 << 16), md))) {
            if (in.readInt() != IDS_MAGIC) {
                throw new IOException("bad header");
            }
            IdType type = IdType.values()[in.readByte()];
            int n = in.readInt();
            if (type != m.idType() || n != m.idCount()) {
                throw new IOException("type/count differ from run.properties");
            }
            IdList ids;
            if (type == IdType.INTEGER) {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = in.readLong();
                }
                ids = IdList.ofLongs(v);
            } else {
                String[] v = new String[n];
                for (int i = 0; i < n; i++) {
                    byte[] b = new byte[in.readInt()];
                    in.readFully(b);
                    v[i] = new String(b, StandardCharsets.UTF_8);
                }
                ids = IdList.ofTexts(v);
            }
            if (in.read() != -1 || !HexFormat.of().formatHex(md.digest()).equals(m.idsSha256())) {
                throw new IOException("content does not match the hash in run.properties");
            }
            return ids;
        } catch (IOException e) {
            throw corrupt("ids.bin", e);
        }
    }

    /** The chunk plan as run. */
    ChunkPlan plan(Manifest m) throws RunStoreException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(StoreFiles.newInputStream(dir.resolve("plan.bin"))))) {
            if (in.readInt() != PLAN_MAGIC) {
                throw new IOException("bad header");
            }
            int idCount = in.readInt();
            int maxLength = in.readInt();
            int n = in.readInt();
            if (n != m.chunks() || idCount != m.idCount()) {
                throw new IOException("chunk or id count differs from run.properties");
            }
            List<Chunk> chunks = new ArrayList<>(n);
            int expectedFrom = 0;
            for (int i = 0; i < n; i++) {
                int from = in.readInt();
                int to = in.readInt();
                if (from != expectedFrom || to <= from || to > idCount) {
                    throw new IOException("chunk " + (i + 1) + " does not continue the previous one");
                }
                chunks.add(new Chunk(i + 1, from, to));
                expectedFrom = to;
            }
            if (expectedFrom != idCount) {
                throw new IOException("the chunks do not cover every id");
            }
            return new ChunkPlan(chunks, idCount, maxLength);
        } catch (EOFException e) {
            throw corrupt("plan.bin", e);
        } catch (IOException e) {
            throw corrupt("plan.bin", e);
        }
    }

    private RunStoreException corrupt(String file, Exception e) {
        return new RunStoreException("cannot read " + dir.resolve(file) + " (" + e.getMessage() + "); the run directory "
                + "is damaged and this run cannot be resumed: start a new run", e);
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
