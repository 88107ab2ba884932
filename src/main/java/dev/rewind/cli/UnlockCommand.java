package dev.rewind.cli;

import dev.rewind.repo.Repository;
import dev.rewind.repo.WriterLock;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "unlock", mixinStandardHelpOptions = true,
        description = {"Remove the repository's writer lock.",
                "Only when its holder is gone: a lock whose process on this host has died is broken automatically."})
final class UnlockCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin RepoOptions repoOptions;
    @Spec CommandSpec spec;

    @Option(names = "--repo", required = true, paramLabel = "DIR", description = "The repository.")
    String repo;

    @Override
    public Integer call() throws IOException {
        Repository r = repoOptions.open(repo);
        WriterLock.Holder holder = WriterLock.current(r.store());
        var out = spec.commandLine().getOut();
        if (holder == null) {
            out.println("the repository is not locked");
            return 0;
        }
        r.store().delete(WriterLock.NAME);
        out.println("removed the lock held by " + holder.describe());
        return 0;
    }
}
