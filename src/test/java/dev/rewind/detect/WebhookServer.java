package dev.rewind.detect;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.bson.Document;

/**
 * A real HTTP server on 127.0.0.1 that takes webhook POSTs. {@code behaviour} maps the request's
 * number (1, 2, ...) to the status to answer; a negative number means "sleep that many
 * milliseconds, then answer 500". Bodies answered 2xx are kept, in order.
 */
public final class WebhookServer implements AutoCloseable {
    private final HttpServer server;
    private final List<Document> delivered = new ArrayList<>();
    private final List<Long> deliveredNanos = new ArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();

    public WebhookServer(IntUnaryOperator behaviour) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "webhook-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = behaviour.applyAsInt(requests.incrementAndGet());
            if (status < 0) {
                try {
                    Thread.sleep(-status);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                status = 500;
            }
            if (status / 100 == 2) {
                synchronized (delivered) {
                    delivered.add(Document.parse(body));
                    deliveredNanos.add(System.nanoTime());
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public static WebhookServer alwaysOk() throws IOException {
        return new WebhookServer(n -> 200);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public int requests() {
        return requests.get();
    }

    /** The alerts answered 2xx, in the order they arrived. */
    public List<Document> delivered() {
        synchronized (delivered) {
            return new ArrayList<>(delivered);
        }
    }

    /** {@link System#nanoTime()} when each delivered alert arrived. */
    public List<Long> deliveredNanos() {
        synchronized (delivered) {
            return new ArrayList<>(deliveredNanos);
        }
    }

    /** Waits (up to {@code seconds}) until {@code n} alerts were delivered; returns them. */
    public List<Document> awaitDelivered(int n, int seconds) throws InterruptedException {
        long end = System.currentTimeMillis() + seconds * 1000L;
        while (delivered().size() < n && System.currentTimeMillis() < end) {
            Thread.sleep(50);
        }
        return delivered();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
