package dev.rewind.undo;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The plan for one document: its outcome, its state at T1 ({@code target}, null when absent
 * then), its live state ({@code live}, null when absent now), and for a unique-key conflict the key
 * and the _id of the document that holds it now.
 */
public record DocumentUndo(String ns, BsonValue id, Outcome outcome, BsonDocument target, BsonDocument live,
                           String detail, BsonValue holder) {
}
