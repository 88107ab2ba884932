package dev.rewind.cli;

import java.util.List;
import java.util.Set;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rewind} command: registers the subcommands and maps errors to exit codes.
 *
 * <p>picocli builds a command's model, every option of it, by reflection when the command is
 * registered; all 26 of them cost every command about 0.3 s of CPU at its start (docs/benchmarks.md). A command line that names a
 * subcommand registers only that one ({@link #commandLine(String...)}); help, completion and
 * anything picocli cannot find get the whole tree.
 */
@Command(name = "rewind",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Continuous backup, point-in-time restore and surgical undo for MongoDB.")
public final class Main implements Runnable {

    /** The subcommands, in the order help lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(
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
            CopyCommand.class);

    /** Options of rewind itself that read no subcommand. */
    private static final Set<String> NEED_NONE = Set.of("-V", "--version");

    /** Subcommands that need every other one registered beside them. */
    private static final Set<String> NEED_ALL = Set.of("help", "generate-completion");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns the exit code; used by tests to drive the CLI in-process. */
    public static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /** The whole command tree: every subcommand. */
    public static CommandLine commandLine() {
        return configured(SUBCOMMANDS);
    }

    /**
     * The tree that {@code args} need: only the subcommand they name when their first word is
     * one (the rest of the tree would be built and never read), none for {@code --version},
     * else the whole tree.
     */
    public static CommandLine commandLine(String... args) {
        if (args.length == 1 && NEED_NONE.contains(args[0])) {
            return configured(List.of());
        }
        if (args.length > 0 && !NEED_ALL.contains(args[0])) {
            for (Class<?> sub : SUBCOMMANDS) {
                if (sub.getAnnotation(Command.class).name().equals(args[0])) {
                    return configured(List.of(sub));
                }
            }
        }
        return commandLine();
    }

    private static CommandLine configured(List<Class<?>> subcommands) {
        CommandLine cli = new CommandLine(new Main());
        for (Class<?> sub : subcommands) {
            cli.addSubcommand(sub);
        }
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
