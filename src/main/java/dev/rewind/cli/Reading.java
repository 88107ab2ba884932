package dev.rewind.cli;

import dev.rewind.repo.ReadMark;
import dev.rewind.repo.Repository;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The mark of a command that reads a repository for a while (restore, undo, diff, timeline, verify,
 * export), so that a forget or prune deletes nothing it reads ({@link ReadMark}); it waits up to 30
 * minutes for a forget or prune in progress. Close it when the command is done.
 */
final class Reading {
    private static final Duration PRUNE_PATIENCE = Duration.ofMinutes(30);

    private Reading() { }

    static ReadMark mark(Repository repo, CommandSpec spec) {
        PrintWriter err = spec.commandLine().getErr();
        return ReadMark.publish(repo.store(), spec.qualifiedName(" "), PRUNE_PATIENCE, line -> {
            err.println(line);
            err.flush();
        });
    }
}
