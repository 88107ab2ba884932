package dev.rewind.cli;

import java.io.PrintWriter;
import java.io.Writer;
import picocli.CommandLine.Help.Ansi;

/** The demo's voice: numbered steps in bold (on a terminal), plain lines, indented command output. */
final class Narrator {
    private final PrintWriter out;
    private final Ansi ansi;

    Narrator(PrintWriter out, Ansi ansi) {
        this.out = out;
        this.ansi = ansi;
    }

    void step(String text) {
        out.println();
        out.println(ansi.string("@|bold " + text + "|@"));
        out.flush();
    }

    void line(String text) {
        out.println("   " + text);
        out.flush();
    }

    void alarm(String text) {
        out.println(ansi.string("   @|bold,red " + text + "|@"));
        out.flush();
    }

    /** Indents what a nested command prints, so the narration stands out. */
    static final class Indenting extends Writer {
        private final PrintWriter target;
        private boolean lineStart = true;

        Indenting(PrintWriter target) {
            this.target = target;
        }

        @Override
        public void write(char[] buf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (lineStart) {
                    target.write("     ");
                    lineStart = false;
                }
                target.write(buf[i]);
                if (buf[i] == '\n') {
                    lineStart = true;
                }
            }
        }

        @Override
        public void flush() {
            target.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
