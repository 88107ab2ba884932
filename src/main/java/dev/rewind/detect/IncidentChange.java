package dev.rewind.detect;

/** What happened to an incident in one round of the detector: it opened, grew, or closed. */
public record IncidentChange(Kind kind, Incident incident) {
    public enum Kind {
        OPENED, UPDATED, CLOSED;

        public String label() {
            return name().toLowerCase();
        }
    }
}
