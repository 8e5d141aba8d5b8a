// firmquery benchmark: a loopback TCP relay that adds a round-trip delay between the clients and the
// database. Bench code, not part of the application jar; run it as a single-file program:
//
//   java bench/Relay.java LISTEN_PORT TARGET_HOST TARGET_PORT RTT_MS [STATS_FILE]
//
// Every byte read from one side is forwarded to the other RTT_MS/2 later (half the round trip each
// way), without a bandwidth cap: data is queued with its due time and written as soon as it is due, so
// a stream pays the delay once, not per packet. One thread, one NIO selector, for every connection.
//
// It counts, per connection, the client's turns (the times the client starts sending again after the
// server has sent something: in a request/response protocol, its round trips) and, parsing the
// PostgreSQL protocol from the client, the Sync ('S') and simple Query ('Q') messages, each of which the
// client waits on. On each connection's close it appends a line to STATS_FILE (if given):
//   conn N: c2s BYTES s2c BYTES turns T syncs S queries Q
// A stopped relay (SIGTERM) ends with a line "relay: process_cpu_ms=... connections=..." on stdout.
import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.locks.LockSupport;

public final class Relay {
    /** Reading from a side stops while this much is queued towards the other (memory, not bandwidth). */
    private static final int MAX_QUEUED = 8 << 20;

    /** Queued in place of data: the sender closed its side; shut down the receiver's when due. */
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    /**
     * Java's selector waits whole milliseconds (epoll_wait), which made the first version of this relay
     * add 2.3 ms of round trip when asked for 1 or 2 ms, and 6.6 ms for 5 (bench/RelayProbe.java). Waits
     * shorter than COARSE_NANOS park in slices of SLICE_NANOS between polls instead, and the last
     * SPIN_NANOS spin; a longer wait selects until FINE_NANOS or less is left.
     */
    private static final long COARSE_NANOS = 1_300_000;
    private static final long FINE_NANOS = 300_000;
    private static final long SLICE_NANOS = 50_000;
    private static final long SPIN_NANOS = 70_000;

    private static long halfNanos;
    /**
     * When the bytes read in this turn of the loop arrived: now, after a select that returned as they
     * came; after a park, the middle of the park (they came at some time during it), so a slice's delay
     * is neither added to nor taken from theirs on average.
     */
    private static long arrived;
    private static PrintWriter stats;
    private static int connections;

    /** One direction of one connection: bytes read from {@code from}, due for {@code to}. */
    private static final class Pipe {
        final SocketChannel from;
        final SocketChannel to;
        final ArrayDeque<Long> due = new ArrayDeque<>();          // due time (nanoTime) of each chunk
        final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();
        SelectionKey key;
        boolean blocked;
        long queued;
        long bytes;
        Pipe peer;
        Conn conn;
        boolean eof;

        Pipe(SocketChannel from, SocketChannel to) {
            this.from = from;
            this.to = to;
        }
    }

    /** A client connection and its server connection, with the counters. */
    private static final class Conn {
        final int n;
        Pipe c2s;
        Pipe s2c;
        long turns;
        long syncs;
        long queries;
        boolean serverSpokeLast = true;    // the first client bytes count as a turn
        // PostgreSQL message parser state for the client's stream.
        boolean startup = true;            // startup and SSL/GSS requests have no type byte
        int need = 4;                      // bytes still needed for the current header or body
        final byte[] header = new byte[5];
        int headerFill;
        long skip;                         // body bytes to skip
        boolean closed;

        Conn(int n) {
            this.n = n;
        }

