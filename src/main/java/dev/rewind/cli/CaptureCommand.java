package dev.rewind.cli;

import dev.rewind.NamespacePattern;
import dev.rewind.PointInTime;
import dev.rewind.capture.CaptureLoop;
import dev.rewind.capture.CaptureOptions;
import dev.rewind.detect.AlertSink;
import dev.rewind.detect.Alerts;
import dev.rewind.detect.Backoff;
import dev.rewind.detect.IncidentWatch;
import dev.rewind.detect.Rules;
import dev.rewind.mongo.Connection;
import dev.rewind.repo.Repository;
import dev.rewind.repo.WriterLock;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "capture", mixinStandardHelpOptions = true,
        description = {"Capture every change continuously into the repository (runs until Ctrl-C or SIGTERM).",
                "Takes the first snapshot itself when the repository has none; seals a segment every few seconds."})
final class CaptureCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin RepoOptions repoOptions;
    @Spec CommandSpec spec;

    @Option(names = "--uri", required = true, description = "Connection string of the deployment to protect.")
    String uri;

    @Option(names = "--repo", required = true, paramLabel = "DIR", description = "The repository.")
    String repo;

    @Option(names = "--ns", paramLabel = "PATTERN", description = "Namespaces to capture, e.g. 'famigo.*' (repeatable; default: all).")
    List<String> ns = new ArrayList<>();

    @Option(names = "--snapshot-every", paramLabel = "DURATION", description = "Take a snapshot this often, e.g. 24h (default: only the first).")
    String snapshotEvery;

    @Option(names = "--seal-interval", defaultValue = "2s", paramLabel = "DURATION",
            description = "Longest time a change waits before it is durable in the repository (the RPO). Default: ${DEFAULT-VALUE}.")
    String sealInterval;

    @Option(names = "--idle-interval", paramLabel = "DURATION",
            description = "How often an idle capture still records its position (an empty segment). Default: the seal interval.")
    String idleInterval;

    @Option(names = "--rules", paramLabel = "FILE",
            description = "Detection rules (JSON, see docs/detect.md). Default: the built-in rules (mass delete, drop, mass update).")
    Path rules;

    @Option(names = "--alert-webhook", paramLabel = "URL",
            description = "POST each opened and closed incident here as JSON (a Slack-compatible 'text' and the incident).")
    String alertWebhook;

    @picocli.CommandLine.Mixin ForgetCommand.Policy keep;

    @Option(names = "--forget-every", defaultValue = "1h", paramLabel = "DURATION",
            description = "With --keep-*: apply the policy (forget, then prune) this often as capture goes. Default: ${DEFAULT-VALUE}.")
    String forgetEvery;

    @Option(names = "--alert-exec", paramLabel = "SCRIPT",
            description = "Run 'sh -c SCRIPT' for each opened and closed incident, with the alert's JSON on standard input.")
    String alertExec;

    @Override
    public Integer call() throws Exception {
        List<NamespacePattern> patterns = NamespacePattern.parseAll(ns);
        CaptureOptions options = new CaptureOptions(patterns, PointInTime.duration(sealInterval),
                PointInTime.duration(idleInterval == null ? sealInterval : idleInterval), snapshotEvery == null ? null : PointInTime.duration(snapshotEvery), 20_000);
        dev.rewind.retention.RetentionPolicy policy = keep.parse();
        java.time.Duration retentionEvery = PointInTime.duration(forgetEvery);
        Repository r = repoOptions.open(repo);
        PrintWriter err = spec.commandLine().getErr();
        Rules detection = Detection.rules(rules);
        List<AlertSink> sinks = Detection.sinks(alertWebhook, alertExec);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "capture-shutdown");
        // the lock is released by close, after the loop has sealed, not by its own concurrent exit hook
        try (WriterLock lock = r.lock("rewind capture").releasedOnlyByClose();
             Connection c = Connection.open(uri)) {
            if (lock.warning() != null) {
                say(err, "warning: " + lock.warning());
            }
            Runtime.getRuntime().addShutdownHook(hook);
            CaptureLoop loop = new CaptureLoop(r, c.client(), c.redactedUri(), options, m -> say(err, m));
            try (dev.rewind.retention.RetentionJob retention = policy.isEmpty() ? null
                         : new dev.rewind.retention.RetentionJob(r, policy, retentionEvery, m -> say(err, m)).start();
                 Alerts alerts = new Alerts(sinks, m -> say(err, m), Backoff.DEFAULT, 1000);
                 IncidentWatch watch = new IncidentWatch(r, detection, alerts, loop::covered, c.redactedUri(),
                         m -> say(err, m)).startTicking()) {
                loop.onSealed(watch);
                say(err, "capture started: repository " + r.location() + ", seal interval " + options.sealInterval().toMillis()
                        + " ms; detecting with " + detection.rules().size() + " rules" + (sinks.isEmpty() ? ""
                        : ", alerting to " + String.join(" and ", sinks.stream().map(AlertSink::name).toList()))
                        + "; stop with Ctrl-C");
                loop.run(stop);
                if (!alerts.awaitIdle(java.time.Duration.ofSeconds(5))) {
                    say(err, "some alerts are still undelivered; stopping anyway");
                }
            }
            say(err, "capture stopped; the open segment is sealed");
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
        return 0;
    }

    static void say(PrintWriter err, String message) {
        err.println(LocalTime.now().withNano(0) + " " + message);
        err.flush();
    }

}
