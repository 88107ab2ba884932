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
        return open(null, location, spec);
    }

    static Repository open(String location, Consumer<String> say) {
        return open(null, location, say);
    }

    /** Opens through {@code options} (S3 settings, the key of an encrypted repository) when given. */
    static Repository open(RepoOptions options, String location, CommandSpec spec) {
        return open(options, location, line -> {
            PrintWriter err = spec.commandLine().getErr();
            err.println(line);
            err.flush();
        });
    }

    static Repository open(RepoOptions options, String location, Consumer<String> say) {
        Repository r = options == null ? Repositories.open(location) : options.open(location);
        r.reportDamageTo(d -> say.accept("warning: skipping " + d.describe()
                + " (run 'rewind verify --repo " + location + " --read-data')"));
        return r;
    }
}
