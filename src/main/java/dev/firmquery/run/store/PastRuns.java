package dev.firmquery.run.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The runs an output folder remembers: its {@code *_report.json} files read back, newest first. The
 * folder may be shared, so every report is treated as written by someone else: links are not
 * followed (a report that is a link, or a file it names outside the folder, is not used), a report
 * must belong to this user and not be writable by others, it is read up to {@link #MAX_REPORT_BYTES}
 * and parsed strictly; one that fails a check is listed as skipped, with why.
 */
public final class PastRuns {
    /**
     * A report is a few kilobytes: about 300 bytes per listed chunk failure, and the run lists at most
     * a few hundred of them; 4 MiB leaves room for thousands while bounding what a crafted file costs.
     */
    public static final int MAX_REPORT_BYTES = 4 << 20;
    /** Reports read at most per folder, the newest by modification time: a screenful many times over. */
    public static final int MAX_REPORTS = 200;
    private static final String SUFFIX = "_report.json";

    private PastRuns() {
    }

    /**
     * One past run, as its report says.
     *
     * @param report        the report file
     * @param runId         the run's ID
     * @param status        {@code completed}, {@code partial}, {@code failed}, {@code cancelled}, ...
     * @param started       when it started, or null when the report does not say
     * @param durationMs    how long it ran
     * @param input         the ID source ({@code -} for pasted or piped IDs)
     * @param sheet         the workbook sheet the IDs were read from, or null (not a workbook, or a report
     *                      of a version that did not record it); text from the report, print it printable
     * @param queryName     the query's name
     * @param queryPath     the template's path as the report names it, or null
     * @param parameters    the parameter values by name, canonical text
     * @param validIds      valid IDs of the input
     * @param rows          result rows
     * @param missingIds    valid IDs without rows
     * @param failedIds     IDs of the failed chunks
     * @param failedChunks  chunks that failed after the retries
     * @param notRunChunks  chunks not run (cancel, stop)
     * @param workDirectory the run's working folder while it can be resumed, or null
     * @param files         the files it wrote, by kind ({@code results-csv}, {@code report}, ...)
     */
    public record PastRun(Path report, String runId, String status, Instant started, long durationMs, String input,
                          String sheet, String queryName, String queryPath, Map<String, String> parameters, long validIds, long rows,
                          long missingIds, long failedIds, long failedChunks, long notRunChunks, Path workDirectory,
                          Map<String, Path> files) {
        public PastRun {
            parameters = Map.copyOf(parameters);
            files = Map.copyOf(files);
        }

        /** Whether chunks are left to run (failed or not run): resume or retry applies. */
        public boolean unfinished() {
            return failedChunks > 0 || notRunChunks > 0;
        }

        /**
         * The file of {@code kind} the run wrote, only when it is a regular file (not a link) in the
         * report's own folder: a report naming a file elsewhere is not followed there.
         */
        public Optional<Path> file(String kind) {
            Path p = files.get(kind);
            if (p == null) {
                return Optional.empty();
            }
            Path folder = report.toAbsolutePath().normalize().getParent();
            Path abs = p.toAbsolutePath().normalize();
            if (!folder.equals(abs.getParent()) || !Files.isRegularFile(abs, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            return Optional.of(abs);
        }

        /**
         * The working folder when it still exists where a run keeps it ({@code .firmquery/} of the
         * report's folder), is a folder and not a link; empty otherwise.
         */
        public Optional<Path> resumable() {
            if (workDirectory == null || !unfinished()) {
                return Optional.empty();
            }
            Path work = report.toAbsolutePath().normalize().getParent().resolve(RunStore.DIR_NAME);
            Path dir = workDirectory.toAbsolutePath().normalize();
            return work.equals(dir.getParent()) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                    ? Optional.of(dir) : Optional.empty();
        }
    }

    /**
     * What a folder holds.
     *
     * @param runs    readable reports, newest first
     * @param skipped one line per report not used, with why (a link, another owner, too large, ...)
     * @param more    reports beyond {@link #MAX_REPORTS} not read
     */
    public record Listing(List<PastRun> runs, List<String> skipped, int more) {
        public Listing {
            runs = List.copyOf(runs);
            skipped = List.copyOf(skipped);
        }
    }

    /** The past runs of {@code folders} together, newest first; a folder that does not exist adds nothing. */
    public static Listing list(List<Path> folders) throws IOException {
        List<PastRun> runs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int more = 0;
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            List<Path> reports = new ArrayList<>();
            try (Stream<Path> s = Files.list(folder)) {
                s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).forEach(reports::add);
            }
            reports.sort(Comparator.comparing(PastRuns::modified).reversed());
            more += Math.max(0, reports.size() - MAX_REPORTS);
            for (Path r : reports.subList(0, Math.min(reports.size(), MAX_REPORTS))) {
                try {
                    runs.add(parse(r, read(r)));
                } catch (RunStoreException e) {
                    skipped.add(e.getMessage());
                }
            }
        }
        runs.sort(Comparator.comparing((PastRun p) -> p.started() == null ? Instant.EPOCH : p.started()).reversed());
        return new Listing(runs, skipped, more);
    }

    /**
     * The text of a report after the checks: a regular file (not a link), this user's, not writable by
     * group or others, valid UTF-8 and at most {@link #MAX_REPORT_BYTES}.
     */
    public static String read(Path report) throws RunStoreException {
        try {
            BasicFileAttributes a = Files.readAttributes(report, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                throw new RunStoreException(report + " is skipped: it is " + (a.isSymbolicLink() ? "a link" : "not a file")
                        + ", and reports are read only as files of the folder itself");
            }
            if (!FolderChecks.ownedByMe(report)) {
                throw new RunStoreException(report + " is skipped: it belongs to another user, who could have written"
                        + " anything into it; runs of your own are listed");
            }
            if (report.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(report, LinkOption.NOFOLLOW_LINKS);
                if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                    throw new RunStoreException(report + " is skipped: others may write it (mode "
                            + java.nio.file.attribute.PosixFilePermissions.toString(perms) + "); chmod go-w it to list it");
                }
            }
            if (a.size() > MAX_REPORT_BYTES) {
                throw new RunStoreException(report + " is skipped: " + a.size() + " bytes, more than a report holds ("
                        + MAX_REPORT_BYTES + "); open it with less if it is yours");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(MAX_REPORT_BYTES + 1L, a.size() + 1));
            try (SeekableByteChannel ch = Files.newByteChannel(report, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
                while (buf.hasRemaining() && ch.read(buf) >= 0) {
                    if (buf.position() > MAX_REPORT_BYTES) {
                        throw new RunStoreException(report + " is skipped: it grew past " + MAX_REPORT_BYTES + " bytes while read");
                    }
                }
            }
            buf.flip();
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(buf).toString();
        } catch (CharacterCodingException e) {
            throw new RunStoreException(report + " is skipped: it is not UTF-8 text", e);
        } catch (IOException e) {
            throw new RunStoreException(report + " is skipped: cannot read it: " + e, e);
        }
    }

    /** The run {@code text} (a report's JSON) describes. */
    static PastRun parse(Path report, String text) throws RunStoreException {
        try {
            if (!(JsonText.parse(text) instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("not a JSON object");
            }
            Map<?, ?> ids = map(m.get("ids"));
            Map<?, ?> query = map(m.get("query"));
            Map<?, ?> chunks = map(m.get("chunks"));
            Map<String, String> params = new LinkedHashMap<>();
            map(query.get("parameters")).forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
            Map<String, Path> files = new LinkedHashMap<>();
            if (m.get("files") instanceof List<?> l) {
                for (Object o : l) {
                    Map<?, ?> f = map(o);
                    if (f.get("kind") instanceof String kind && f.get("path") instanceof String path) {
                        files.putIfAbsent(kind, Path.of(path));
                    }
                }
            }
            String work = m.get("work_directory") instanceof String w ? w : null;
            return new PastRun(report, text(m, "run_id"), text(m, "status"), instant(m.get("started")),
                    number(m.get("duration_ms")), text(ids, "source"),
                    ids.get("sheet") instanceof String s ? s : null, text(query, "name"),
                    query.get("path") instanceof String p ? p : null, params, number(ids.get("valid")),
                    number(m.get("rows")), number(m.get("missing_ids")), number(m.get("failed_ids")),
                    number(chunks.get("failed")), number(chunks.get("not_run")), work == null ? null : Path.of(work), files);
        } catch (IllegalArgumentException e) { // also a path the file system refuses (InvalidPathException)
            throw new RunStoreException(report + " is skipped: it is not a firmquery report (" + e.getMessage() + ")", e);
        }
    }

    private static Map<?, ?> map(Object o) {
        return o instanceof Map<?, ?> m ? m : Map.of();
    }

    private static String text(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof String s)) {
            throw new IllegalArgumentException("no " + key);
        }
        return s;
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    private static Instant instant(Object o) {
        if (!(o instanceof String s)) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static java.nio.file.attribute.FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }
}
