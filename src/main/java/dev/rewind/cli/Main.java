package dev.rewind.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rewind} command: registers the subcommands and maps errors to exit codes. */
@Command(name = "rewind",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Continuous backup, point-in-time restore and surgical undo for MongoDB.",
        subcommands = {
                CommandLine.HelpCommand.class,
                AutoComplete.GenerateCompletion.class,
                SandboxCommand.class,
                InitCommand.class,
                SnapshotCommand.class,
                SnapshotsCommand.class,
                RestoreCommand.class,
                CaptureCommand.class,
                StatusCommand.class,
                UndoCommand.class,
                IncidentsCommand.class,
                JournalsCommand.class,
                VerifyCommand.class,
                UnlockCommand.class,
                DemoCommand.class,
                BenchCommand.class,
                CheckCommand.class,
                TimelineCommand.class,
                DiffCommand.class,
                ImportCommand.class,
                ExportCommand.class,
                SalvageCommand.class,
                KeyCommand.class,
                ForgetCommand.class,
                PruneCommand.class,
                CopyCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns the exit code; used by tests to drive the CLI in-process. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        Errors errors = new Errors();
        cli.setExecutionExceptionHandler(errors);
        cli.setParameterExceptionHandler(errors);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"rewind " + (v == null ? "dev" : v) + " (reads repository formats "
                    + dev.rewind.repo.RepoConfig.OLDEST_VERSION + " to " + dev.rewind.repo.RepoConfig.VERSION + "; init makes "
                    + dev.rewind.repo.RepoConfig.VERSION + ")"};
        }
    }
}
