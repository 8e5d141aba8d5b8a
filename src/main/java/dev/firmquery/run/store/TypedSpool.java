package dev.firmquery.run.store;

import dev.firmquery.export.ColumnKind;

import java.io.IOException;
import java.time.OffsetDateTime;

/**
 * The typed spool: a compact binary encoding of one chunk's result rows, for the XLSX and the JSON
 * Lines (which need the values, not their CSV text), so that workers can run chunks concurrently while the final files
 * are assembled in chunk order afterwards, and so that a later resume can reuse the chunks already
 * spooled. A worker appends one spool per chunk to its {@code .typed} segment.
 *
 * <h2>Format (version 1)</h2>
 * <pre>
 * magic     "FQSPOOL" 0x01
 * columns   varint n, then n times: label, type name (nullable strings), kind ordinal (1 byte)
 * rows      'R', null bitmap ((n+7)/8 bytes, bit set = NULL), the non-null values in order
 * trailer   'E', row count (8 bytes), CRC-32C of every byte before it (4 bytes)
 * </pre>
 * Values: INTEGER zigzag varlong; DECIMAL zigzag varint scale, then 0 + zigzag varlong unscaled
 * value or 1 + varint length + two's-complement bytes; FLOAT the 8 raw IEEE bytes; BOOLEAN one
 * byte; DATE zigzag varlong epoch day; TIMESTAMP zigzag varlong epoch second of the local
 * date-time read as UTC + varint nanos; TIMESTAMPTZ the same for its local date-time + zigzag
 * varint offset seconds (local rather than instant, so {@link OffsetDateTime#MAX}, pgjdbc's
 * {@code infinity}, survives); TEXT varint UTF-8 length + UTF-8 bytes (any length; unpaired
 * surrogates become {@code ?}, as {@link String#getBytes} does). Strings in the header are
 * varint (length + 1) with 0 for null.
 *
 * <p>A spool without its trailer (the worker died, the disk filled up) is reported as truncated;
 * a wrong row count, bad structure or checksum mismatch as corrupt. The checksum is only known at
 * the end, so a reader that fails late may already have handed out rows: treat any
 * {@link IOException} as "this chunk's spool is unusable, run the chunk again", or call
 * {@link TypedSpoolReader#verify} first.
 *
 * <p>{@link TypedSpoolWriter} writes it, {@link TypedSpoolReader} reads it; this class holds what the two
 * share.
 */
final class TypedSpool {
    static final byte[] MAGIC = {'F', 'Q', 'S', 'P', 'O', 'O', 'L', 1};
    static final int ROW = 'R';
    static final int END = 'E';
    static final int TRAILER_CHECKSUM_BYTES = 4;
    static final int BUFFER_BYTES = 1 << 16;
    static final ColumnKind[] KINDS = ColumnKind.values();

    private TypedSpool() {
    }

    /** Whether a run writing {@code formats} spools typed rows: for the XLSX and the JSON Lines. */
    static boolean neededFor(java.util.Set<dev.firmquery.config.AppConfig.Format> formats) {
        return formats.contains(dev.firmquery.config.AppConfig.Format.XLSX)
                || formats.contains(dev.firmquery.config.AppConfig.Format.JSONL);
    }
}
