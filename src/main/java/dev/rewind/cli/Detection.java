package dev.rewind.cli;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.detect.AlertSink;
import dev.rewind.detect.ExecSink;
import dev.rewind.detect.Rules;
import dev.rewind.detect.WebhookSink;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The detection options of {@code capture} turned into rules and alert sinks, with usage errors for bad values. */
final class Detection {
    private Detection() { }

    static Rules rules(Path file) {
        if (file == null) {
            return Rules.defaults();
        }
        try {
            return Rules.parse(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new RewindException(ExitCode.NOT_FOUND, "no rules file " + file, "check the --rules path");
        } catch (IOException e) {
            throw new RewindException(ExitCode.IO, "cannot read the rules file " + file + ": " + e.getMessage(),
                    "check the --rules path and its permissions", e);
        }
    }

    static List<AlertSink> sinks(String webhook, String exec) {
        List<AlertSink> out = new ArrayList<>();
        if (webhook != null) {
            try {
                URI url = new URI(webhook);
                if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
                    throw new URISyntaxException(webhook, "not an http or https URL");
                }
                out.add(new WebhookSink(url, Duration.ofSeconds(10)));
            } catch (URISyntaxException e) {
                throw RewindException.usage("--alert-webhook is not an http(s) URL: " + webhook,
                        "give the full URL, e.g. https://hooks.slack.com/services/T000/B000/XXXX");
            }
        }
        if (exec != null) {
            if (exec.isBlank()) {
                throw RewindException.usage("--alert-exec is empty", "give a shell command, e.g. --alert-exec 'cat >> alerts.ndjson'");
            }
            out.add(new ExecSink(exec, Duration.ofSeconds(60)));
        }
        return out;
    }
}
