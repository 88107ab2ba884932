#!/usr/bin/env python3
"""Writes an oplog.bson beside a mongodump directory, as mongodump --oplog would: N entries in
mongod's format over the dump's collection DB.COLL -- half $v: 2 updates of its documents, a quarter
inserts of new ones, a quarter deletes, none of a document already deleted (as a real oplog) -- for
timing `rewind import --oplog-replay`
(docs/benchmarks.md, "Replaying a dump's oplog"). Needs pymongo's bson (Debian: python3-pymongo).

usage: make-oplog.py DUMP_DIR DB COLL N
"""
import datetime
import random
import sys

import bson
from bson import ObjectId, Timestamp

dump, db, coll, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
ns = db + "." + coll
with open("%s/%s/%s.bson" % (dump, db, coll), "rb") as f:
    ids = [d["_id"] for d in bson.decode_file_iter(f)]
rnd = random.Random(7)
ui = bson.Binary(b"\x01" * 16, 4)
with open(dump + "/oplog.bson", "wb") as out:
    for k in range(n):
        kind = k % 4
        if kind < 2:
            e = {"op": "u", "ns": ns, "ui": ui, "o2": {"_id": ids[rnd.randrange(len(ids))]},
                 "o": {"$v": 2, "diff": {"u": {"plan": "premium"}, "saddress": {"u": {"city": "Porto"}},
                                         "stags": {"a": True, "u2": "k%d" % k}}}}
        elif kind == 2:
            e = {"op": "i", "ns": ns, "ui": ui, "o": {"_id": ObjectId(), "name": "new %d" % k,
                                                       "email": "new%d@example.org" % k}}
        else:
            at = rnd.randrange(len(ids))
            ids[at], ids[-1] = ids[-1], ids[at]
            e = {"op": "d", "ns": ns, "ui": ui, "o": {"_id": ids.pop()}}
        e.update({"ts": Timestamp(1796300000 + k // 1000, k % 1000 + 1), "t": 1, "v": 2,
                  "wall": datetime.datetime(2026, 12, 3)})
        out.write(bson.encode(e))
