package dev.firmquery.run.store;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The durable record of a batch ({@code firmquery batch FILE.yaml}), so an interrupted batch can be
 * resumed without running its finished jobs again: {@code <out>/.firmquery/batch-<id>/} (0700, made
 * new, checked like a run folder by {@link FolderChecks}) holding {@code batch.properties} (the batch
 * file's path and SHA-256, written durably) and {@code jobs.log}, one fsynced line per event:
 * {@code started <job> <run-id> <first result file>} before a job's run starts and
 * {@code ended <job> <status>} after it ended. A run folder has a {@code run.properties}; this folder has
 * none, so the run listings pass it by.
 *
 * <p>Several queries given on the command line ({@code firmquery run --query A --query B}) have no batch
 * file: their jobs are written as one, {@value #COMMAND_FILE}, in the record's own folder
 * ({@link #createForCommand}), and resumed as any batch is.
 */
public final class BatchRecord implements AutoCloseable {
    /** The folder name's prefix under {@code .firmquery}. */
    public static final String PREFIX = "batch-";
    /** The batch file a record of a command line's jobs holds in its own folder. */
    public static final String COMMAND_FILE = "batch.yaml";

    /**
     * What the journal says of one job.
     *
     * @param runId  the run id of its last start, or null when it never started
     * @param result its first result file as planned at that start, or null
     * @param ended  how that run ended (a {@code run.RunStatus} name), or null when it did not get to record it (killed)
     */
    public record JobState(String runId, Path result, String ended) {
    }

    private final Path dir;
    private final Path batchFile;
    private final String sha256;
    private final Map<Integer, JobState> jobs;
    private FileChannel log;

    private BatchRecord(Path dir, Path batchFile, String sha256, Map<Integer, JobState> jobs) {
        this.dir = dir;
        this.batchFile = batchFile;
        this.sha256 = sha256;
        this.jobs = jobs;
    }

    /**
     * Creates the record of a new batch in {@code outputDirectory} (created when absent).
     *
     * @throws RunStoreException the output folder or its {@code .firmquery} is not trusted ({@link FolderChecks})
     */
    public static BatchRecord create(Path outputDirectory, String batchId, Path batchFile, String sha256)
            throws IOException, RunStoreException {
        Path out = outputDirectory.toAbsolutePath().normalize();
        Path dir = out.resolve(RunStore.DIR_NAME).resolve(PREFIX + batchId);
        StoreFiles.createPrivateFolder(out, dir);
        Properties p = new Properties();
        p.setProperty("batch.id", batchId);
        p.setProperty("batch.file", batchFile.toString());
        p.setProperty("batch.sha256", sha256);
        StoreFiles.writeDurably(dir.resolve("batch.properties"), o -> p.store(o, "firmquery batch"));
        return new BatchRecord(dir, batchFile, sha256, new HashMap<>());
    }

    /**
     * Creates the record of jobs given on the command line in {@code outputDirectory} (created when absent):
     * {@code text}, their batch file, is written durably as {@value #COMMAND_FILE} in the record's folder
     * (0600), and recorded with its SHA-256 as any batch file is.
     *
     * @throws RunStoreException the output folder or its {@code .firmquery} is not trusted ({@link FolderChecks})
     */
    public static BatchRecord createForCommand(Path outputDirectory, String batchId, String text)
            throws IOException, RunStoreException {
        Path out = outputDirectory.toAbsolutePath().normalize();
        Path dir = out.resolve(RunStore.DIR_NAME).resolve(PREFIX + batchId);
        StoreFiles.createPrivateFolder(out, dir);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve(COMMAND_FILE);
        StoreFiles.writeDurably(file, o -> o.write(bytes));
        String sha;
        try {
            sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        Properties p = new Properties();
        p.setProperty("batch.id", batchId);
        p.setProperty("batch.file", file.toString());
        p.setProperty("batch.sha256", sha);
        StoreFiles.writeDurably(dir.resolve("batch.properties"), o -> p.store(o, "firmquery run, several queries"));
        return new BatchRecord(dir, file, sha, new HashMap<>());
    }

    /**
     * Reads the record in {@code dir} for {@code firmquery batch --resume DIR}.
     *
     * @param statuses the names an {@code ended} line may carry (the engine's run statuses: this package
     *                 does not know the engine)
     * @throws RunStoreException it is not a batch folder under a {@code .firmquery} folder, or it or a file
     *                           in it is not the user's own and private, or a journal line is not one this
     *                           version writes ({@code file:line})
     */
    public static BatchRecord open(Path dir, java.util.Set<String> statuses) throws IOException, RunStoreException {
        Path d = dir.toAbsolutePath().normalize();
        Path parent = d.getParent();
        if (parent == null || !RunStore.DIR_NAME.equals(String.valueOf(parent.getFileName()))
                || !d.getFileName().toString().startsWith(PREFIX)) {
            throw new RunStoreException(d + " is not a batch folder; pass the folder the interrupted batch printed, "
                    + "<out>/" + RunStore.DIR_NAME + "/" + PREFIX + "<id>");
        }
        if (!StoreFiles.exists(d)) {
            throw new RunStoreException(d + " does not exist; pass the folder the interrupted batch printed, <out>/"
                    + RunStore.DIR_NAME + "/" + PREFIX + "<id>");
        }
        FolderChecks.outputFolder(parent.getParent());
        FolderChecks.privateFolder(parent, "resumed");
        FolderChecks.privateFolder(d, "resumed");
        Properties p = new Properties();
        try (Reader r = new StringReader(own(d.resolve("batch.properties")))) {
            p.load(r);
        }
        String file = p.getProperty("batch.file");
        String sha = p.getProperty("batch.sha256");
        if (file == null || sha == null) {
            throw new RunStoreException(d.resolve("batch.properties") + " has no batch.file or batch.sha256; the"
                    + " record is damaged: run the batch file again");
        }
        if (d.equals(Path.of(file).getParent())) {
            own(Path.of(file)); // a command line's jobs, read back as a batch file: ours, not a link
        }
        Map<Integer, JobState> jobs = new HashMap<>();
        Path journal = d.resolve("jobs.log");
        if (StoreFiles.exists(journal)) {
            String[] lines = own(journal).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                if (line.isEmpty() && i == lines.length - 1) {
                    break;
                }
                String[] f = line.split(" ", 4);
                try {
                    int job = Integer.parseInt(f[1]);
                    if (f[0].equals("started") && f.length == 4) {
                        jobs.put(job, new JobState(f[2], Path.of(f[3]), null));
                        continue;
                    }
                    if (f[0].equals("ended") && f.length == 3 && jobs.containsKey(job) && statuses.contains(f[2])) {
                        JobState s = jobs.get(job);
                        jobs.put(job, new JobState(s.runId(), s.result(), f[2]));
                        continue;
                    }
                } catch (RuntimeException e) {
                    // reported below with the line
                }
                if (i == lines.length - 1) {
                    break; // a last line cut short by a crash: the event did not happen
                }
                throw new RunStoreException(journal + ":" + (i + 1) + ": not a line firmquery writes (" + line
                        + "); the record is damaged: run the batch file again");
            }
        }
        return new BatchRecord(d, Path.of(file), sha, jobs);
    }

    /** The file's text, read after checking that it is a regular file of the user's own. */
    private static String own(Path file) throws IOException, RunStoreException {
        if (!StoreFiles.isRegularFileNoFollow(file) || !FolderChecks.ownedByMe(file)) {
            throw new RunStoreException(file + " is not a regular file of your own (another user may have planted"
                    + " it); nothing is resumed. Remove the batch folder and run the batch file (or the firmquery run command)"
                    + " again");
        }
        return new String(StoreFiles.readAllBytes(file), StandardCharsets.UTF_8);
    }

    /** The record's folder ({@code firmquery batch --resume} takes it). */
    public Path directory() {
        return dir;
    }

    /**
     * Whether the batch is one of several queries given on the command line, its batch file the record's
     * own {@value #COMMAND_FILE} ({@link #createForCommand}).
     */
    public boolean recordsCommand() {
        return dir.equals(batchFile.getParent());
    }

    /** The batch file the batch was started from. */
    public Path batchFile() {
        return batchFile;
    }

    /** The SHA-256 of the batch file when the batch started. */
    public String sha256() {
        return sha256;
    }

    /** What the journal says of job {@code index} (0-based). */
    public JobState job(int index) {
        return jobs.getOrDefault(index, new JobState(null, null, null));
    }

    /** Records, durably, that job {@code index} starts as run {@code runId} writing {@code result}. */
    public void started(int index, String runId, Path result) throws IOException {
        Objects.requireNonNull(runId, "runId");
        append("started " + index + " " + runId + " " + result);
        jobs.put(index, new JobState(runId, result, null));
    }

    /** Records, durably, how job {@code index} ended. */
    public void ended(int index, String status) throws IOException {
        if (!status.matches("[A-Z_]+")) {
            throw new IllegalArgumentException("not a status name: " + status);
        }
        append("ended " + index + " " + status);
        JobState s = job(index);
        jobs.put(index, new JobState(s.runId(), s.result(), status));
    }

    private void append(String line) throws IOException {
        if (line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a journal line holds no line break: " + line);
        }
        if (log == null) {
            log = StoreFiles.openForAppending(dir.resolve("jobs.log"));
        }
        ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            log.write(b);
        }
        log.force(true);
    }

    /** Whether every one of {@code count} jobs ended. */
    public boolean allEnded(int count) {
        return java.util.stream.IntStream.range(0, count).allMatch(i -> job(i).ended() != null);
    }

    /** Deletes the record of a batch whose jobs all ended (their run folders are each their own). */
    public void delete() throws IOException {
        close();
        StoreFiles.deleteTree(dir);
    }

    @Override
    public void close() throws IOException {
        if (log != null) {
            log.close();
            log = null;
        }
    }
}
