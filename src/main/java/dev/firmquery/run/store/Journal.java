package dev.firmquery.run.store;

import dev.firmquery.threads.NamedThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * The run journal: an append-only text file, one line per event. A chunk is journalled as done only
 * after its spool ranges are on disk, so after a crash (SIGKILL, power loss) every "done" line names
 * spool bytes that can be trusted.
 *
 * <p>Chunk events are written by a journal thread in groups (group commit): it forces every spool
 * segment the group touched once, then appends the group's lines and forces the journal once. The
 * workers hand over an event and go on with the next chunk; before the first run journal, each chunk
 * cost its worker two fsyncs in line, which the benchmark measured at seconds of a 20-second run
 * (docs/performance.md). {@link #flush()} waits until everything handed over is durable; the run's
 * files are published only after it.
 *
 * <p>Lines are {@code <crc32> <event> <fields...>}; a torn last line (no newline, or a CRC that does
 * not match) is ignored on reading: that event simply did not happen. A session that opens the journal
 * cuts a torn last record off first ({@link #open}), so that its own first line is not glued to it.
 *
 * <p>Publishing a final file is two events: {@code publishing <kind> <identity> <path>} before the
 * file appears under its name, {@code published <kind> <path>} once every file is in place; then
 * {@code finished <end>}.
 */
final class Journal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);

    private final Path file;
    private final FileChannel channel;
    private final Consumer<IOException> onFailure;
    private final Thread syncer;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition durable = lock.newCondition();
    /** Lines handed over and not yet written, with the segments that must be forced before them. */
    private List<String> pendingLines = new ArrayList<>();
    private Set<FileChannel> pendingSegments = new LinkedHashSet<>();
    /** How long a group may gather before it is synced, unless {@link #flush()} waits for it. */
    private static final long GROUP_WINDOW_NANOS = 50_000_000L;

    private int flushWaiters;
    private long handedOver;
    private long synced;
    private IOException failure;
    private boolean closing;

    private Journal(Path file, FileChannel channel, Consumer<IOException> onFailure) {
        this.file = file;
        this.channel = channel;
        this.onFailure = onFailure;
        this.syncer = NamedThreads.single("firmquery-journal").newThread(this::syncLoop);
    }

    /**
     * Opens (appends to) the journal, cutting a torn last record off first (logged with what was
     * dropped), and starts its journal thread.
     *
     * @param onFailure told, once, when the journal thread cannot write or force (a full disk): the run
     *                  must stop, since nothing more can be recorded
     */
    static Journal open(Path file, Consumer<IOException> onFailure) throws IOException {
        FileChannel channel = StoreFiles.openForAppending(file);
        try {
            repairTail(file, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        Journal journal = new Journal(file, channel, onFailure);
        journal.syncer.start();
        return journal;
    }

    /** How far back {@link #repairTail} looks for the last newline: a record is about 100 bytes. */
    private static final int TAIL_WINDOW = 1 << 16;

    /**
     * Cuts a torn last record (a process killed while writing it: no newline, perhaps half a UTF-8
     * character) off the journal before this session appends, and says what was dropped. Left there, it
     * would glue itself to this session's first line, whose checksum would then fail and the event
     * be lost, and a cut character used to make the whole journal unreadable.
     */
    private static void repairTail(Path file, FileChannel append) throws IOException {
        long size = append.size();
        if (size == 0) {
            return;
        }
        long keep;
        byte[] dropped;
        try (FileChannel in = StoreFiles.openForReading(file)) {
            long from = Math.max(0, size - TAIL_WINDOW);
            ByteBuffer tail = ByteBuffer.allocate((int) (size - from));
            while (tail.hasRemaining() && in.read(tail, from + tail.position()) >= 0) {
                // read until the window is full
            }
            byte[] b = tail.array();
            int last = -1;
            for (int i = tail.position() - 1; i >= 0; i--) {
                if (b[i] == '\n') {
                    last = i;
                    break;
                }
            }
            if (last == tail.position() - 1) {
                return; // ends with a complete record
            }
            if (last < 0 && from > 0) {
                // No newline in the last 64 KiB: not a torn record but damage; leave it to the reader.
                log.warn("{}: no complete record in its last {} bytes; left as it is", file, TAIL_WINDOW);
                return;
            }
            keep = from + last + 1;
            dropped = java.util.Arrays.copyOfRange(b, last + 1, tail.position());
        }
        append.truncate(keep);
        append.force(true);
        log.warn("{}: dropped a torn last record of {} bytes ('{}'), left by a process that stopped while writing it;"
                + " the journal now ends at its last complete record (byte {})", file, dropped.length,
                preview(dropped), keep);
    }

    /** The bytes as text for a log line: undecodable bytes as U+FFFD, control characters as '?'. */
    private static String preview(byte[] bytes) {
        String text = decodeLeniently(bytes, 0, Math.min(bytes.length, 120));
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return bytes.length > 120 ? b + "..." : b.toString();
    }

    private static String decodeLeniently(byte[] bytes, int from, int length) {
        return new String(bytes, from, length, StandardCharsets.UTF_8);
    }

    /**
     * Chunk {@code d.chunk()} succeeded; its spool ranges are complete in {@code segments}. Returns at
     * once: the journal thread forces the segments, then records the line.
     *
     * @throws IOException if the journal thread has already failed
     */
    void done(SpooledChunk d, Collection<FileChannel> segments) throws IOException {
        handOver(d.line(), segments);
    }

    /** Chunk {@code chunk} failed for good with {@code error}; recorded like {@link #done}. */
    void failed(int chunk, int attempts, String error) throws IOException {
        handOver("failed " + chunk + " " + attempts + " " + oneLine(error), List.of());
    }

    /**
     * A final file is about to be published under {@code path}; {@code identity} is its file's
     * ({@link StoreFiles#identity}). Durable on return, before the file appears.
     */
    void publishing(String kind, String identity, Path path) throws IOException {
        handOver("publishing " + kind + " " + identity + " " + path, List.of());
        flush();
    }

    /** A final file was published under {@code path}. Durable on return. */
    void published(String kind, Path path) throws IOException {
        handOver("published " + kind + " " + path, List.of());
        flush();
    }

    /** The run ended with {@code status}; its files are in place. Durable on return. */
    void finished(RunEnd status) throws IOException {
        handOver("finished " + status.name(), List.of());
        flush();
    }

    /** Waits until every event handed over so far is on disk. */
    void flush() throws IOException {
        lock.lock();
        try {
            long target = handedOver;
            flushWaiters++;
            work.signal();
            try {
                while (synced < target && failure == null) {
                    durable.awaitUninterruptibly();
                }
            } finally {
                flushWaiters--;
            }
            if (failure != null) {
                throw new IOException("the run journal " + file + " could not be written: " + failure.getMessage(), failure);
            }
        } finally {
            lock.unlock();
        }
    }

    private void handOver(String event, Collection<FileChannel> segments) throws IOException {
        lock.lock();
        try {
            if (failure != null) {
                throw new IOException("the run journal " + file + " could not be written: " + failure.getMessage(), failure);
            }
            if (closing) {
                throw new IllegalStateException("the run journal " + file + " is closed");
            }
            pendingLines.add(event);
            pendingSegments.addAll(segments);
            handedOver++;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    private void syncLoop() {
        List<String> lines;
        Set<FileChannel> segments;
        long lastSync = System.nanoTime() - GROUP_WINDOW_NANOS;
        while (true) {
            lock.lock();
            try {
                while (pendingLines.isEmpty() && !closing) {
                    work.awaitUninterruptibly();
                }
                // Let a group gather for a moment unless someone waits for it: each group costs a file
                // system commit, and chunks finish every few milliseconds.
                long wait;
                while (!closing && flushWaiters == 0
                        && (wait = lastSync + GROUP_WINDOW_NANOS - System.nanoTime()) > 0) {
                    try {
                        work.awaitNanos(wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // nobody interrupts this thread; if so, sync now
                        break;
                    }
                }
                if (pendingLines.isEmpty()) {
                    return;
                }
                lastSync = System.nanoTime();
                lines = pendingLines;
                segments = pendingSegments;
                pendingLines = new ArrayList<>();
                pendingSegments = new LinkedHashSet<>();
            } finally {
                lock.unlock();
            }
            IOException error = null;
            try {
                for (FileChannel segment : segments) {
                    segment.force(false);
                }
                write(lines);
            } catch (IOException e) {
                error = e;
            }
            lock.lock();
            try {
                if (error != null) {
                    if (failure == null) {
                        failure = error;
                    }
                } else {
                    synced += lines.size();
                }
                durable.signalAll();
            } finally {
                lock.unlock();
            }
            if (error != null) {
                log.error("the run journal {} could not be written", file, error);
                onFailure.accept(error);
                return;
            }
        }
    }

    private void write(List<String> events) throws IOException {
        StringBuilder text = new StringBuilder(events.size() * 96);
        CRC32 crc = new CRC32();
        for (String event : events) {
            crc.reset();
            crc.update(event.getBytes(StandardCharsets.UTF_8));
            text.append(String.format("%08x %s%n", crc.getValue(), event));
        }
        ByteBuffer buf = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        channel.force(false);
    }

    /** Writes what was handed over, stops the journal thread and closes the file. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            closing = true;
            work.signal();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        while (syncer.isAlive()) {
            try {
                syncer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        channel.close();
    }

    /** The line decoded, or null when its bytes are not UTF-8 (then its checksum cannot match either). */
    private static String strictUtf8(byte[] bytes, int from, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, length)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }

    /** Reads a journal; a missing file is an empty journal. */
    static JournalState read(Path file) throws IOException {
        Map<Integer, SpooledChunk> done = new TreeMap<>();
        Map<Integer, FailedChunk> failed = new TreeMap<>();
        Map<String, Path> published = new LinkedHashMap<>();
        Map<Path, String> intents = new LinkedHashMap<>();
        RunEnd finished = null;
        List<String> lines = new ArrayList<>();
        try {
            // Line by line from the bytes, each decoded on its own: a line with bytes that are not
            // UTF-8 (a character cut by a crash) is one damaged line, not an unreadable journal.
            byte[] bytes = StoreFiles.readAllBytes(file);
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    lines.add(strictUtf8(bytes, start, i - start));
                    start = i + 1;
                }
            }
            if (start < bytes.length) {
                log.warn("{}: ignoring a torn last line (the process stopped while writing it)", file);
            }
        } catch (NoSuchFileException e) {
            return new JournalState(done, failed, published, intents, null);
        }
        int n = 0;
        for (String line : lines) {
            n++;
            int sp = line == null ? -1 : line.indexOf(' ');
            if (sp != 8) {
                log.warn("{}:{}: ignoring a damaged line", file, n);
                continue;
            }
            String event = line.substring(9);
            CRC32 crc = new CRC32();
            crc.update(event.getBytes(StandardCharsets.UTF_8));
            if (!String.format("%08x", crc.getValue()).equals(line.substring(0, 8))) {
                log.warn("{}:{}: ignoring a line whose checksum does not match", file, n);
                continue;
            }
            String[] f = event.split(" ", 4);
            try {
                switch (f[0]) {
                    case "done" -> {
                        SpooledChunk d = SpooledChunk.parse(event.split(" "));
                        done.put(d.chunk(), d);
                        failed.remove(d.chunk());
                        finished = null;
                    }
                    case "failed" -> {
                        int chunk = Integer.parseInt(f[1]);
                        failed.put(chunk, new FailedChunk(chunk, Integer.parseInt(f[2]), f.length > 3 ? f[3] : ""));
                        done.remove(chunk);
                        finished = null;
                    }
                    case "publishing" -> {
                        String[] g = event.split(" ", 4);
                        intents.put(Path.of(g[3]), g[2]);
                    }
                    case "published" -> published.put(f[1], Path.of(event.substring(("published " + f[1] + " ").length())));
                    case "finished" -> finished = RunEnd.valueOf(f[1]);
                    default -> log.warn("{}:{}: ignoring an unknown event '{}'", file, n, f[0]);
                }
            } catch (RuntimeException e) {
                log.warn("{}:{}: ignoring an unreadable line: {}", file, n, e.toString());
            }
        }
        return new JournalState(done, failed, published, intents, finished);
    }
}
