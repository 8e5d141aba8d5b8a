package dev.firmquery.run;

import dev.firmquery.chunk.Chunk;
import dev.firmquery.chunk.ChunkPlan;
import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.ids.IdList;
import dev.firmquery.ids.IdLoadResult;
import dev.firmquery.ids.IdStats;
import dev.firmquery.ids.IdType;
import dev.firmquery.ids.InvalidValue;
import dev.firmquery.sql.IdBinding;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
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
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * A run's working directory, {@code <out>/.firmquery/<run-id>/} (issue #5, "Run journal and
 * resume"). It holds everything needed to finish the run later, with nothing but the directory:
 * <ul>
 *   <li>{@code run.properties}: the manifest (file names, formats, query and input identity and
 *       hashes, ID statistics, binding) — written once, before any chunk runs;</li>
 *   <li>{@code query.sql}: the template text as run;</li>
 *   <li>{@code ids.bin}: the cleaned IDs; {@code plan.bin}: the chunk boundaries;</li>
 *   <li>{@code config.txt}: the effective configuration, for the record;</li>
 *   <li>{@code journal.log}: one line per finished chunk, fsynced ({@link Journal});</li>
 *   <li>{@code spool/}: the finished chunks' rows, appended to one segment per worker and session
 *       and format: {@code s<session>-w<worker>.csv} holds CSV records
 *       ({@link dev.firmquery.export.CsvPartWriter}), {@code .typed} typed rows for the XLSX
 *       ({@link dev.firmquery.export.ChunkSpool}); the journal names each chunk's byte ranges.</li>
 * </ul>
 * Private to the user (0700) because it holds firm data.
 */
public final class RunDirectory {
    /** The folder under the output directory that holds the run directories. */
    public static final String DIR_NAME = ".firmquery";
    private static final int FORMAT = 1;
    private static final int IDS_MAGIC = 0x46514944; // "FQID"
    private static final int PLAN_MAGIC = 0x4651504c; // "FQPL"

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /** The directory of run {@code runId} under {@code outputDirectory}. */
    public static Path pathOf(Path outputDirectory, String runId) {
        return outputDirectory.resolve(DIR_NAME).resolve(runId);
    }

