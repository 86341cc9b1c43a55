"""python -m corpus: rewrite splits.json from the office rule and print the counts."""

import json

from corpus import SPLITS, splits_table

table = splits_table()
SPLITS.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
for name in ("dev", "test"):
    offices = sum(1 for s in table["offices"].values() if s == name)
    docs = sum(1 for s in table["documents"].values() if s == name)
    print(f"{name}: {docs} documents from {offices} offices")
