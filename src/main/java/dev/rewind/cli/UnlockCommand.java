package dev.rewind.cli;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.repo.Repositories;
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
                "Only when its holder is gone: a lock whose process on this host has died is broken automatically.",
                "Refuses while the holder's process is alive on this host, unless --force."})
final class UnlockCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin RepoOptions repoOptions;
    @Spec CommandSpec spec;

    @Option(names = "--repo", paramLabel = "DIR", description = "The repository. Default: $REWIND_REPO, or \"repo\" in the config file.")
    String repo;

    @Option(names = "--force", description = "Remove the lock even though its holder is alive (it then stops at its next write).")
    boolean force;

    @Override
    public Integer call() throws IOException {
        repo = common.settings().repo(repo);
        Repository r = repoOptions.open(repo);
        WriterLock.Holder holder = WriterLock.current(r.store());
        var out = spec.commandLine().getOut();
        String current = holder == null ? null : "locks/break-" + holder.token();
        for (String marker : WriterLock.breakMarkers(r.store())) {
            if (!marker.equals(current)) {
                r.store().delete(marker);   // a marker of a lock that is gone: harmless, and in the way of nothing
            }
        }
        if (holder == null) {
            out.println("the repository is not locked");
            return 0;
        }
        if (holder.isAliveHere()) {
            if (!force) {
                throw new RewindException(ExitCode.LOCKED, "the lock is held by " + holder.describe()
                        + ", which is still running on this host", "stop that process (Ctrl-C or kill " + holder.pid()
                        + ") and it releases the lock; --force removes it anyway, and the holder then stops at its next write");
            }
            spec.commandLine().getErr().println("warning: removing the lock of a live process (pid " + holder.pid()
                    + "); it stops at its next write, and what it had not yet written is lost");
        } else if (!holder.host().equals(WriterLock.Holder.thisHostName())) {
            spec.commandLine().getErr().println("warning: the holder ran on " + holder.host() + ", where this command cannot"
                    + " see whether it is still alive; be sure it is gone");
        }
        r.store().delete(WriterLock.NAME);
        r.store().delete(current);   // left by a breaker that died half-way, it kept this stale lock in place
        out.println("removed the lock held by " + holder.describe());
        return 0;
    }
}
