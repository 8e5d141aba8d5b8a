package dev.firmquery.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The run journal: an append-only text file, one line per event, each line forced to disk before
 * the call returns. A chunk is journalled as done only after its spool file is complete and fsynced,
 * so after a crash (SIGKILL, power loss) every "done" line names a spool that can be trusted.
 *
 * <p>Lines are {@code <crc32> <event> <fields...>}; a torn last line (no newline, or a CRC that does
 * not match) is ignored on reading: that event simply did not happen.
 */
public final class Journal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);

    private final Path file;
    private final FileChannel channel;

    private Journal(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    static Journal open(Path file) throws IOException {
        return new Journal(file, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND));
    }

    /** Chunk {@code chunk} succeeded with {@code rows} rows; its spool is complete and on disk. */
    void done(int chunk, long rows, int attempts) throws IOException {
        append("done " + chunk + " " + rows + " " + attempts);
    }

    /** Chunk {@code chunk} failed for good with {@code error}. */
    void failed(int chunk, int attempts, String error) throws IOException {
        append("failed " + chunk + " " + attempts + " " + oneLine(error));
    }

    /** A final file was published under {@code path}. */
    void published(String kind, Path path) throws IOException {
        append("published " + kind + " " + path);
    }

    /** The run ended with {@code status}; its files are in place. */
    void finished(RunStatus status) throws IOException {
        append("finished " + status.name());
    }

    private synchronized void append(String event) throws IOException {
        CRC32 crc = new CRC32();
        byte[] body = event.getBytes(StandardCharsets.UTF_8);
        crc.update(body);
        String line = String.format("%08x %s%n", crc.getValue(), event);
        ByteBuffer buf = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }

    /** A chunk the journal records as done. */
    public record Done(int chunk, long rows, int attempts) {
    }

    /** A chunk the journal records as failed (and not done since). */
    public record Failed(int chunk, int attempts, String error) {
    }

    /**
     * What the journal says, later lines winning: a chunk failed in one session and done in the next
     * is done.
     */
    public record State(Map<Integer, Done> done, Map<Integer, Failed> failed, Map<String, Path> published,
                        RunStatus finished) {
        public State {
            done = Map.copyOf(done);
            failed = Map.copyOf(failed);
            published = Map.copyOf(published);
        }
    }

    /** Reads a journal; a missing file is an empty journal. */
    public static State read(Path file) throws IOException {
        Map<Integer, Done> done = new TreeMap<>();
        Map<Integer, Failed> failed = new TreeMap<>();
        Map<String, Path> published = new LinkedHashMap<>();
        RunStatus finished = null;
        List<String> lines;
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            lines = new ArrayList<>(List.of(text.split("\n", -1)));
            // The last element is what follows the last newline: empty, or a torn line.
            String tail = lines.remove(lines.size() - 1);
            if (!tail.isEmpty()) {
                log.warn("{}: ignoring a torn last line (the process stopped while writing it)", file);
            }
        } catch (NoSuchFileException e) {
            return new State(done, failed, published, null);
        }
        int n = 0;
        for (String line : lines) {
            n++;
            int sp = line.indexOf(' ');
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
                        int chunk = Integer.parseInt(f[1]);
                        done.put(chunk, new Done(chunk, Long.parseLong(f[2]), Integer.parseInt(f[3])));
                        failed.remove(chunk);
                        finished = null;
                    }
                    case "failed" -> {
                        int chunk = Integer.parseInt(f[1]);
                        failed.put(chunk, new Failed(chunk, Integer.parseInt(f[2]), f.length > 3 ? f[3] : ""));
                        done.remove(chunk);
                        finished = null;
                    }
                    case "published" -> published.put(f[1], Path.of(event.substring(("published " + f[1] + " ").length())));
                    case "finished" -> finished = RunStatus.valueOf(f[1]);
                    default -> log.warn("{}:{}: ignoring an unknown event '{}'", file, n, f[0]);
                }
            } catch (RuntimeException e) {
                log.warn("{}:{}: ignoring an unreadable line: {}", file, n, e.toString());
            }
        }
        return new State(done, failed, published, finished);
    }
}
