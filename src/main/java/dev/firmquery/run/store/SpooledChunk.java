package dev.firmquery.run.store;

import java.util.BitSet;

/**
 * A chunk whose rows are in the spool: what its journal "done" line records. The engine gets one
 * from {@link ChunkWriter#finish}, hands it to {@link RunSession#done} and later to
 * {@link SpoolReader} to copy the rows into the final files; a resumed run gets those of earlier
 * sessions from {@link RunDirectory#journal()}. It is the only description of spooled bytes that
 * leaves the run store: where the bytes lie is the store's business, and they are only read back
 * through it, checked.
 *
 * @param chunk    the chunk's number in the plan (1-based)
 * @param rows     the rows its query returned
 * @param attempts the attempts it took (1 = no retry)
 * @param csv      where its CSV records are (null when the run writes no CSV, or for a line of an
 *                 older version, which resume treats as not done)
 * @param typed    where its typed rows are (null when the run writes no XLSX)
 * @param missing  positions in the chunk (0-based) of the IDs that returned no row
 * @param timing   how long its successful attempt took (null before the engine timed it, and for a
 *                 line of a version that did not time chunks)
 */
public record SpooledChunk(int chunk, long rows, int attempts, Range csv, Range typed, BitSet missing,
                           ChunkTiming timing) {

    /**
     * A byte range of a spool segment in the run folder's {@code spool/} folder.
     *
     * @param segment the segment's file name (no path: the journal never names a file elsewhere)
     * @param crc32c  the CRC-32C of the range (CSV parts); 0 for typed spools, which carry their own
     */
    public record Range(String segment, long offset, long length, int crc32c) {
        String token() {
            return segment + "@" + offset + "+" + length + "#" + Integer.toHexString(crc32c);
        }

        static Range parse(String token) {
            int at = token.lastIndexOf('@');
            int plus = token.indexOf('+', at);
            int hash = token.indexOf('#', plus);
            String name = token.substring(0, at);
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                throw new IllegalArgumentException("bad segment name " + name);
            }
            return new Range(name, Long.parseLong(token.substring(at + 1, plus)),
                    Long.parseLong(token.substring(plus + 1, hash)), Integer.parseUnsignedInt(token.substring(hash + 1), 16));
        }
    }

    /** Copies {@code missing}, so that the value stays as it was made. */
    public SpooledChunk {
        missing = (BitSet) missing.clone();
    }

    /** A chunk not (yet) timed. */
    public SpooledChunk(int chunk, long rows, int attempts, Range csv, Range typed, BitSet missing) {
        this(chunk, rows, attempts, csv, typed, missing, null);
    }

    /** This chunk with {@code timing}. */
    public SpooledChunk withTiming(ChunkTiming timing) {
        return new SpooledChunk(chunk, rows, attempts, csv, typed, missing, timing);
    }

    /** The positions of the IDs that returned no row (a copy). */
    @Override
    public BitSet missing() {
        return (BitSet) missing.clone();
    }

    /** Whether the line names its spool ranges (lines of firmquery 0.1.0 did not). */
    boolean hasSpools() {
        return csv != null || typed != null;
    }

    /** The journal's "done" event for this chunk (without the line's CRC). */
    String line() {
        StringBuilder b = new StringBuilder("done ").append(chunk).append(' ').append(rows).append(' ')
                .append(attempts);
        if (csv != null) {
            b.append(" csv=").append(csv.token());
        }
        if (typed != null) {
            b.append(" typed=").append(typed.token());
        }
        b.append(" missing=");
        int runStart = missing.nextSetBit(0);
        if (runStart < 0) {
            b.append('-');
        }
        boolean first = true;
        while (runStart >= 0) {
            int runEnd = missing.nextClearBit(runStart) - 1;
            b.append(first ? "" : ",").append(runStart);
            if (runEnd > runStart) {
                b.append('-').append(runEnd);
            }
            first = false;
            runStart = missing.nextSetBit(runEnd + 1);
        }
        if (timing != null) {
            b.append(' ').append(timing.tokens());
        }
        return b.toString();
    }

    /** The chunk a "done" event records; {@code f} is the event split at blanks. */
    static SpooledChunk parse(String[] f) {
        int chunk = Integer.parseInt(f[1]);
        long rows = Long.parseLong(f[2]);
        int attempts = Integer.parseInt(f[3]);
        Range csv = null;
        Range typed = null;
        BitSet missing = new BitSet();
        String time = null;
        String retried = null;
        for (int i = 4; i < f.length; i++) {
            String t = f[i];
            if (t.startsWith("csv=")) {
                csv = Range.parse(t.substring(4));
            } else if (t.startsWith("typed=")) {
                typed = Range.parse(t.substring(6));
            } else if (t.startsWith("t=")) {
                time = t.substring(2);
            } else if (t.startsWith("retried=")) {
                retried = t.substring(8);
            } else if (t.startsWith("missing=") && !t.equals("missing=-")) {
                for (String run : t.substring(8).split(",")) {
                    int dash = run.indexOf('-');
                    int a = Integer.parseInt(dash < 0 ? run : run.substring(0, dash));
                    int b = dash < 0 ? a : Integer.parseInt(run.substring(dash + 1));
                    missing.set(a, b + 1);
                }
            }
        }
        return new SpooledChunk(chunk, rows, attempts, csv, typed, missing,
                time == null ? null : ChunkTiming.parse(time, retried));
    }
}
