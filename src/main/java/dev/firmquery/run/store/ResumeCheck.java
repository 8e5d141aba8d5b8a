package dev.firmquery.run.store;

import dev.firmquery.chunk.ChunkPlan;
import dev.firmquery.config.AppConfig.Format;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which chunks a resume may reuse: a chunk the journal records as done is trusted only if its spool
 * ranges are there, whole, and match their checksums and row count; any other runs again. The
 * journal line was written after its ranges were forced, so a mismatch means the bytes were damaged
 * later (a bad sector, a stray write, a cut copy).
 */
final class ResumeCheck {
    private static final Logger log = LoggerFactory.getLogger(ResumeCheck.class);

    private final RunDirectory dir;
    private final Manifest manifest;
    private final ChunkPlan plan;

    ResumeCheck(RunDirectory dir, Manifest manifest, ChunkPlan plan) {
        this.dir = dir;
        this.manifest = manifest;
        this.plan = plan;
    }

    /** The trusted chunks of {@code done}, by number; the others are logged with the reason. */
    Map<Integer, SpooledChunk> trusted(Collection<SpooledChunk> done) {
        Map<Integer, SpooledChunk> trusted = new TreeMap<>();
        for (SpooledChunk d : done) {
            String problem = problem(d);
            if (problem == null) {
                trusted.put(d.chunk(), d);
            } else {
                log.warn("run {}: chunk {} will run again: {}", manifest.runId(), d.chunk(), problem);
            }
        }
        return trusted;
    }

    /** Why the spooled rows of {@code d} cannot be used, or null if they can. */
    String problem(SpooledChunk d) {
        if (d.chunk() < 1 || d.chunk() > plan.size()) {
            return "the journal names a chunk outside the plan";
        }
        if (!d.hasSpools()) {
            return "its journal line was written by an older firmquery that kept its rows elsewhere";
        }
        if (d.missing().length() > plan.get(d.chunk() - 1).size()) {
            return "the journal line is damaged (missing IDs beyond the chunk)";
        }
        try {
            if (manifest.formats().contains(Format.CSV)) {
                if (d.csv() == null) {
                    return "no CSV records were spooled for it";
                }
                SpooledChunk.Range r = d.csv();
                if (crc32c(dir.segment(r.segment()), r.offset(), r.length()) != r.crc32c()) {
                    return "its CSV records in " + dir.segment(r.segment()) + " are incomplete or damaged";
                }
            }
            if (TypedSpool.neededFor(manifest.formats())) {
                if (d.typed() == null) {
                    return "no typed rows were spooled for it";
                }
                SpooledChunk.Range r = d.typed();
                long rows = TypedSpoolReader.verify(dir.segment(r.segment()), r.offset(), r.length());
                if (rows != d.rows()) {
                    return "its spool holds " + rows + " rows, the journal records " + d.rows();
                }
            }
        } catch (IOException e) {
            return "its spool is missing or damaged (" + e.getMessage() + ")";
        }
        return null;
    }

    /** The CRC-32C of {@code [offset, offset + length)} of {@code file}. */
    private static int crc32c(Path file, long offset, long length) throws IOException {
        try (FileChannel ch = StoreFiles.openForReading(file)) {
            return CsvParts.copy(ch, file, offset, length, OutputStream.nullOutputStream(), ByteBuffer.allocate(1 << 16));
        }
    }
}
