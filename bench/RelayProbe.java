// firmquery benchmark: measures the round trip that bench/Relay.java really adds. Bench code, not
// part of the application jar; run it as a single-file program:
//
//   java bench/RelayProbe.java RTT_MS[,RTT_MS...] [PINGS]
//   java -Drelay.classpath=DIR -cp DIR RelayProbe ...     (both compiled into DIR, as bench/run.sh does)
//
// For each RTT it starts an echo server on loopback and Relay.java (as a child process, exactly as
// bench/run.sh does) in front of it, then times PINGS request/response turns through the relay of
// two shapes: 1 byte each way, and a 1-byte request answered with 48 KiB (about one 250-ID chunk's
// rows of the benchmark's query, so a turn also pays the transfer). The same turns go straight to the
// echo server first, and the line printed per RTT and shape is
//   rtt R ms  shape S: direct median M ms; through the relay p10 A  median B  p90 C ms; added B-M ms
// so "added" is what a client waits on per round trip beyond loopback's own, to be compared with R,
// then the relay's own CPU over the probe ("relay: process_cpu_ms=...").
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

public final class RelayProbe {
    private static final int BIG = 48 << 10;

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: java RelayProbe.java RTT_MS[,RTT_MS...] [PINGS]");
            System.exit(2);
        }
        int pings = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        try (ServerSocket echo = new ServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> serve(echo), "probe-echo");
            t.setDaemon(true);
            t.start();
            // -Drelay.classpath=DIR runs the compiled Relay in DIR (as bench/run.sh does); otherwise the
            // source file, from the top of the checkout.
            String compiled = System.getProperty("relay.classpath");
            Path relaySource = Path.of("bench", "Relay.java");
            if (compiled == null && !Files.isRegularFile(relaySource)) {
                throw new IllegalStateException("no " + relaySource.toAbsolutePath()
                        + ": run the probe from the top of the checkout (java bench/RelayProbe.java ...)");
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            for (String rtt : args[0].split(",")) {
                int port = freePort();
                Path log = Files.createTempFile("relay-probe", ".log");
                List<String> cmd = new ArrayList<>(compiled != null
                        ? List.of(java, "-Xmx64m", "-XX:+UseSerialGC", "-cp", compiled, "Relay")
                        : List.of(java, relaySource.toString()));
                cmd.addAll(List.of(String.valueOf(port), "127.0.0.1", String.valueOf(echo.getLocalPort()), rtt));
                Process relay = new ProcessBuilder(cmd)
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                long started = System.nanoTime();
                try {
                    for (int size : new int[] {1, BIG}) {
                        double direct = median(turns(echo.getLocalPort(), size, pings));
                        double[] via = turns(waitFor(port), size, pings);
                        System.out.printf("rtt %s ms  shape %s: direct median %.3f ms; through the relay p10 %.3f"
                                        + "  median %.3f  p90 %.3f ms; added %.3f ms%n", rtt,
                                size == 1 ? "1 B" : "48 KiB", direct, pct(via, 10), median(via), pct(via, 90),
                                median(via) - direct);
                    }
                } finally {
                    relay.destroy();
                    relay.waitFor(5, TimeUnit.SECONDS);
                    double wall = (System.nanoTime() - started) / 1e9;
                    for (String line : Files.readAllLines(log)) {
                        if (line.startsWith("relay: process_cpu_ms=")) {
                            System.out.printf("rtt %s ms  relay: %s over %.1f s of probing (including its start)%n",
                                    rtt, line.substring("relay: ".length(), line.indexOf(' ', 7)), wall);
                        }
                    }
                    Files.delete(log);
                }
            }
        }
    }

    /** The echo side: reads one byte, answers with that many KiB-ish bytes (1 or BIG). */
    private static void serve(ServerSocket echo) {
        while (true) {
            try {
                Socket s = echo.accept();
                s.setTcpNoDelay(true);
                Thread h = new Thread(() -> {
                    byte[] big = new byte[BIG];
                    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                        int b;
                        while ((b = in.read()) >= 0) {
                            if (b == 1) {
                                out.write(1);
                            } else {
                                out.write(big);
                            }
                            out.flush();
                        }
                    } catch (IOException ignored) {
                        // the probe closed its side
                    }
                }, "probe-echo-conn");
                h.setDaemon(true);
                h.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static double[] turns(int port, int size, int pings) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] buf = new byte[size];
            double[] ms = new double[pings];
            for (int i = -pings / 10; i < pings; i++) { // the first tenth warms up, untimed
                long t0 = System.nanoTime();
                out.write(size == 1 ? 1 : 2);
                out.flush();
                in.readFully(buf);
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            return ms;
        }
    }

    private static int waitFor(int port) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return port;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("the relay did not listen on " + port + " within 30 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static double median(double[] v) {
        return pct(v, 50);
    }

    private static double pct(double[] v, int p) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[Math.min(c.length - 1, c.length * p / 100)];
    }
}
