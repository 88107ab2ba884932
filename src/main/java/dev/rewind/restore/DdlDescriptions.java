package dev.rewind.restore;

import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonDocumentReader;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.DocumentCodec;

/**
 * What the {@code operationDescription} of a DDL event says about a collection's kind, options and
 * indexes, as the MongoDB manual's change events reference documents it (notes: /work/notes/mongodb-semantics.md
 * §1.3–1.5): a {@code create} describes the collection as created ({@code idIndex} plus its options, or
 * {@code viewOn}/{@code pipeline} for a view, on {@code system.buckets.<name>} for a time-series
 * collection); {@code createIndexes}/{@code dropIndexes} list the indexes; {@code modify} lists the
 * options collMod changed. Pure.
 */
final class DdlDescriptions {
    private static final String BUCKETS = "system.buckets.";

    private DdlDescriptions() {}

    static Document document(BsonDocument bson) {
        return bson == null ? new Document() : new DocumentCodec().decode(new BsonDocumentReader(bson), DecoderContext.builder().build());
    }

    /** The kind a create event makes: {@code nsType} where sent (8.0.5+), else read from the description. */
    static String kind(BsonDocument description, BsonValue nsType) {
        if (nsType != null && nsType.isString()) {
            return nsType.asString().getValue();
        }
        if (description != null && description.isString("viewOn")) {
            return description.getString("viewOn").getValue().startsWith(BUCKETS) ? "timeseries" : "view";
        }
        return "collection";
    }

    /** The options listCollections shows for what a create event made. */
    static Document options(String kind, BsonDocument description) {
        Document d = document(description);
        switch (kind) {
            case "view" -> {
                return new Document("viewOn", d.get("viewOn")).append("pipeline", d.get("pipeline", List.of()));
            }
            case "timeseries" -> {
                return timeSeriesOptions(d);
            }
            default -> {
                d.remove("idIndex");
                return d;
            }
        }
    }

    /** The indexes a collection has once a create event made it: its {@code _id} index, when it has one. */
    static List<Document> indexes(String kind, BsonDocument description) {
        if (!"collection".equals(kind)) {
            return List.of();
        }
        Document d = document(description);
        if (d.get("idIndex") instanceof Document id) {
            return List.of(id);
        }
        return d.containsKey("clusteredIndex") ? List.of() : List.of(CollectionAt.ID_INDEX);
    }

    /**
     * A time-series collection's options from the view mongod defines for it (6.0–8.0): {@code viewOn:
     * system.buckets.<name>, pipeline: [{$_internalUnpackBucket: {timeField, metaField, bucketMaxSpanSeconds}}]}.
     * The granularity is the one whose bucket span that is (manual, "Set Granularity for Time Series Data":
     * seconds 1 hour, minutes 24 hours, hours 30 days; notes §8); any other span is custom bucketing (6.3+), where the
     * rounding equals the span. {@code expireAfterSeconds} is not in the view and cannot be known.
     */
    static Document timeSeriesOptions(Document view) {
        Document unpack = new Document();
        if (view.get("pipeline") instanceof List<?> stages && !stages.isEmpty() && stages.get(0) instanceof Document first
                && first.get("$_internalUnpackBucket") instanceof Document u) {
            unpack = u;
        }
        Document ts = new Document("timeField", unpack.get("timeField"));
        if (unpack.get("metaField") != null) {
            ts.append("metaField", unpack.get("metaField"));
        }
        Object span = unpack.get("bucketMaxSpanSeconds");
        String granularity = span instanceof Number n ? switch (n.intValue()) {
            case 3600 -> "seconds";
            case 86_400 -> "minutes";
            case 2_592_000 -> "hours";
            default -> null;
        } : "seconds";
        if (granularity != null) {
            ts.append("granularity", granularity);
        }
        if (span != null) {
            ts.append("bucketMaxSpanSeconds", span);
        }
        if (granularity == null && span != null) {
            ts.append("bucketRoundingSeconds", span);
        }
        return new Document("timeseries", ts);
    }

    /** The indexes a createIndexes or dropIndexes event lists. */
    static List<Document> listedIndexes(BsonDocument description) {
        List<Document> out = new ArrayList<>();
        if (description != null && description.isArray("indexes")) {
            for (BsonValue v : description.getArray("indexes")) {
                if (v.isDocument() && v.asDocument().isString("name")) {
                    out.add(document(v.asDocument()));
                }
            }
        }
        return out;
    }

    /** Applies what a collMod (a modify event) changed to a collection's options and indexes. */
    static void modify(CollectionAt c, BsonDocument description) {
        Document changes = document(description);
        for (var e : changes.entrySet()) {
            switch (e.getKey()) {
                case "index" -> {
                    if (e.getValue() instanceof Document index) {
                        modifyIndex(c, index);
                    }
                }
                case "indexes" -> {
                    if (e.getValue() instanceof List<?> list) {
                        list.stream().filter(Document.class::isInstance).forEach(i -> modifyIndex(c, (Document) i));
                    }
                }
                case "timeseries" -> {
                    if (e.getValue() instanceof Document change && c.options.get("timeseries") instanceof Document ts) {
                        Document merged = new Document(ts);
                        merged.putAll(change);
                        if (change.containsKey("granularity") && !change.containsKey("bucketMaxSpanSeconds")) {
                            merged.put("bucketMaxSpanSeconds", switch (String.valueOf(change.get("granularity"))) {
                                case "minutes" -> 86_400;
                                case "hours" -> 2_592_000;
                                default -> 3600;
                            });
                            merged.remove("bucketRoundingSeconds");
                        }
                        c.options.put("timeseries", merged);
                    }
                }
                case "expireAfterSeconds" -> {
                    if ("off".equals(e.getValue())) {
                        c.options.remove("expireAfterSeconds");
                    } else {
                        c.options.put("expireAfterSeconds", e.getValue());
                    }
                }
                case "cappedSize" -> c.options.put("size", e.getValue());
                case "cappedMax" -> c.options.put("max", e.getValue());
                default -> c.options.put(e.getKey(), e.getValue());
            }
        }
    }

    /** collMod's {@code index: {name | keyPattern, hidden, expireAfterSeconds, prepareUnique, unique}}. */
    private static void modifyIndex(CollectionAt c, Document change) {
        Document index = c.indexes.values().stream()
                .filter(i -> i.getString("name").equals(change.get("name")) || (change.get("keyPattern") != null
                        && change.get("keyPattern").equals(i.get("key"))))
                .findFirst().orElse(null);
        if (index == null) {
            return;
        }
        for (var e : change.entrySet()) {
            if (e.getKey().equals("name") || e.getKey().equals("keyPattern")) {
                continue;
            }
            if (Boolean.FALSE.equals(e.getValue()) && !e.getKey().equals("unique")) {
                index.remove(e.getKey());  // listIndexes shows hidden and prepareUnique only when true
            } else {
                index.put(e.getKey(), e.getValue());
            }
        }
    }
}
