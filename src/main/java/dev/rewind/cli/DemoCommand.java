package dev.rewind.cli;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.rewind.bench.Families;
import dev.rewind.sandbox.Sandbox;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Show Rewind on the embedded server, narrated: a families database, a snapshot,",
                "a restore under new names, and a verification. Exit code 0 only if the copy is complete."})
final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--repo", paramLabel = "DIR", description = "Repository folder (default: a new temporary folder).")
    Path repo;

    @Option(names = "--families", defaultValue = "5000", description = "Families to create. Default: ${DEFAULT-VALUE}.")
    int families;

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        Path dir = repo != null ? repo : Files.createTempDirectory("rewind-demo").resolve("backups");
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            String uri = sandbox.uri();
            step("1. An embedded MongoDB-compatible server is running at " + uri);
            new Families(1).insert(client.getDatabase("famigo").getCollection("family"), families);
            client.getDatabase("famigo").getCollection("family").createIndex(new org.bson.Document("email", 1),
                    new com.mongodb.client.model.IndexOptions().unique(true));
            say("   created famigo.family with " + String.format("%,d", families) + " families and a unique index on email");

            step("2. Create a repository");
            run("init", "--repo", dir.toString());

            step("3. Take a snapshot of famigo.*");
            run("snapshot", "--uri", uri, "--repo", dir.toString(), "--ns", "famigo.*", "--quiet");

            step("4. A second snapshot of the unchanged database stores almost nothing new");
            run("snapshot", "--uri", uri, "--repo", dir.toString(), "--ns", "famigo.*", "--quiet");
            run("snapshots", "--repo", dir.toString());

            step("5. Restore the latest snapshot under new names");
            run("restore", "--repo", dir.toString(), "--uri", uri, "--ns-from", "famigo.*", "--ns-to", "famigo_restored.*", "--quiet");

            step("6. Verify every object in the repository");
            run("verify", "--repo", dir.toString(), "--read-data");

            long original = client.getDatabase("famigo").getCollection("family").countDocuments();
            long restored = client.getDatabase("famigo_restored").getCollection("family").countDocuments();
            boolean complete = original == restored && original == families;
            step(complete ? "Done: famigo_restored.family holds all " + String.format("%,d", restored) + " families."
                    : "FAILED: the restored copy holds " + restored + " of " + original + " families.");
            say("Next, against a real deployment:");
            say("   ./rewind init --repo ./backups");
            say("   ./rewind snapshot --uri 'mongodb://HOST:27017/' --repo ./backups --ns 'famigo.*'");
            say("   ./rewind restore --repo ./backups --uri 'mongodb://HOST:27017/' --ns-from 'famigo.*' --ns-to 'famigo_restored.*'");
            say("(the demo repository is in " + dir + ")");
            return complete ? 0 : 1;
        }
    }

    private void run(String... args) {
        say("   $ rewind " + String.join(" ", args));
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new IndentingWriter(out), true));
        cli.setErr(new PrintWriter(new IndentingWriter(spec.commandLine().getErr()), true));
        int code = cli.execute(args);
        if (code != 0) {
            throw new dev.rewind.RewindException(dev.rewind.ExitCode.INTERNAL,
                    "demo step 'rewind " + args[0] + "' failed with exit code " + code, "rerun with --verbose");
        }
    }

    private void step(String text) {
        out.println();
        out.println(spec.commandLine().getColorScheme().ansi().string("@|bold " + text + "|@"));
        out.flush();
    }

    private void say(String text) {
        out.println(text);
        out.flush();
    }

    /** Indents what a nested command prints, so the narration stands out. */
    private static final class IndentingWriter extends java.io.Writer {
        private final PrintWriter target;
        private boolean lineStart = true;

        IndentingWriter(PrintWriter target) {
            this.target = target;
        }

        @Override
        public void write(char[] buf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (lineStart) {
                    target.write("     ");
                    lineStart = false;
                }
                target.write(buf[i]);
                if (buf[i] == '\n') {
                    lineStart = true;
                }
            }
        }

        @Override
        public void flush() {
            target.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
