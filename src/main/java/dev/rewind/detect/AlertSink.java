package dev.rewind.detect;

/** Somewhere an alert goes. {@link #send} throws when delivery failed and is worth retrying. */
public interface AlertSink {
    /** For log lines, e.g. "webhook http://chat.example/hook". */
    String name();

    void send(Alert alert) throws Exception;
}