    /** Creates the directory of a new run (0700). */
    static RunDirectory create(Path outputDirectory, String runId) throws RunException {
        Path dir = pathOf(outputDirectory, runId);
        try {
            Files.createDirectories(outputDirectory);
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectory(dir);
            }
            Files.createDirectory(dir.resolve("spool"));
            return new RunDirectory(dir);
        } catch (IOException e) {
            throw new RunException("cannot create the working directory " + dir + ": " + e
                    + "; make the output directory writable or choose another --out", 2, e);
        }
    }

    /** Opens the directory of an earlier run, checking that it is one. */
    public static RunDirectory open(Path dir) throws RunException {
        Path d = dir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(d.resolve("run.properties"))) {
            throw new RunException(d + " is not a firmquery run directory (no run.properties); pass the directory "
                    + "that the interrupted run printed, <out>/" + DIR_NAME + "/<run-id>", 2);
        }
        return new RunDirectory(d);
    }

    /** Unfinished runs under {@code outputDirectory}, newest first (for the UI's resume list). */
    public static List<Path> list(Path outputDirectory) throws IOException {
        Path root = outputDirectory.resolve(DIR_NAME);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> runs = new ArrayList<>();
        try (var s = Files.list(root)) {
            s.filter(p -> Files.isRegularFile(p.resolve("run.properties"))).forEach(runs::add);
        }
        runs.sort((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()));
        return runs;
    }

    public Path path() {
        return dir;
    }

    /** The spool segment file {@code name} ({@link Journal.SpoolRange#segment()}). */
    public Path segment(String name) {
        return dir.resolve("spool").resolve(name);
    }

    /**
     * A prefix for this session's segment names, {@code s<n>-}, with {@code n} one more than any
     * earlier session of the run used: a resumed run appends to new segments and never touches the
     * bytes earlier sessions' journal lines point at.
     */
    String newSessionPrefix() throws IOException {
        int last = 0;
        try (var names = Files.list(dir.resolve("spool"))) {
            for (Path p : (Iterable<Path>) names::iterator) {
                String n = p.getFileName().toString();
                int dash = n.indexOf('-');
                if (n.startsWith("s") && dash > 1) {
                    try {
                        last = Math.max(last, Integer.parseInt(n.substring(1, dash)));
                    } catch (NumberFormatException e) {
                        // not one of ours
                    }
                }
            }
        }
        return "s" + (last + 1) + "-";
    }

    /**
     * Locks the run for this process, so two processes never run (or resume) it at once. The lock
     * is the operating system's: it goes away with the process, even after SIGKILL.
     */
    FileChannel lock() throws RunException {
        try {
            FileChannel ch = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (ch.tryLock() == null) {
                ch.close();
                throw new RunException("run " + dir.getFileName() + " is being run by another firmquery process right now ("
                        + dir + "); wait for it to end, or stop it, before resuming", 2);
            }
            return ch;
        } catch (IOException e) {
            throw new RunException("cannot lock the run directory " + dir + ": " + e, 2, e);
        }
    }

    Path journalFile() {
        return dir.resolve("journal.log");
    }

    // ---------------------------------------------------------------------------------------------
    // Writing the run's identity, once

    /** Writes manifest, query, IDs, plan and config; each file fsynced, the manifest last. */
    void writeRun(RunRequest request, String configText) throws IOException {
        write(dir.resolve("query.sql"), out -> out.write(request.template().text().getBytes(StandardCharsets.UTF_8)));
        String idsSha = writeIds(request.input().ids());
        writePlan(request.plan());
        write(dir.resolve("config.txt"), out -> out.write(configText.getBytes(StandardCharsets.UTF_8)));

        Properties p = new Properties();
        p.setProperty("format", Integer.toString(FORMAT));
        p.setProperty("run_id", request.runId());
        p.setProperty("created", Instant.now().toString());
        OutputSpec o = request.output();
        p.setProperty("output.directory", o.directory().toString());
        p.setProperty("output.base_name", o.baseName());
        p.setProperty("output.formats", String.join(",", o.formats().stream().map(Enum::name).sorted().toList()));
        p.setProperty("output.csv_gzip", Boolean.toString(o.csvGzip()));
        p.setProperty("output.permissions", PosixFilePermissions.toString(o.permissions()));
        p.setProperty("output.csv_formula_guard", Boolean.toString(o.csvFormulaGuard()));
        if (request.idColumnOut() != null) {
            p.setProperty("id_column_out", request.idColumnOut());
        }
        var t = request.template();
        p.setProperty("query.name", t.name());
        if (t.source() != null) {
            p.setProperty("query.source", t.source().toString());
        }
        p.setProperty("query.sha256", t.sha256());
        p.setProperty("query.text_sha256", sha256(t.text().getBytes(StandardCharsets.UTF_8)));
        p.setProperty("binding", request.renderer().binding().name());
        IdLoadResult in = request.input();
        p.setProperty("input.source", in.source());
        p.setProperty("input.sha256", in.sha256());
        if (in.columnName() != null) {
            p.setProperty("input.column_name", in.columnName());
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
        p.setProperty("plan.chunks", Integer.toString(request.plan().size()));
        p.setProperty("plan.max_statement_length", Integer.toString(request.plan().maxStatementLength()));
        write(dir.resolve("run.properties"), out -> {
            try (Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                p.store(w, "firmquery run manifest; do not edit");
            }
        });
    }

    private String writeIds(IdList ids) throws IOException {
        MessageDigest md = sha256();
        write(dir.resolve("ids.bin"), raw -> {
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
        write(dir.resolve("plan.bin"), raw -> {
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

    // ---------------------------------------------------------------------------------------------
    // Reading it back

    /** The manifest of the run. */
    public Manifest manifest() throws RunException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve("run.properties"), StandardCharsets.UTF_8)) {
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
                throw new RunException(dir + " was written by another firmquery version (format "
                        + p.getProperty("format") + "); finish it with that version or start a new run", 2);
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
            return new Manifest(p.getProperty("run_id"), Instant.parse(p.getProperty("created")),
                    Path.of(p.getProperty("output.directory")), p.getProperty("output.base_name"), formats,
                    Boolean.parseBoolean(p.getProperty("output.csv_gzip")),
                    PosixFilePermissions.fromString(p.getProperty("output.permissions")),
                    p.getProperty("id_column_out"), p.getProperty("query.name"),
                    source == null ? null : Path.of(source), p.getProperty("query.sha256"),
                    p.getProperty("query.text_sha256"), IdBinding.valueOf(p.getProperty("binding")),
                    p.getProperty("input.source"), p.getProperty("input.sha256"), p.getProperty("input.column_name"),
                    stats, examples, IdType.valueOf(p.getProperty("ids.type")),
                    Integer.parseInt(p.getProperty("ids.count")), p.getProperty("ids.sha256"),
                    Integer.parseInt(p.getProperty("plan.chunks")),
                    // Absent in run directories of earlier versions, which had no guard.
                    Boolean.parseBoolean(p.getProperty("output.csv_formula_guard", "false")));
        } catch (RuntimeException e) {
            throw corrupt("run.properties", e);
        }
    }

    /** The query text as run, checked against the manifest's hash. */
    String queryText(Manifest m) throws RunException {
        try {
            byte[] bytes = Files.readAllBytes(dir.resolve("query.sql"));
            if (!sha256(bytes).equals(m.queryTextSha256())) {
                throw new RunException(dir.resolve("query.sql") + " does not match the hash recorded when the run "
                        + "started; the run directory was modified. Start a new run", 2);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw corrupt("query.sql", e);
        }
    }

    /** The IDs as run, checked against the manifest's hash. */
    IdList ids(Manifest m) throws RunException {
        MessageDigest md = sha256();
        try (InputStream raw = Files.newInputStream(dir.resolve("ids.bin"));
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
    ChunkPlan plan(Manifest m) throws RunException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve("plan.bin"))))) {
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

    private RunException corrupt(String file, Exception e) {
        return new RunException("cannot read " + dir.resolve(file) + " (" + e.getMessage() + "); the run directory "
                + "is damaged and this run cannot be resumed: start a new run", 2, e);
    }

    /**
     * What {@code run.properties} records about a run.
     *
     * @param queryTextSha256 hash of {@code query.sql} (the text as run), to detect tampering
     * @param idsSha256       hash of {@code ids.bin}
     * @param csvFormulaGuard whether the run's CSV is written with the formula guard
     */
    public record Manifest(String runId, Instant created, Path outputDirectory, String baseName, Set<Format> formats,
                           boolean csvGzip, Set<java.nio.file.attribute.PosixFilePermission> permissions,
                           String idColumnOut, String queryName, Path querySource, String querySha256,
                           String queryTextSha256, IdBinding binding, String inputSource, String inputSha256,
                           String inputColumnName, IdStats stats, List<InvalidValue> invalidExamples, IdType idType,
                           int idCount, String idsSha256, int chunks, boolean csvFormulaGuard) {
    }

    // ---------------------------------------------------------------------------------------------

    /** Deletes this run's directory at the end of a completed run (this process holds its lock). */
    void remove() throws IOException {
        deleteTree(dir);
    }

    /**
     * Whether another process is running the run in {@code dir} right now: it holds the operating-system
     * lock on the directory's {@code lock} file ({@link #lock()}).
     *
     * <p>Never call this for a run this process is running: closing a channel drops every lock this
     * process holds on that file, so probing it would release the engine's lock.
     */
    public static boolean lockedElsewhere(Path dir) {
        try (FileChannel ch = FileChannel.open(dir.resolve("lock"), StandardOpenOption.WRITE)) {
            java.nio.channels.FileLock lock = ch.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return true;
        } catch (NoSuchFileException e) {
            return false; // never run, or created before the lock: nobody holds it
        } catch (IOException e) {
            return false; // cannot tell; resuming would still be refused by the run's own lock
        }
    }

    /**
     * Deletes the run directory {@code dir} of an unfinished run the user gives up (the UI's Delete),
     * and the {@code .firmquery} folder if that leaves it empty. Only that directory: the files the run
     * already published stay. Symbolic links are removed, never followed. Works on damaged directories.
     *
     * @throws IOException when it is not a run directory under a {@code .firmquery} folder, is being run
     *                     by another process, or cannot be deleted (what is left is then named)
     */
    public static void delete(Path dir) throws IOException {
        Path d = dir.toAbsolutePath().normalize();
        Path parent = d.getParent();
        if (parent == null || parent.getFileName() == null || !DIR_NAME.equals(parent.getFileName().toString())) {
            throw new IOException(d + " is not a run directory (<out>/" + DIR_NAME + "/<run-id>); nothing deleted");
        }
        if (!Files.exists(d, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isSymbolicLink(d) && lockedElsewhere(d)) {
            throw new IOException("run " + d.getFileName() + " is being run by another firmquery process right now ("
                    + d + "); stop that process first; nothing deleted");
        }
        deleteTree(d);
    }

    /** Deletes {@code d} (links removed, not followed), then {@code .firmquery} if nothing else is in it. */
    private static void deleteTree(Path d) throws IOException {
        if (!Files.exists(d, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(d, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path sub, IOException exc) throws IOException {
                    if (exc != null) {
                        throw exc;
                    }
                    Files.delete(sub);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new IOException("cannot delete " + d + " completely (" + e + "); check the permissions there "
                    + "and remove what is left by hand", e);
        }
        try (var rest = Files.list(d.getParent())) {
            if (rest.findAny().isEmpty()) {
                Files.delete(d.getParent());
            }
        } catch (IOException e) {
            // Another run appeared or the folder went meanwhile: an empty .firmquery is harmless.
        }
    }

    @FunctionalInterface
    private interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes a file completely and fsyncs it, so that a crash leaves it whole or absent. */
    private static void write(Path file, Content content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            content.writeTo(out);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
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
