package dev.rewind.metrics;

import com.sun.net.httpserver.HttpExchange;
import dev.rewind.RewindException;
import dev.rewind.capture.CaptureLoop;
import dev.rewind.detect.Alerts;
import dev.rewind.event.ClusterTime;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.Document;

/**
 * {@code capture --metrics HOST:PORT}: Prometheus metrics of the running capture on {@code /metrics}
 * (the Prometheus Java client's registry and HTTP exporter; every value is read when scraped) and a
 * health check on {@code /health}: 200 while capture runs and has sealed within three idle
 * intervals, 503 otherwise, with a small JSON body saying why (docs/service.md lists the metrics).
 */
public final class MetricsServer implements AutoCloseable {
    private static final Pattern ADDRESS = Pattern.compile("(\\[[0-9a-fA-F:]+]|[A-Za-z0-9.-]+):(\\d{1,5})");

    /** What the metrics read: the capture loop, the open incidents, the alert sinks' counters. */
    public record Sources(CaptureLoop loop, IntSupplier openIncidents, Supplier<List<Alerts.SinkCounts>> alerts,
                          long idleMillis) { }

    private final HTTPServer server;
    private final String host;

    private MetricsServer(HTTPServer server, String host) {
        this.server = server;
        this.host = host;
    }

    /** Parses {@code HOST:PORT} (port 0: any free port); a usage error (exit 2) otherwise. */
    public static String[] address(String text) {
        Matcher m = ADDRESS.matcher(text == null ? "" : text.trim());
        if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
            throw RewindException.usage("--metrics is not HOST:PORT: '" + text + "'",
                    "for example --metrics 127.0.0.1:9464 (port 0 picks a free one)");
        }
        String h = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
        return new String[] {h, m.group(2)};
    }

    public static MetricsServer start(String hostPort, Sources s) {
        String[] a = address(hostPort);
        PrometheusRegistry registry = new PrometheusRegistry();
        CaptureLoop loop = s.loop();
        GaugeWithCallback.builder().name("rewind_capture_up")
                .help("1 while capture runs (state running), 0 while it starts, retries or stops")
                .callback(cb -> cb.call("running".equals(loop.state()) ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("rewind_capture_lag_seconds")
                .help("Seconds between now and the position up to which every change is durable in the repository")
                .callback(cb -> {
                    ClusterTime covered = loop.covered();
                    if (covered != null) {
                        cb.call(Math.max(0, Instant.now().getEpochSecond() - covered.seconds()));
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("rewind_capture_last_seal_age_seconds")
                .help("Seconds since capture last sealed a segment (an idle capture seals every idle interval)")
                .callback(cb -> cb.call(loop.sinceLastSealMillis() / 1000.0)).register(registry);
        CounterWithCallback.builder().name("rewind_capture_events").help("Change events captured into the log; rate() gives events per second")
                .callback(cb -> cb.call(loop.events())).register(registry);
        CounterWithCallback.builder().name("rewind_capture_segments_sealed").help("Segments of the change log sealed")
                .callback(cb -> cb.call(loop.segments())).register(registry);
        CounterWithCallback.builder().name("rewind_capture_snapshots").help("Snapshots this capture took")
                .callback(cb -> cb.call(loop.snapshotsTaken())).register(registry);
        GaugeWithCallback.builder().name("rewind_incidents_open").help("Incidents open now")
                .callback(cb -> cb.call(s.openIncidents().getAsInt())).register(registry);
        CounterWithCallback.builder().name("rewind_alerts_delivered").help("Alerts delivered, per sink").labelNames("sink")
                .callback(cb -> s.alerts().get().forEach(c -> cb.call(c.delivered(), c.sink()))).register(registry);
        CounterWithCallback.builder().name("rewind_alert_failures").help("Failed alert deliveries (each attempt), per sink")
                .labelNames("sink").callback(cb -> s.alerts().get().forEach(c -> cb.call(c.failedAttempts(), c.sink())))
                .register(registry);
        CounterWithCallback.builder().name("rewind_alerts_lost").help("Alerts given up after retrying, or dropped from a full queue")
                .labelNames("sink").callback(cb -> s.alerts().get().forEach(c -> cb.call(c.lost(), c.sink()))).register(registry);
        try {
            HTTPServer server = HTTPServer.builder().hostname(a[0]).port(Integer.parseInt(a[1])).registry(registry)
                    .registerHealthHandler(false).defaultHandler(exchange -> health(exchange, s)).buildAndStart();
            return new MetricsServer(server, a[0]);
        } catch (IOException e) {
            throw new RewindException(dev.rewind.ExitCode.IO, "cannot serve metrics on " + hostPort + ": " + e.getMessage(),
                    "choose a free port, e.g. --metrics 127.0.0.1:9464, on an address of this host");
        }
    }

    /** {@code /health}: 200 when capture runs and seals, 503 otherwise; any other path is 404. */
    private static void health(HttpExchange exchange, Sources s) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/health")) {
                send(exchange, 404, "text/plain", "Rewind capture: metrics on /metrics, health on /health\n");
                return;
            }
            CaptureLoop loop = s.loop();
            boolean sealing = loop.sinceLastSealMillis() <= 3 * s.idleMillis() + 10_000;
            boolean healthy = "running".equals(loop.state()) && sealing;
            String why = healthy ? "capture runs and seals" : !"running".equals(loop.state()) ? "capture is " + loop.state()
                    : "no segment sealed for " + loop.sinceLastSealMillis() / 1000 + " s";
            Document body = new Document("status", healthy ? "ok" : "unhealthy").append("state", loop.state())
                    .append("reason", why).append("coveredTo", loop.covered() == null ? null : loop.covered().toString())
                    .append("events", loop.events()).append("openIncidents", s.openIncidents().getAsInt());
            send(exchange, healthy ? 200 : 503, "application/json", body.toJson() + "\n");
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The port it listens on (the one picked when asked for port 0). */
    public int port() {
        return server.getPort();
    }

    /** Where to scrape, for the log. */
    public String url() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/metrics";
    }

    @Override
    public void close() {
        server.close();
    }
}
