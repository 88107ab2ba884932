package dev.rewind.restore;

import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * The {@code create} command that makes a restore target as its source was: a collection with its
 * options, a time-series collection with its {@code timeseries} options, a view with its definition
 * (its {@code viewOn} mapped to where the restore puts that collection, when it goes to the same
 * database). Pure.
 */
public final class CreateCommand {
    private CreateCommand() {}

    /** Indexes as listIndexes lists them, as createIndexes takes them: without {@code v} and {@code ns}, and without the _id index every collection has. */
    public static List<Document> indexSpecs(List<Document> listed) {
        List<Document> out = new ArrayList<>();
        for (Document index : listed) {
            if ("_id_".equals(index.getString("name"))) {
                continue;
            }
            Document spec = new Document(index);
            spec.remove("v");
            spec.remove("ns");
            out.add(spec);
        }
        return out;
    }

    static Document of(RestorePlan.Item item, RestorePlan plan) {
        Document create = new Document("create", item.targetCollection());
        Document options = item.source().options() == null ? new Document() : item.source().options();
        options.forEach(create::append);
        if (options.get("timeseries") instanceof Document ts) {
            create.put("timeseries", timeSeries(ts));
        }
        if ("view".equals(item.source().type()) && options.get("viewOn") instanceof String on) {
            create.put("viewOn", viewOn(item, plan, on));
        }
        return create;
    }

    /**
     * listCollections shows a granularity together with the bucket span it implies; create takes the
     * span only for custom bucketing, with the rounding and without a granularity (MongoDB 6.3+), so
     * the span is left out when a granularity is given.
     */
    static Document timeSeries(Document listed) {
        Document ts = new Document(listed);
        if (ts.get("granularity") != null) {
            ts.remove("bucketMaxSpanSeconds");
            ts.remove("bucketRoundingSeconds");
        }
        return ts;
    }

    private static String viewOn(RestorePlan.Item view, RestorePlan plan, String on) {
        String sourceNs = view.source().db() + "." + on;
        for (RestorePlan.Item other : plan.items()) {
            if (other.source().ns().equals(sourceNs) && other.targetDb().equals(view.targetDb())) {
                return other.targetCollection();
            }
        }
        return on;
    }
}
