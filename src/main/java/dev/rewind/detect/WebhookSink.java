package dev.rewind.detect;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** POSTs the alert's JSON to a URL (a Slack incoming webhook takes its {@code text}); any 2xx is delivered. */
public final class WebhookSink implements AlertSink {
    private final URI url;
    private final Duration timeout;
    private final HttpClient http;

    public WebhookSink(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String name() {
        return "webhook " + dev.rewind.Redact.uri(url.toString());
    }

    @Override
    public void send(Alert alert) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "rewind")
                .POST(HttpRequest.BodyPublishers.ofString(alert.toJson(), StandardCharsets.UTF_8)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("HTTP " + response.statusCode());
        }
    }
}
