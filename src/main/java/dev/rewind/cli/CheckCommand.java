package dev.rewind.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Integrity checks on a live database: dangling references and values that should be unique.",
                "Both only read. Exit code 0 when clean, 11 when problems were found."},
        subcommands = {CheckRefsCommand.class, CheckUniqueCommand.class})
final class CheckCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: refs or unique");
    }
}
