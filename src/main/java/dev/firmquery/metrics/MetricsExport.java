package dev.firmquery.metrics;

import dev.firmquery.config.AppConfig;
import dev.firmquery.threads.NamedThreads;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Where the metrics go for the life of a run or a UI session: the text format written to
 * {@code output.metrics_file} every {@link #FILE_PERIOD_SECONDS} s and at {@link #close()}, for
 * node_exporter's textfile collector; and an HTTP {@code /metrics} endpoint on {@code metrics.address}
 * : {@code metrics.port}, stopped at {@link #close()}.
 */
public final class MetricsExport implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsExport.class);

    /** How often the file is written: node_exporter reads it on each scrape, every 15 s by default. */
    static final int FILE_PERIOD_SECONDS = 5;

    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");

    private final PrometheusRegistry registry;
    private final Path file;
    private final ScheduledExecutorService fileWriter;
    private final HTTPServer server;
    private final ExecutorService serverThreads;

    private MetricsExport(PrometheusRegistry registry, Path file, ScheduledExecutorService fileWriter,
                          HTTPServer server, ExecutorService serverThreads) {
        this.registry = registry;
        this.file = file;
        this.fileWriter = fileWriter;
        this.server = server;
        this.serverThreads = serverThreads;
    }

    /**
     * Starts what {@code settings} ask for; nothing when they name neither a file nor a port.
     *
     * @throws IOException the file's folder does not exist or cannot be written, or the port cannot
     *                     be bound; the message says which and the setting to change
     */
    public static MetricsExport start(AppConfig.Metrics settings, PrometheusRegistry registry) throws IOException {
        Path file = settings.file() == null ? null : settings.file().toAbsolutePath();
        ScheduledExecutorService writer = null;
        HTTPServer server = null;
        ExecutorService threads = null;
        try {
            if (file != null) {
                write(registry, file); // at once, so that a wrong folder fails the run before it starts
                writer = Executors.newSingleThreadScheduledExecutor(NamedThreads.single("firmquery-metrics-file"));
                ScheduledExecutorService w = writer;
                w.scheduleWithFixedDelay(() -> writeQuietly(registry, file), FILE_PERIOD_SECONDS,
                        FILE_PERIOD_SECONDS, TimeUnit.SECONDS);
            }
            if (settings.port() > 0) {
                // One thread: a scrape every few seconds needs no more, and the host's cores are shared.
                threads = Executors.newFixedThreadPool(1, NamedThreads.numbered("firmquery-metrics-http"));
                try {
                    server = HTTPServer.builder().inetAddress(InetAddress.getByName(settings.address()))
                            .port(settings.port()).registry(registry).executorService(threads).buildAndStart();
                } catch (IOException e) {
                    throw new IOException("cannot serve metrics on " + settings.address() + ":" + settings.port()
                            + " (" + e.getMessage() + "); choose another metrics.port (--metrics-port) or free that one",
                            e);
                }
            }
            return new MetricsExport(registry, file, writer, server, threads);
        } catch (IOException | RuntimeException e) {
            if (writer != null) {
                writer.shutdownNow();
            }
            if (threads != null) {
                threads.shutdownNow();
            }
            throw e;
        }
    }

    /** The port the endpoint listens on (the one asked for, or the one chosen for port 0 in tests), or 0. */
    public int port() {
        return server == null ? 0 : server.getPort();
    }

    /**
     * Writes the text format to {@code target}: a new temporary file beside it (create-new, mode 0600,
     * never through a link), then renamed over the target in one step, so that node_exporter never
     * reads half a file (its documentation asks for exactly this).
     */
    static void write(PrometheusRegistry registry, Path target) throws IOException {
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("cannot write the metrics file " + target + ": its folder " + dir
                    + " does not exist; create it or change output.metrics_file (--metrics-file)");
        }
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
        Path tmp = posix ? Files.createTempFile(dir, "." + target.getFileName() + ".tmp-", "",
                PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE))
                : Files.createTempFile(dir, "." + target.getFileName() + ".tmp-", "");
        try {
            if (posix) {
                // The creation mode was filtered by the umask; set it exactly, not through a swapped link.
                Files.getFileAttributeView(tmp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setPermissions(OWNER_READ_WRITE);
            }
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
                PrometheusTextFormatWriter.create().write(out, registry.scrape());
            }
            // rename(2) replaces the name itself, never what a link there points at.
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IOException("cannot write the metrics file " + target + " (" + e.getMessage()
                    + "); check that its folder is writable or change output.metrics_file (--metrics-file)", e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeQuietly(PrometheusRegistry registry, Path target) {
        try {
            write(registry, target);
        } catch (IOException | RuntimeException e) {
            log.warn("{}", e.getMessage(), e);
        }
    }

    /** Writes the file a last time and stops the endpoint. */
    @Override
    public void close() throws IOException {
        try {
            if (fileWriter != null) {
                fileWriter.shutdownNow();
                try {
                    if (!fileWriter.awaitTermination(10, TimeUnit.SECONDS)) {
                        log.warn("the metrics file writer did not stop within 10 s");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                write(registry, file);
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (serverThreads != null) {
                serverThreads.shutdownNow();
            }
        }
    }
}
