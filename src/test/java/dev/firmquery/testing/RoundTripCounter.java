package dev.firmquery.testing;

import dev.firmquery.threads.NamedThreads;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy in front of a PostgreSQL server that counts the round trips its clients wait
 * on: the Sync ('S') and simple Query ('Q') messages they send, after each of which a PostgreSQL
 * client waits for ReadyForQuery. The same count as bench/Relay.java, without the delay, for specs
 * about how many round trips a chunk costs. Point {@code database.port} at {@link #port()}.
 */
public final class RoundTripCounter implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final ExecutorService threads = Executors.newCachedThreadPool(NamedThreads.numbered("test-round-trips"));
    private final AtomicLong roundTrips = new AtomicLong();

    /** Listens on a free loopback port and forwards every connection to {@code host:port}. */
    public RoundTripCounter(String host, int port) throws IOException {
        this.target = new InetSocketAddress(host, port);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    /** The port clients connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** Sync and Query messages sent by every client so far. */
    public long roundTrips() {
        return roundTrips.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket up = new Socket();
                up.connect(target, 5_000);
                client.setTcpNoDelay(true);
                up.setTcpNoDelay(true);
                threads.execute(() -> clientToServer(client, up));
                threads.execute(() -> copy(up, client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Forwards the client's bytes, counting its messages: untyped startup packets first, then typed ones. */
    private void clientToServer(Socket client, Socket up) {
        try (client; up; InputStream in = client.getInputStream(); OutputStream out = up.getOutputStream()) {
            byte[] buf = new byte[64 << 10];
            byte[] header = new byte[5];
            int fill = 0;
            long skip = 0;
            boolean startup = true;
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; ) {
                    if (skip > 0) {
                        int k = (int) Math.min(skip, n - i);
                        i += k;
                        skip -= k;
                        continue;
                    }
                    header[fill++] = buf[i++];
                    int headerLen = startup ? 4 : 5;
                    if (fill < headerLen) {
                        continue;
                    }
                    fill = 0;
                    int off = startup ? 0 : 1;
                    int len = ((header[off] & 0xff) << 24) | ((header[off + 1] & 0xff) << 16)
                            | ((header[off + 2] & 0xff) << 8) | (header[off + 3] & 0xff);
                    skip = Math.max(0, len - 4);
                    if (startup) {
                        startup = len == 8; // an SSLRequest or GSSENCRequest is followed by the StartupMessage
                    } else if (header[0] == 'S' || header[0] == 'Q') {
                        roundTrips.incrementAndGet();
                    }
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // a side closed: the connection is over
        }
    }

    private static void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // a side closed: the connection is over
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
