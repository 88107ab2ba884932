package dev.rewind.detect;

import com.mongodb.client.MongoClient;
import dev.rewind.NamespacePattern;
import dev.rewind.capture.CaptureLoop;
import dev.rewind.capture.CaptureOptions;
import dev.rewind.repo.Repository;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Capture with detection running in-process, wired as {@code rewind capture --rules ... --alert-webhook ...}
 * wires it: seal interval 300 ms, idle interval 1 s.
 */
public final class DetectingCapture implements AutoCloseable {
    public final CaptureLoop loop;
    public final Alerts alerts;
    public final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final IncidentWatch watch;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    public DetectingCapture(Repository repo, MongoClient client, String uri, Rules rules, String webhook, Backoff backoff) {
        this(repo, client, uri, rules, webhook, backoff, Duration.ofSeconds(10));
    }

    public DetectingCapture(Repository repo, MongoClient client, String uri, Rules rules, String webhook, Backoff backoff,
                            Duration webhookTimeout) {
        loop = new CaptureLoop(repo, client, uri, new CaptureOptions(List.of(NamespacePattern.parse("famigo.*")),
                Duration.ofMillis(300), Duration.ofSeconds(1), null, 20_000), this::note);
        alerts = new Alerts(webhook == null ? List.of() : List.of(new WebhookSink(URI.create(webhook), webhookTimeout)),
                this::note, backoff, 1000);
        watch = new IncidentWatch(repo, rules, alerts, loop::covered, uri, this::note).startTicking();
        loop.onSealed(watch);
        thread = new Thread(() -> {
            try {
                loop.run(stop);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-capture");
        thread.start();
    }

    /** {@link System#nanoTime()} of the first ALERT log line (the detector's verdict), or 0. */
    public volatile long firstAlertNanos;

    private void note(String line) {
        if (firstAlertNanos == 0 && line.startsWith("ALERT")) {
            firstAlertNanos = System.nanoTime();
        }
        log.add(line);
    }

    /** Stops capture (sealing what it holds), waits for the alerts to go out, stops the alert threads. */
    /** Waits (at most a minute, else fails) until capture has sealed, and so the detector seen, everything written so far. */
    public void awaitCaptured(com.mongodb.client.MongoClient client) throws InterruptedException {
        dev.rewind.event.ClusterTime now = new dev.rewind.mongo.ClusterClock(client).now();
        long end = System.currentTimeMillis() + 60_000;
        while (loop.covered() == null || loop.covered().isBefore(now)) {
            org.assertj.core.api.Assertions.assertThat(System.currentTimeMillis()).as("capture catches up").isLessThan(end);
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join();
        watch.close();
        alerts.awaitIdle(Duration.ofSeconds(30));
        alerts.close();
    }
}