        void clientBytes(ByteBuffer b) {
            if (serverSpokeLast) {
                turns++;
                serverSpokeLast = false;
            }
            ByteBuffer d = b.duplicate();
            while (d.hasRemaining()) {
                if (skip > 0) {
                    int k = (int) Math.min(skip, d.remaining());
                    d.position(d.position() + k);
                    skip -= k;
                    continue;
                }
                int headerLen = startup ? 4 : 5;
                header[headerFill++] = d.get();
                if (headerFill < headerLen) {
                    continue;
                }
                headerFill = 0;
                int off = startup ? 0 : 1;
                int len = ((header[off] & 0xff) << 24) | ((header[off + 1] & 0xff) << 16)
                        | ((header[off + 2] & 0xff) << 8) | (header[off + 3] & 0xff);
                if (startup) {
                    // SSLRequest / GSSENCRequest (8 bytes, code 80877103 / 80877104) are followed by
                    // another startup packet; the StartupMessage itself ends the untyped phase.
                    skip = Math.max(0, len - 4);
                    if (len != 8) {
                        startup = false;
                    }
                } else {
                    if (header[0] == 'S') {
                        syncs++;
                    } else if (header[0] == 'Q') {
                        queries++;
                    }
                    skip = Math.max(0, len - 4);
                }
            }
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            System.err.println("usage: java Relay.java LISTEN_PORT TARGET_HOST TARGET_PORT RTT_MS [STATS_FILE]");
            System.exit(2);
        }
        int listen = Integer.parseInt(args[0]);
        InetSocketAddress target = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
        halfNanos = (long) (Double.parseDouble(args[3]) * 1_000_000 / 2);
        if (args.length > 4) {
            stats = new PrintWriter(new FileWriter(args[4], true), true);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("relay: process_cpu_ms="
                + processCpuMs() + " connections=" + connections)));
        Selector sel = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", listen), 256);
        server.configureBlocking(false);
        server.register(sel, SelectionKey.OP_ACCEPT);
        System.out.println("relay: listening on 127.0.0.1:" + listen + " -> " + target + ", rtt " + args[3] + " ms");
        long polled = System.nanoTime();   // when the selector was last asked (see arrived)
        boolean parked = false;
        while (true) {
            long wait = nextDueNanos(sel);
            if (wait == Long.MAX_VALUE) {
                sel.select();
                parked = false;
            } else if (wait <= 0) {
                sel.selectNow();
                parked = false;
            } else if (wait >= COARSE_NANOS) {
                // epoll_wait counts whole milliseconds: wake up to 1.3 ms early, never late, and
                // finish the wait in slices below.
                sel.select((wait - FINE_NANOS) / 1_000_000);
                parked = false;
            } else if (wait > SPIN_NANOS) {
                // Under a millisecond: the selector cannot wait that long, so park in slices and poll.
                // A park overshoots by the timer slack (50 us by default), hence never into the last
                // SPIN_NANOS. Bytes that arrive meanwhile are read at the next poll; see arrived.
                LockSupport.parkNanos(Math.min(wait - SPIN_NANOS, SLICE_NANOS));
                sel.selectNow();
                parked = true;
            } else {
                Thread.onSpinWait();
                sel.selectNow();
                parked = true;
            }
            long now = System.nanoTime();
            arrived = parked ? now - (now - polled) / 2 : now;
            polled = now;
            Iterator<SelectionKey> it = sel.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                if (!k.isValid()) {
                    continue;
                }
                if (k.isAcceptable()) {
                    accept(sel, server, target);
                    continue;
                }
                Pipe p = (Pipe) k.attachment();
                try {
                    if (k.isWritable()) {
                        // The channel p reads from is the one p.peer writes to: its kernel buffer has room.
                        k.interestOps(k.interestOps() & ~SelectionKey.OP_WRITE);
                        p.peer.blocked = false;
                    }
                    if (k.isValid() && k.isReadable()) {
                        read(sel, k, p);
                    }
                } catch (IOException e) {
                    close(p.conn);
                }
            }
            flushDue(sel);
        }
    }

    private static long processCpuMs() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() / 1_000_000 : -1;
    }

    private static void accept(Selector sel, ServerSocketChannel server, InetSocketAddress target) throws IOException {
        SocketChannel client = server.accept();
        if (client == null) {
            return;
        }
        SocketChannel up;
        try {
            up = SocketChannel.open(target); // blocking connect on loopback: immediate
        } catch (IOException e) {
            client.close();
            return;
        }
        for (SocketChannel c : new SocketChannel[] {client, up}) {
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.configureBlocking(false);
        }
        Conn conn = new Conn(++connections);
        conn.c2s = new Pipe(client, up);
        conn.s2c = new Pipe(up, client);
        conn.c2s.peer = conn.s2c;
        conn.s2c.peer = conn.c2s;
        conn.c2s.conn = conn;
        conn.s2c.conn = conn;
        conn.c2s.key = client.register(sel, SelectionKey.OP_READ, conn.c2s);
        conn.s2c.key = up.register(sel, SelectionKey.OP_READ, conn.s2c);
    }

    private static void read(Selector sel, SelectionKey k, Pipe p) throws IOException {
        if (p.conn.closed || p.queued >= MAX_QUEUED) {
            k.interestOps(k.interestOps() & ~SelectionKey.OP_READ);
            return;
        }
        ByteBuffer b = ByteBuffer.allocate(64 << 10);
        int n = p.from.read(b);
        if (n < 0) {
            p.eof = true;
            k.interestOps(k.interestOps() & ~SelectionKey.OP_READ);
            p.due.add(arrived + halfNanos);
            p.chunks.add(END);
            return;
        }
        if (n == 0) {
            return;
        }
        b.flip();
        if (p == p.conn.c2s) {
            p.conn.clientBytes(b);
        } else {
            p.conn.serverSpokeLast = true;
        }
        p.bytes += n;
        p.queued += n;
        p.due.add(arrived + halfNanos);
        p.chunks.add(b);
        if (p.queued >= MAX_QUEUED) {
            k.interestOps(k.interestOps() & ~SelectionKey.OP_READ); // back-pressure, not a cap
        }
    }

    /** Nanoseconds until the next queued chunk is due (0 or less: due now), MAX_VALUE if none is. */
    private static long nextDueNanos(Selector sel) {
        long now = System.nanoTime();
        long best = Long.MAX_VALUE;
        for (SelectionKey k : sel.keys()) {
            if (k.attachment() instanceof Pipe p && !p.blocked && !p.due.isEmpty()) {
                best = Math.min(best, p.due.peekFirst() - now);
            }
        }
        return best;
    }

    private static void flushDue(Selector sel) {
        long now = System.nanoTime();
        for (SelectionKey k : sel.keys().toArray(new SelectionKey[0])) {
            if (!(k.attachment() instanceof Pipe p) || p.conn.closed || p.blocked) {
                continue;
            }
            try {
                while (!p.due.isEmpty() && p.due.peekFirst() <= now) {
                    ByteBuffer b = p.chunks.peekFirst();
                    if (b == END) {
                        p.to.shutdownOutput();
                        p.due.poll();
                        p.chunks.poll();
                        if (p.peer.eof && p.peer.due.isEmpty()) {
                            close(p.conn);
                        }
                        break;
                    }
                    int before = b.remaining();
                    p.to.write(b);
                    p.queued -= before - b.remaining();
                    if (b.hasRemaining()) {
                        // The receiver's kernel buffer is full: wait until it is writable again.
                        p.blocked = true;
                        p.peer.key.interestOps(p.peer.key.interestOps() | SelectionKey.OP_WRITE);
                        break;
                    }
                    p.due.poll();
                    p.chunks.poll();
                }
                if (!p.conn.closed && p.queued < MAX_QUEUED && !p.eof && p.key.isValid()
                        && (p.key.interestOps() & SelectionKey.OP_READ) == 0) {
                    p.key.interestOps(p.key.interestOps() | SelectionKey.OP_READ);
                }
            } catch (IOException e) {
                close(p.conn);
            }
        }
    }

    private static void close(Conn c) {
        if (c.closed) {
            return;
        }
        c.closed = true;
        try {
            c.c2s.from.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
        try {
            c.s2c.from.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
        if (stats != null) {
            stats.println("conn " + c.n + ": c2s " + c.c2s.bytes + " s2c " + c.s2c.bytes + " turns " + c.turns
                    + " syncs " + c.syncs + " queries " + c.queries);
        }
    }
}
