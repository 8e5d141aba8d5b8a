package dev.firmquery.tui;

import dev.firmquery.chunk.Chunk;
import dev.firmquery.ids.IdList;
import dev.firmquery.ids.IdLoadResult;
import dev.firmquery.ids.IdStats;
import dev.firmquery.ids.IdType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The input of a re-run: the IDs of the chunks of a finished run that failed (and, if asked, that were
 * not run), in their original order, as a new input for the same query.
 *
 * <p>This is the one place that decides what a re-run covers. It works from the chunk outcomes the UI
 * saw; the run journal of issue #5 ({@code --retry-failed}) can replace it behind the same method.
 */
final class Rerun {
    /** Which chunks to run again. */
    enum Scope {
        /** Chunks that failed after their retries. */
        FAILED,
        /** Failed chunks and the chunks a cancel or stop left out. */
        FAILED_AND_NOT_RUN
    }

    private Rerun() {
    }

    /** The chunks {@code scope} covers, in plan order. */
    static List<Chunk> chunks(FinishedRun run, Scope scope) {
        List<Chunk> out = new ArrayList<>();
        for (Chunk c : run.request().plan().chunks()) {
            boolean failed = run.failed().get(c.number());
            boolean notRun = !failed && !run.succeeded().get(c.number());
            if (failed || (scope == Scope.FAILED_AND_NOT_RUN && notRun)) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The IDs to run again as an input, or null when {@code scope} covers no chunk. Its source names
     * the run it re-runs (that is what the report and the audit line show as input), its SHA-256 is over
     * the IDs one per line.
     */
    static IdLoadResult input(FinishedRun run, Scope scope) {
        List<Chunk> chunks = chunks(run, scope);
        if (chunks.isEmpty()) {
            return null;
        }
        IdLoadResult original = run.request().input();
        IdList ids = original.ids();
        int n = (int) FinishedRun.ids(chunks);
        IdList selected;
        if (ids.type() == IdType.INTEGER) {
            long[] values = new long[n];
            int i = 0;
            for (Chunk c : chunks) {
                for (int k = c.from(); k < c.to(); k++) {
                    values[i++] = ids.longAt(k);
                }
            }
            selected = IdList.ofLongs(values);
        } else {
            String[] values = new String[n];
            int i = 0;
            for (Chunk c : chunks) {
                for (int k = c.from(); k < c.to(); k++) {
                    values[i++] = ids.textAt(k);
                }
            }
            selected = IdList.ofTexts(values);
        }
        String what = scope == Scope.FAILED ? "failed chunks" : "failed and not-run chunks";
        String source = original.source() + " [re-run of the " + what + " of run " + run.request().runId() + "]";
        IdStats stats = new IdStats(n, n, n, 0, 0, 0);
        List<String> warnings = List.of("re-run of " + Fmt.plural(chunks.size(), "chunk", "chunks") + " (" + what
                + ") of run " + run.request().runId());
        return new IdLoadResult(selected, stats, List.of(), warnings, source, sha256(selected), original.columnName());
    }

    private static String sha256(IdList ids) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < ids.size(); i++) {
                md.update(ids.stringAt(i).getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
