package dev.rewind.cli;

import dev.rewind.repo.Copy;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "copy", mixinStandardHelpOptions = true,
        description = {"Copy a repository to another place (e.g. off-site, s3://...): only the files the target lacks move.",
                "A new target becomes a copy of the source (same id and keys: an encrypted one is copied as it is, "
                + "without its password); an existing one must be such a copy, or both must be unencrypted."})
final class CopyCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin RepoOptions repoOptions;
    @Spec CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "REPO", description = "The repository to copy.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "REPO", description = "Where the copy goes (created if need be).")
    String to;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        long started = System.nanoTime();
        Copy.Result r = new Copy(repoOptions.store(from), repoOptions.store(to)).run(m -> err.println(m));
        double seconds = (System.nanoTime() - started) / 1e9;
        var out = spec.commandLine().getOut();
        if (common.json) {
            out.println(new Document("created", r.created()).append("copied", r.copied()).append("bytes", r.bytes())
                    .append("present", r.present()).append("vanished", r.vanished()).append("seconds", seconds).toJson());
        } else {
            out.println((r.created() ? "created the copy; " : "") + "copied " + Units.count(r.copied()) + " file(s), "
                    + Units.bytes(r.bytes()) + "; " + Units.count(r.present()) + " already there"
                    + (r.vanished() > 0 ? "; " + r.vanished() + " vanished from the source meanwhile (forgotten or pruned)" : ""));
        }
        return 0;
    }
}
