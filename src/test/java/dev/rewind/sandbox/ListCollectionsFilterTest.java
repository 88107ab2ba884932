package dev.rewind.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * listCollections honours its filter: "filter: A query predicate expression to filter the list of
 * collections. You can specify a query predicate on any of the fields returned by listCollections."
 * (MongoDB manual, "listCollections", https://www.mongodb.com/docs/manual/reference/command/listCollections/).
 * An empty collection and a view are listed like any other; a filter that matches nothing lists nothing.
 */
class ListCollectionsFilterTest {
    private static List<String> names(Server s, Document filter) {
        List<String> out = new ArrayList<>();
        s.db("t").listCollections().filter(filter).forEach(d -> out.add(d.getString("name")));
        return out;
    }

    @Test
    void theFilterSelectsByNameTypeAndOptions() {
        try (Server s = Server.start(SandboxOptions.defaults())) {
            s.run("t", "{create: 'full'}");
            s.coll("t", "full").insertOne(new Document("_id", 1));
            s.run("t", "{create: 'empty'}");
            s.run("t", "{create: 'imaged', changeStreamPreAndPostImages: {enabled: true}}");
            s.run("t", "{create: 'v', viewOn: 'full', pipeline: []}");
            assertThat(names(s, new Document())).containsExactlyInAnyOrder("full", "empty", "imaged", "v");
            assertThat(names(s, new Document("name", "empty"))).containsExactly("empty");
            assertThat(names(s, new Document("name", "missing"))).isEmpty();
            assertThat(names(s, new Document("type", "view"))).containsExactly("v");
            assertThat(names(s, new Document("options.changeStreamPreAndPostImages.enabled", true))).containsExactly("imaged");
            assertThat(names(s, new Document("name", new Document("$in", List.of("full", "v"))))).containsExactlyInAnyOrder("full", "v");
            List<String> nameOnly = new ArrayList<>();
            s.db("t").listCollectionNames().forEach(nameOnly::add);
            assertThat(nameOnly).containsExactlyInAnyOrder("full", "empty", "imaged", "v");
        }
    }
}
