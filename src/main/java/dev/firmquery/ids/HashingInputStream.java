package dev.firmquery.ids;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * Passes bytes through while computing their SHA-256 (for the audit trail) and reporting how many
 * have been read, about every {@link #PROGRESS_STEP} bytes.
 */
final class HashingInputStream extends FilterInputStream {
    static final long PROGRESS_STEP = 1L << 20;

    private final MessageDigest digest;
    private final LongConsumer progress;
    private long count;
    private long nextReport = PROGRESS_STEP;

    HashingInputStream(InputStream in, LongConsumer progress) {
        super(in);
        this.progress = progress;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256, which every Java SE platform must provide", e);
        }
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            digest.update((byte) b);
            advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            digest.update(b, off, n);
            advance(n);
        }
        return n;
    }

    /** Reads through rather than skipping, so that skipped bytes are hashed too. */
    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // Not supported: re-reading would hash bytes twice.
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    /** Reads the rest of the input so that the hash covers every byte. */
    void drain() throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (read(buf, 0, buf.length) >= 0) {
            // hashing happens in read
        }
    }

    long count() {
        return count;
    }

    /** Hex SHA-256 of everything read so far; call once, after {@link #drain}. */
    String sha256Hex() {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Tells the listener the final count, so a progress bar can reach 100 %. */
    void reportDone() {
        if (progress != null) {
            progress.accept(count);
        }
    }

    private void advance(int n) {
        count += n;
        if (progress != null && count >= nextReport) {
            progress.accept(count);
            nextReport = (count / PROGRESS_STEP + 1) * PROGRESS_STEP;
        }
    }
}
