package dev.rewind.cli;

import dev.rewind.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = {"Run the embedded sandbox: an emulation of a single-node MongoDB replica set (rs0) for trying "
                + "Rewind, with sessions, transactions, change streams of every scope and MongoDB's event shapes, "
                + "on mongo-java-server's storage. It is not MongoDB: the README lists what still differs.",
                "Stops on Ctrl-C."})
final class SandboxCommand implements Callable<Integer> {
    @Mixin Common common;
    @Spec CommandSpec spec;

    @Option(names = "--port", defaultValue = "27017", description = "Port to listen on (0 = any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to bind. Default: ${DEFAULT-VALUE}.")
    String bind;

    @Option(names = "--data", paramLabel = "DIR", description = "Keep the data, oplog and catalog in DIR (H2 file) instead of in memory.")
    Path data;

    @Option(names = "--mongodb", paramLabel = "VERSION", defaultValue = "7.0",
            description = "The MongoDB release to emulate: 6.0, 7.0 or 8.0. Default: ${DEFAULT-VALUE}.")
    String mongodb;

    @Option(names = "--oplog-size", paramLabel = "MB", defaultValue = "192",
            description = "The oplog's size in MB (oplogSizeMB); older entries go first. Default: ${DEFAULT-VALUE}.")
    long oplogMb;

    @Option(names = "--ttl-monitor-sleep", paramLabel = "SECONDS", defaultValue = "60",
            description = "How often the TTL monitor deletes expired documents (ttlMonitorSleepSecs). Default: ${DEFAULT-VALUE}.")
    long ttlSeconds;

    @Override
    public Integer call() throws InterruptedException {
        Sandbox sandbox;
        try {
            dev.rewind.sandbox.MongoRelease release;
            try {
                release = dev.rewind.sandbox.MongoRelease.of(mongodb);
            } catch (IllegalArgumentException e) {
                throw dev.rewind.RewindException.usage("--mongodb must be 6.0, 7.0 or 8.0, not '" + mongodb + "'",
                        "for example --mongodb 8.0");
            }
            if (oplogMb < 1) {
                throw dev.rewind.RewindException.usage("--oplog-size must be at least 1 (MB)", "for example --oplog-size 192");
            }
            if (ttlSeconds < 1) {
                throw dev.rewind.RewindException.usage("--ttl-monitor-sleep must be at least 1 (second)", "mongod's default is 60");
            }
            sandbox = Sandbox.start(dev.rewind.sandbox.SandboxOptions.defaults().release(release).listen(bind, port)
                    .dataDir(data).oplogBytes(oplogMb << 20).ttlMonitorSleep(java.time.Duration.ofSeconds(ttlSeconds)));
        } catch (dev.rewind.RewindException e) {
            throw e;
        } catch (Exception e) {   // netty rethrows the bind failure itself, unchecked or not
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.net.BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
                    throw new dev.rewind.RewindException(dev.rewind.ExitCode.IO,
                            "cannot listen on " + bind + ":" + port + ": address already in use",
                            "stop what is using that port, or pick another with --port");
                }
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "sandbox-shutdown"));
        var out = spec.commandLine().getOut();
        out.println("sandbox (MongoDB " + sandbox.options().release().version() + " replica set rs0) listening on "
                + sandbox.uri() + (data == null ? " (in memory)" : " (data in " + data + ")"));
        out.println("connect with: mongosh " + sandbox.uri() + "   stop with Ctrl-C");
        out.flush();
        stopped.await();
        return 0;
    }
}
