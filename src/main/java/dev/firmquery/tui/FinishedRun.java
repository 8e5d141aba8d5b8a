package dev.firmquery.tui;

import dev.firmquery.chunk.Chunk;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A run that ended, with what is needed to re-run part of it.
 *
 * @param number    the run's number in the session
 * @param request   what ran
 * @param report    how it ended
 * @param succeeded chunk numbers that succeeded
 * @param failed    chunk numbers that failed after their retries
 */
record FinishedRun(int number, RunRequest request, RunReport report, BitSet succeeded, BitSet failed) {

    FinishedRun {
        succeeded = (BitSet) succeeded.clone();
        failed = (BitSet) failed.clone();
    }

    @Override
    public BitSet succeeded() {
        return (BitSet) succeeded.clone();
    }

    @Override
    public BitSet failed() {
        return (BitSet) failed.clone();
    }

    /** The chunks that failed after their retries, in plan order. */
    List<Chunk> failedChunks() {
        List<Chunk> l = new ArrayList<>();
        for (Chunk c : request.plan().chunks()) {
            if (failed.get(c.number())) {
                l.add(c);
            }
        }
        return l;
    }

    /** The chunks that neither succeeded nor failed: not run because the run was cancelled or stopped. */
    List<Chunk> notRunChunks() {
        List<Chunk> l = new ArrayList<>();
        for (Chunk c : request.plan().chunks()) {
            if (!failed.get(c.number()) && !succeeded.get(c.number())) {
                l.add(c);
            }
        }
        return l;
    }

    static long ids(List<Chunk> chunks) {
        long n = 0;
        for (Chunk c : chunks) {
            n += c.size();
        }
        return n;
    }
}
