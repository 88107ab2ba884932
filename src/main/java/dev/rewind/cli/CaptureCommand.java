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
import dev.rewind.metrics.MetricsServer;
import dev.rewind.mongo.Connection;
import dev.rewind.repo.Repository;
import dev.rewind.repo.WriterLock;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
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

    @Option(names = "--uri", description = "Connection string of the deployment to protect. Default: $REWIND_URI, or \"uri\" in the config file.")
    String uri;

    @Option(names = "--repo", paramLabel = "DIR", description = "The repository. Default: $REWIND_REPO, or \"repo\" in the config file.")
    String repo;

    @Option(names = "--ns", paramLabel = "PATTERN", description = "Namespaces to capture, e.g. 'famigo.*' (repeatable; default: all).")
    List<String> ns = new ArrayList<>();

    @Option(names = "--snapshot-every", paramLabel = "DURATION", description = "Take a snapshot this often, e.g. 24h (default: only the first).")
    String snapshotEvery;

    @Option(names = "--seal-interval", paramLabel = "DURATION",
            description = "Longest time a change waits before it is durable in the repository (the RPO). Default: 2s.")
    String sealInterval;

    @Option(names = "--idle-interval", paramLabel = "DURATION",
            description = "How often an idle capture still records its position (an empty segment). Default: the seal interval.")
    String idleInterval;

    @Option(names = "--metrics", paramLabel = "HOST:PORT",
            description = "Serve Prometheus metrics on http://HOST:PORT/metrics and a health check on /health,"
                    + " e.g. 127.0.0.1:9464 (port 0: any free port, printed at start).")
    String metrics;

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
        repo = common.settings().repo(repo);
        uri = common.settings().uri(uri);
        Settings settings = common.settings();
        List<NamespacePattern> patterns = NamespacePattern.parseAll(settings.ns(ns));
        sealInterval = settings.option(sealInterval, "capture", "sealInterval");
        idleInterval = settings.option(idleInterval, "capture", "idleInterval");
        snapshotEvery = settings.option(snapshotEvery, "capture", "snapshotEvery");
        metrics = settings.option(metrics, "capture", "metrics");
        CaptureOptions options = new CaptureOptions(patterns,
                atLeast("--seal-interval", sealInterval == null ? "2s" : sealInterval, Duration.ofMillis(10)),
                atLeast("--idle-interval", idleInterval == null ? (sealInterval == null ? "2s" : sealInterval) : idleInterval,
                        Duration.ofMillis(100)),
                snapshotEvery == null ? null : atLeast("--snapshot-every", snapshotEvery, Duration.ofMinutes(1)), 20_000);
        if (metrics != null) {
            MetricsServer.address(metrics);
        }
        dev.rewind.retention.RetentionPolicy policy = keep.parse();
        java.time.Duration retentionEvery = PointInTime.duration(forgetEvery);
        PrintWriter err = spec.commandLine().getErr();
        Repository r = DamageWarnings.open(repoOptions, repo, m -> say(err, m));
        String rulesPath = rules != null ? rules.toString() : settings.inlineRules() != null ? null
                : settings.option(null, "detect", "rules");
        Rules detection = rules == null && settings.inlineRules() != null
                ? Rules.parse(settings.inlineRules(), "detect.rules of the " + settings.configName())
                : Detection.rules(rulesPath == null ? null : Path.of(rulesPath));
        List<AlertSink> sinks = Detection.sinks(settings.option(alertWebhook, "detect", "alertWebhook"),
                settings.option(alertExec, "detect", "alertExec"));
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
            CaptureLoop loop = new CaptureLoop(r, c.client(), c.redactedUri(), options, m -> say(err, m)).guardedBy(lock);
            try (dev.rewind.retention.RetentionJob retention = policy.isEmpty() ? null
                         : new dev.rewind.retention.RetentionJob(r, policy, retentionEvery, m -> say(err, m)).start();
                 Alerts alerts = new Alerts(sinks, m -> say(err, m), Backoff.DEFAULT, 1000);
                 IncidentWatch watch = new IncidentWatch(r, detection, alerts, loop::covered, c.redactedUri(),
                         m -> say(err, m)).startTicking();
                 MetricsServer served = metrics == null ? null : MetricsServer.start(metrics, new MetricsServer.Sources(loop,
                         watch::openIncidents, alerts::counts, options.idleInterval().toMillis()))) {
                loop.onSealed(watch);
                if (served != null) {
                    say(err, "metrics on " + served.url() + ", health on " + served.url().replace("/metrics", "/health"));
                }
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

    /** A duration option no shorter than {@code least}: shorter ones are mistakes (a snapshot every millisecond). */
    static Duration atLeast(String option, String text, Duration least) {
        Duration d = PointInTime.duration(text);
        if (d.compareTo(least) < 0) {
            throw dev.rewind.RewindException.usage(option + " " + text + " is too short: it must be at least "
                    + Units.duration(least), option + " takes a duration such as 2s, 30m or 24h");
        }
        return d;
    }

    static void say(PrintWriter err, String message) {
        err.println(java.time.LocalTime.now(java.time.ZoneOffset.UTC).withNano(0) + "Z " + message);
        err.flush();
    }

}
