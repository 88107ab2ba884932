package dev.rewind.cli;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
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
        description = {"Tell Rewind's story on the embedded server, narrated: a families database under capture, an "
                + "accidental delete loop while sign-ups go on, the alert, the timeline, the undo with its conflicts.",
                "Exit code 0 only if every family the accident took is back (except the conflicts it reports)."})
final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--repo", paramLabel = "DIR", description = "Repository folder (default: a new temporary folder).")
    Path repo;

    @Option(names = "--families", defaultValue = "3000", description = "Families to create. Default: ${DEFAULT-VALUE}.")
    int families;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = repo != null ? repo : Files.createTempDirectory("rewind-demo").resolve("backups");
        Narrator say = new Narrator(out, Terminal.stdout(spec));
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            return new DemoStory(sandbox, client, dir, families, say, this::run).tell() ? 0 : 1;
        }
    }

    /** Runs a rewind command as a user would type it, its output indented under the narration. */
    int run(String... args) {
        PrintWriter out = spec.commandLine().getOut();
        out.println("   $ rewind " + String.join(" ", args));
        CommandLine cli = Main.commandLine(args);
        cli.setOut(new PrintWriter(new Narrator.Indenting(out), true));
        cli.setErr(new PrintWriter(new Narrator.Indenting(spec.commandLine().getErr()), true));
        return cli.execute(args);
    }
}
