package dev.rewind.cli;

import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import java.io.PrintWriter;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Opens a repository for a command that goes on past damaged files it does not need: each one is
 * named in a warning on standard error as it is met (a manifest that does not read, a stray file),
 * and the command does what the intact files allow.
 */
final class DamageWarnings {
    private DamageWarnings() { }

    static Repository open(String location, CommandSpec spec) {
        return open(location, line -> {
            PrintWriter err = spec.commandLine().getErr();
            err.println(line);
            err.flush();
        });
    }

    static Repository open(String location, Consumer<String> say) {
        Repository r = Repositories.open(location);
        r.reportDamageTo(d -> say.accept("warning: skipping " + d.describe()
                + " (run 'rewind verify --repo " + location + " --read-data')"));
        return r;
    }
}
