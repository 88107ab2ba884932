package dev.rewind.event;

import static dev.rewind.event.Json.doc;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionsTest {
    private static int tick;

    private static ChangeEvent insert(int id, String session, Integer txnNumber) {
        String txn = session == null ? "" : """
                , "lsid": {"id": {"$binary": {"base64": "%s", "subType": "04"}}}, "txnNumber": {"$numberLong": "%d"}
                """.formatted(session, txnNumber);
        return ChangeEvents.fromBson(doc("""
                {"operationType": "insert", "clusterTime": {"$timestamp": {"t": 100, "i": %d}},
                 "ns": {"db": "shop", "coll": "orders"}, "documentKey": {"_id": %d},
                 "fullDocument": {"_id": %d} %s}
                """.formatted(++tick, id, id, txn)), null);
    }

    static final String S1 = "3b6qZQKYQ3G9uSvnSmQkOw==";
    static final String S2 = "AAAAAAAAAAAAAAAAAAAAAA==";

    @Test
    void groupsConsecutiveEventsOfOneTransaction() {
        List<ChangeEvent> events = List.of(
                insert(1, null, null),
                insert(2, S1, 1), insert(3, S1, 1), insert(4, S1, 1),
                insert(5, null, null),
                insert(6, S1, 2), insert(7, S2, 2), insert(8, S2, 2));

        List<List<ChangeEvent>> units = Transactions.group(events);

        assertThat(units).extracting(unit -> unit.stream().map(e -> e.id().asInt32().getValue()).toList())
                .containsExactly(List.of(1), List.of(2, 3, 4), List.of(5), List.of(6), List.of(7, 8));
    }

    @Test
    void keepsEventsOutsideTransactionsAsUnitsOfOne() {
        List<List<ChangeEvent>> units = Transactions.group(List.of(insert(1, null, null), insert(2, null, null)));

        assertThat(units).hasSize(2).allSatisfy(unit -> assertThat(unit).hasSize(1));
        assertThat(Transactions.group(List.of())).isEmpty();
    }
}
