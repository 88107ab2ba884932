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
        description = {"Run the embedded MongoDB-compatible server (mongo-java-server) for trying Rewind.",
                "It is not MongoDB: it has only collection-level change streams, no transactions and no sessions.",
                "Stops on Ctrl-C."})
final class SandboxCommand implements Callable<Integer> {
    @Mixin Common common;
    @Spec CommandSpec spec;

    @Option(names = "--port", defaultValue = "27017", description = "Port to listen on (0 = any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to bind. Default: ${DEFAULT-VALUE}.")
    String bind;

    @Option(names = "--data", paramLabel = "DIR", description = "Keep the data in DIR (H2 file backend) instead of in memory.")
    Path data;

    @Override
    public Integer call() throws InterruptedException {
        Sandbox sandbox;
        try {
            sandbox = Sandbox.start(bind, port, data);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof java.net.BindException
                    || String.valueOf(e.getMessage()).contains("Address already in use")) {
                throw new dev.rewind.RewindException(dev.rewind.ExitCode.IO,
                        "cannot listen on " + bind + ":" + port + ": address already in use",
                        "stop what is using that port, or pick another with --port");
            }
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "sandbox-shutdown"));
        var out = spec.commandLine().getOut();
        out.println("sandbox listening on " + sandbox.uri() + (data == null ? " (in memory)" : " (data in " + data + ")"));
        out.println("connect with: mongosh " + sandbox.uri() + "   stop with Ctrl-C");
        out.flush();
        stopped.await();
        return 0;
    }
}
