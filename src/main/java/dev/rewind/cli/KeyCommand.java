package dev.rewind.cli;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.repo.Repository;
import dev.rewind.repo.crypto.KeyFile;
import dev.rewind.repo.crypto.KeySource;
import dev.rewind.repo.crypto.Keyring;
import dev.rewind.repo.crypto.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rewind key add|list|remove}: the passwords and key files that open an encrypted repository. */
@Command(name = "key", mixinStandardHelpOptions = true,
        description = "Manage the passwords and key files that open an encrypted repository (each wraps the same master key).",
        subcommands = {KeyCommand.Add.class, KeyCommand.ListKeys.class, KeyCommand.Remove.class})
final class KeyCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static Repository openEncrypted(RepoOptions options, String repo) {
        Repository r = options.open(repo);
        if (!r.config().encrypted()) {
            throw new RewindException(ExitCode.REFUSED, "the repository at " + r.location() + " is not encrypted, so it has no keys",
                    "a repository is encrypted when it is created ('rewind init --encrypt'); this one was created in clear");
        }
        return r;
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add a password or key file that opens the repository.",
                    "Open it with an existing one (REWIND_PASSWORD, --password-file, --key-file); the new one comes from "
                    + "--new-password-file, --new-key-file or REWIND_NEW_PASSWORD."})
    static final class Add implements Callable<Integer> {
        @Mixin Common common;
        @Mixin RepoOptions repoOptions;
        @Spec CommandSpec spec;

        @Option(names = "--repo", required = true, paramLabel = "DIR", description = "The repository.")
        String repo;

        @Option(names = "--new-password-file", paramLabel = "FILE", description = "The new password: the first line of FILE.")
        Path newPasswordFile;

        @Option(names = "--new-key-file", paramLabel = "FILE", description = "The new key: the whole of FILE.")
        Path newKeyFile;

        @Override
        public Integer call() {
            Repository r = openEncrypted(repoOptions, repo);
            KeySource fresh = new KeySource(newPasswordFile, newKeyFile, System.getenv("REWIND_NEW_PASSWORD"));
            if (!fresh.given()) {
                throw RewindException.usage("no new password or key given",
                        "pass --new-password-file FILE or --new-key-file FILE, or set REWIND_NEW_PASSWORD");
            }
            Secret secret = fresh.secret(r.location());
            Keyring ring = r.keyring(KeyFile.LOG_N);
            for (KeyFile k : ring.all()) {
                if (k.unwrap(secret, r.config().id()) != null) {
                    throw new RewindException(ExitCode.REFUSED, "key " + k.id() + " already opens the repository with that secret",
                            "nothing to add; 'rewind key list' shows the keys");
                }
            }
            KeyFile added = ring.add(r.unlocked().master(), secret, newKeyFile != null ? "key file" : "password");
            var out = spec.commandLine().getOut();
            if (common.json) {
                out.println(describe(added, null).toJson());
            } else {
                out.println("added key " + added.id() + " (" + added.label() + ")");
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the keys: id, when and where each was added, what it is.")
    static final class ListKeys implements Callable<Integer> {
        @Mixin Common common;
        @Mixin RepoOptions repoOptions;
        @Spec CommandSpec spec;

        @Option(names = "--repo", required = true, paramLabel = "DIR", description = "The repository.")
        String repo;

        @Override
        public Integer call() {
            Repository r = openEncrypted(repoOptions, repo);
            List<KeyFile> keys = r.keyring(KeyFile.LOG_N).all();
            var out = spec.commandLine().getOut();
            String current = r.unlocked().key().id();
            if (common.json) {
                List<Document> docs = new ArrayList<>();
                keys.forEach(k -> docs.add(describe(k, current)));
                out.println(new Document("keys", docs).toJson());
                return 0;
            }
            TextTable t = new TextTable("id", "added", "host", "kind", "");
            for (KeyFile k : keys) {
                t.row(k.id(), k.created().toString(), k.host(), k.label(), k.id().equals(current) ? "(opened this time)" : "");
            }
            t.print(out, "");
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a key (never the one given to open the repository, so one always remains).")
    static final class Remove implements Callable<Integer> {
        @Mixin Common common;
        @Mixin RepoOptions repoOptions;
        @Spec CommandSpec spec;

        @Option(names = "--repo", required = true, paramLabel = "DIR", description = "The repository.")
        String repo;

        @Parameters(paramLabel = "ID", description = "The key's id (from 'rewind key list').")
        String id;

        @Override
        public Integer call() {
            Repository r = openEncrypted(repoOptions, repo);
            KeyFile gone = r.keyring(KeyFile.LOG_N).remove(id, r.unlocked().key());
            spec.commandLine().getOut().println("removed key " + gone.id() + " (" + gone.label() + ", added " + gone.created() + ")");
            return 0;
        }
    }

    static Document describe(KeyFile k, String current) {
        Document d = new Document("id", k.id()).append("created", k.created().toString()).append("host", k.host())
                .append("kind", k.label()).append("scryptN", 1 << k.logN());
        if (current != null) {
            d.append("current", k.id().equals(current));
        }
        return d;
    }
}
