package dev.rewind.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import dev.rewind.sandbox.Sandbox;
import java.util.List;
import java.util.Set;
import org.bson.BsonObjectId;
import org.bson.BsonValue;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReferenceCheckTest {
    static Sandbox sandbox;
    static MongoClient client;
    static Famigo famigo;

    static final Namespace FAMILY = new Namespace("famigo", "family");
    static final Namespace CHILD = new Namespace("famigo", "child");
    static final Namespace DEVICE = new Namespace("famigo", "device");
    static final Namespace GROUP = new Namespace("famigo", "group");
    static final Namespace NOTE = new Namespace("famigo", "note");

    static final List<ReferenceRule> RULES = List.of(
            ReferenceRule.to(CHILD, "familyId", FAMILY),
            ReferenceRule.to(DEVICE, "history.familyId", FAMILY),
            ReferenceRule.to(DEVICE, "owner.familyId", FAMILY),
            ReferenceRule.to(GROUP, "memberIds", FAMILY),
            ReferenceRule.dbRef(NOTE, "about"),
            ReferenceRule.dbRef(NOTE, "child"));

    @BeforeAll
    static void start() {
        sandbox = Sandbox.inMemory();
        client = MongoClients.create(sandbox.uri());
        famigo = Famigo.load(client);
    }

    @AfterAll
    static void stop() {
        client.close();
        sandbox.close();
    }

    static BsonValue id(ObjectId id) {
        return new BsonObjectId(id);
    }

    @Test
    void infersEveryReferenceFieldWithoutBeingTold() {
        List<ReferenceRule> rules = new ReferenceInference(client.getDatabase("famigo")).infer();

        assertThat(rules).extracting(ReferenceRule::source, ReferenceRule::path, ReferenceRule::target)
                .containsExactly(
                        tuple(CHILD, "familyId", FAMILY),
                        tuple(DEVICE, "history.familyId", FAMILY),
                        tuple(DEVICE, "owner.familyId", FAMILY),
                        tuple(GROUP, "memberIds", FAMILY),
                        tuple(NOTE, "about", null),
                        tuple(NOTE, "child", null));
        assertThat(rules).allSatisfy(r -> assertThat(r.note()).startsWith("inferred: "));
    }

    @Test
    void reportsEveryDanglingReferenceAndInventsNone() {
        RefsReport report = new ReferenceCheck(client).samples(100).run("famigo", "test", RULES);

        assertThat(report.results()).extracting(r -> r.rule().path(), RuleResult::documents, RuleResult::references,
                        RuleResult::dangling, RuleResult::documentsWithDangling, RuleResult::missingTargets)
                .containsExactly(
                        tuple("familyId", 28L, 28L, 9L, 9L, 3L),
                        tuple("history.familyId", 10L, 20L, 6L, 4L, 3L),
                        tuple("owner.familyId", 10L, 10L, 3L, 3L, 3L),
                        tuple("memberIds", 5L, 10L, 3L, 3L, 3L),
                        tuple("about", 6L, 6L, 0L, 0L, 0L),
                        tuple("child", 6L, 6L, 2L, 2L, 2L));
        assertThat(report.dangling()).isEqualTo(23);
        assertThat(report.clean()).isFalse();

        List<ObjectId> f = famigo.families;
        assertThat(report.results().get(0).samples())
                .extracting(DanglingRef::sourceId, DanglingRef::place, DanglingRef::target, DanglingRef::missing)
                .containsExactlyInAnyOrder(
                        tuple(id(famigo.children.get(7)), "familyId", FAMILY, id(f.get(7))),
                        tuple(id(famigo.children.get(8)), "familyId", FAMILY, id(f.get(8))),
                        tuple(id(famigo.children.get(9)), "familyId", FAMILY, id(f.get(9))),
                        tuple(id(famigo.children.get(17)), "familyId", FAMILY, id(f.get(7))),
                        tuple(id(famigo.children.get(18)), "familyId", FAMILY, id(f.get(8))),
                        tuple(id(famigo.children.get(19)), "familyId", FAMILY, id(f.get(9))),
                        tuple(id(famigo.children.get(27)), "familyId", FAMILY, id(f.get(7))),
                        tuple(id(famigo.children.get(28)), "familyId", FAMILY, id(f.get(8))),
                        tuple(id(famigo.children.get(29)), "familyId", FAMILY, id(f.get(9))));
        assertThat(report.results().get(1).samples())
                .extracting(DanglingRef::sourceId, DanglingRef::place, DanglingRef::missing)
                .containsExactlyInAnyOrder(
                        tuple(id(famigo.devices.get(6)), "history.1.familyId", id(f.get(7))),
                        tuple(id(famigo.devices.get(7)), "history.0.familyId", id(f.get(7))),
                        tuple(id(famigo.devices.get(7)), "history.1.familyId", id(f.get(8))),
                        tuple(id(famigo.devices.get(8)), "history.0.familyId", id(f.get(8))),
                        tuple(id(famigo.devices.get(8)), "history.1.familyId", id(f.get(9))),
                        tuple(id(famigo.devices.get(9)), "history.0.familyId", id(f.get(9))));
        assertThat(report.results().get(2).samples())
                .extracting(DanglingRef::sourceId, DanglingRef::place, DanglingRef::missing)
                .containsExactlyInAnyOrder(
                        tuple(id(famigo.devices.get(7)), "owner.familyId", id(f.get(7))),
                        tuple(id(famigo.devices.get(8)), "owner.familyId", id(f.get(8))),
                        tuple(id(famigo.devices.get(9)), "owner.familyId", id(f.get(9))));
        assertThat(report.results().get(3).samples())
                .extracting(DanglingRef::sourceId, DanglingRef::place, DanglingRef::missing)
                .containsExactlyInAnyOrder(
                        tuple(id(famigo.groups.get(2)), "memberIds.1", id(f.get(7))),
                        tuple(id(famigo.groups.get(3)), "memberIds.1", id(f.get(8))),
                        tuple(id(famigo.groups.get(4)), "memberIds.1", id(f.get(9))));
        assertThat(report.results().get(5).samples())
                .extracting(DanglingRef::sourceId, DanglingRef::place, DanglingRef::target, DanglingRef::missing)
                .containsExactlyInAnyOrder(
                        tuple(id(famigo.notes.get(0)), "child", CHILD, id(famigo.children.get(0))),
                        tuple(id(famigo.notes.get(3)), "child", CHILD, id(famigo.children.get(3))));
    }

    @Test
    void findsTheSameDanglingReferencesWhateverTheBatchAndCacheSizes() {
        RefsReport wide = new ReferenceCheck(client).samples(100).run("famigo", "test", RULES);
        RefsReport narrow = new ReferenceCheck(client).samples(100).idsPerQuery(1).knownCap(0).run("famigo", "test", RULES);
        RefsReport cached = new ReferenceCheck(client).samples(100).idsPerQuery(1).knownCap(2).run("famigo", "test", RULES);

        assertThat(narrow.results()).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(wide.results());
        assertThat(cached.results()).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(wide.results());
    }

    @Test
    void keepsOnlyTheConfiguredNumberOfSamplesButCountsEverything() {
        RuleResult children = new ReferenceCheck(client).samples(2).run("famigo", "test", RULES).results().get(0);

        assertThat(children.samples()).hasSize(2);
        assertThat(children.dangling()).isEqualTo(9);
    }

    @Test
    void countsDistinctMissingTargetsAsALowerBoundPastTheCap() {
        RuleResult children = new ReferenceCheck(client).missingCap(2).run("famigo", "test", RULES).results().get(0);

        assertThat(children.missingTargets()).isEqualTo(2);
        assertThat(children.missingTargetsCapped()).isTrue();
        assertThat(children.dangling()).isEqualTo(9);
    }

    @Test
    void checksOnlyTheGivenSourceDocumentsWhenScoped() {
        CheckScope scope = CheckScope.sources(Filters.in("_id", famigo.children.get(7), famigo.children.get(1)));

        RuleResult children = new ReferenceCheck(client).run("famigo", "test", RULES.subList(0, 1), scope).results().get(0);

        assertThat(children.references()).isEqualTo(2);
        assertThat(children.samples()).extracting(DanglingRef::sourceId).containsExactly(id(famigo.children.get(7)));
    }

    @Test
    void checksOnlyReferencesToTheGivenTargetsWhenScoped() {
        CheckScope scope = CheckScope.targets(Set.of(id(famigo.families.get(8)), id(famigo.families.get(1))));

        RuleResult children = new ReferenceCheck(client).run("famigo", "test", RULES.subList(0, 1), scope).results().get(0);

        assertThat(children.references()).isEqualTo(6);
        assertThat(children.dangling()).isEqualTo(3);
        assertThat(children.samples()).extracting(DanglingRef::missing).containsOnly(id(famigo.families.get(8)));
    }

    @Test
    void matchesNumericIdsOfAnotherNumericType() {
        var db = client.getDatabase("numbers");
        db.getCollection("parent").insertOne(new org.bson.Document("_id", 5L));
        db.getCollection("kid").insertOne(new org.bson.Document("_id", 1).append("parentId", 5));
        db.getCollection("kid").insertOne(new org.bson.Document("_id", 2).append("parentId", 6.0));
        Namespace kid = new Namespace("numbers", "kid");

        RuleResult result = new ReferenceCheck(client)
                .run("numbers", "test", List.of(ReferenceRule.to(kid, "parentId", new Namespace("numbers", "parent"))))
                .results().get(0);

        assertThat(result.references()).isEqualTo(2);
        assertThat(result.samples()).extracting(DanglingRef::sourceId).containsExactly(new org.bson.BsonInt32(2));
    }
}
