package dev.rewind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every help text, as {@code --help} prints it: picocli starts a new line for each element of a
 * description, so an element that ends mid-sentence shows as a sentence cut in two.
 */
class HelpTest {
    @Test
    void noDescriptionLineOfAnyCommandOrOptionEndsMidSentence() {
        List<String> cut = new ArrayList<>();
        collect(Main.commandLine(), cut);
        assertThat(cut).as("description lines that end mid-sentence").isEmpty();
    }

    @Test
    void everyCommandsHelpRunsAndExitsZero() {
        for (CommandLine sub : Main.commandLine().getSubcommands().values()) {
            if (sub.getCommandName().equals("help")) {
                continue;
            }
            CliRun.Result r = CliRun.run(sub.getCommandName(), "--help");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).startsWith("Usage: rewind " + sub.getCommandName());
        }
    }

    /**
     * A command line that names a subcommand gets a tree of that one only (Main, for a faster
     * start): its help must be the same as in the whole tree, and everything else (help, a typo,
     * no subcommand) must still see every subcommand.
     */
    @Test
    void aCommandLineThatNamesOneSubcommandGetsTheSameCommandAsTheWholeTree() {
        CommandLine whole = Main.commandLine();
        for (CommandLine sub : whole.getSubcommands().values()) {
            String name = sub.getCommandName();
            CommandLine lean = Main.commandLine(name, "--help");
            if (name.equals("help") || name.equals("generate-completion")) {
                assertThat(lean.getSubcommands()).containsOnlyKeys(whole.getSubcommands().keySet());
                continue;
            }
            assertThat(lean.getSubcommands()).containsOnlyKeys(name);
            assertThat(lean.getSubcommands().get(name).getUsageMessage()).isEqualTo(sub.getUsageMessage());
        }
        assertThat(Main.commandLine("--help").getSubcommands()).hasSameSizeAs(whole.getSubcommands());

        CliRun.Result typo = CliRun.run("snapshto", "--repo", "x");
        assertThat(typo.exitCode()).as(typo.toString()).isEqualTo(2);
        assertThat(typo.err()).contains("snapshto").contains("rewind snapshot");
        CliRun.Result help = CliRun.run("help", "undo");
        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(help.out()).startsWith("Usage: rewind undo");
        CliRun.Result version = CliRun.run("--version");
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.out()).startsWith("rewind ").contains("repository formats");
        assertThat(Main.commandLine("--version", "snapshot").getSubcommands()).hasSameSizeAs(whole.getSubcommands());
        CliRun.Result none = CliRun.run();
        assertThat(none.out()).contains("snapshot").contains("undo").contains("copy");
    }

    private static void collect(CommandLine cli, List<String> cut) {
        CommandSpec spec = cli.getCommandSpec();
        check(spec.qualifiedName(), spec.usageMessage().description(), cut);
        for (OptionSpec o : spec.options()) {
            check(spec.qualifiedName() + " " + o.longestName(), o.description(), cut);
        }
        for (CommandLine sub : cli.getSubcommands().values()) {
            if (sub.getCommandSpec().parent() == spec) {
                collect(sub, cut);
            }
        }
    }

    private static void check(String where, String[] lines, List<String> cut) {
        for (String line : lines) {
            String t = line.strip();
            boolean example = t.startsWith("rewind ");
            if (!t.isEmpty() && !example && !t.matches("(?s).*[.!?:)](%n)?$")) {
                cut.add(where + ": " + t);
            }
        }
    }
}
